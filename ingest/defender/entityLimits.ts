/** The normalised alert's length limits, read from its schemas so truncation follows them if they change. */
import type { z } from 'zod';
import { fileEntitySchema, hostEntitySchema, ipEntitySchema, normalisedAlertSchema, processEntitySchema, urlEntitySchema, userEntitySchema } from '../../domain/alert';

type StringSchema = { maxLength: number | null };
type MaybeOptional = StringSchema | { unwrap(): z.ZodType & Partial<StringSchema> };

/** The `.max()` of a string schema, optional or not; `fallback` when the schema has none. */
function limitOf(schema: MaybeOptional, fallback: number): number {
  const inner = 'unwrap' in schema ? schema.unwrap() : schema;
  return typeof inner.maxLength === 'number' ? inner.maxLength : fallback;
}

export const LIMITS = {
  externalId: limitOf(normalisedAlertSchema.shape.externalId, 512),
  title: limitOf(normalisedAlertSchema.shape.title, 1024),
  description: limitOf(normalisedAlertSchema.shape.description, 65536),
  userName: limitOf(userEntitySchema.shape.name, 256),
  upn: limitOf(userEntitySchema.shape.upn, 320),
  domain: limitOf(userEntitySchema.shape.domain, 256),
  sid: limitOf(userEntitySchema.shape.sid, 256),
  azureAdObjectId: limitOf(userEntitySchema.shape.azureAdObjectId, 64),
  hostname: limitOf(hostEntitySchema.shape.hostname, 256),
  deviceId: limitOf(hostEntitySchema.shape.deviceId, 128),
  os: limitOf(hostEntitySchema.shape.os, 128),
  countryCode: limitOf(ipEntitySchema.shape.countryCode, 8),
  fileName: limitOf(fileEntitySchema.shape.name, 1024),
  filePath: limitOf(fileEntitySchema.shape.path, 4096),
  commandLine: limitOf(processEntitySchema.shape.commandLine, 32768),
  imagePath: limitOf(processEntitySchema.shape.imagePath, 4096),
  processUser: limitOf(processEntitySchema.shape.user, 320),
  url: limitOf(urlEntitySchema.shape.url, 8192),
} as const;
