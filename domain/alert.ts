/** The normalised alert every intake maps onto (field names after OCSF's Detection Finding where natural). */
import { z } from 'zod';
import { vendorSeveritySchema } from './severitySchema';

/** Tenant ids and source ids are slugs: they become parts of workflow ids and file names. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens, 1-64 characters');

const text = (max: number) => z.string().max(max);

export const userEntitySchema = z.strictObject({
  name: text(256).min(1),
  upn: text(320).optional(),
  domain: text(256).optional(),
  sid: text(256).optional(),
  azureAdObjectId: text(64).optional(),
});

export const hostEntitySchema = z.strictObject({
  hostname: text(256).min(1),
  deviceId: text(128).optional(),
  os: text(128).optional(),
  ips: z.array(z.ipv4().or(z.ipv6())).max(64).default([]),
});

export const ipEntitySchema = z.strictObject({
  address: z.ipv4().or(z.ipv6()),
  role: z.enum(['source', 'destination', 'unknown']).default('unknown'),
  countryCode: text(8).optional(),
});

export const fileEntitySchema = z.strictObject({
  name: text(1024).min(1),
  path: text(4096).optional(),
  sha1: z.string().regex(/^[0-9a-fA-F]{40}$/).optional(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional(),
  md5: z.string().regex(/^[0-9a-fA-F]{32}$/).optional(),
});

export const processEntitySchema = z.strictObject({
  pid: z.number().int().nonnegative().optional(),
  commandLine: text(32768).optional(),
  imagePath: text(4096).optional(),
  user: text(320).optional(),
  parentImagePath: text(4096).optional(),
});

export const urlEntitySchema = z.strictObject({
  url: text(8192).min(1),
});

export const entitiesSchema = z.strictObject({
  users: z.array(userEntitySchema).max(500).default([]),
  hosts: z.array(hostEntitySchema).max(500).default([]),
  ips: z.array(ipEntitySchema).max(500).default([]),
  files: z.array(fileEntitySchema).max(500).default([]),
  processes: z.array(processEntitySchema).max(500).default([]),
  urls: z.array(urlEntitySchema).max(500).default([]),
});

export const normalisedAlertSchema = z.strictObject({
  tenantId: slugSchema,
  source: slugSchema,
  externalId: text(512).min(1),
  title: text(1024).min(1),
  description: text(65536).default(''),
  observedAt: z.iso.datetime({ offset: true }),
  vendorSeverity: vendorSeveritySchema.optional(),
  /** Techniques named by the vendor (MITRE ATT&CK ids), when it names any. */
  techniques: z.array(z.string().regex(/^T\d{4}(?:\.\d{3})?$/)).max(100).default([]),
  entities: entitiesSchema.default({ users: [], hosts: [], ips: [], files: [], processes: [], urls: [] }),
  /** The vendor's original record, kept for analysts; never interpreted by the engine. */
  raw: z.unknown().optional(),
});

/** What a client sends (defaults not yet applied). */
export type NormalisedAlertInput = z.input<typeof normalisedAlertSchema>;
/** What the engine works with after validation. */
export type NormalisedAlert = z.output<typeof normalisedAlertSchema>;
export type AlertEntities = z.output<typeof entitiesSchema>;
