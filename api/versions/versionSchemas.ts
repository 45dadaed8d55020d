/** Request and response schemas of the playbook and release-matrix version endpoints: the one source of their types and OpenAPI entries. */
import { z } from 'zod';
import { releaseMatrixSchema } from '../../domain/tenant/releaseMatrixSchema';
import { VERSIONED_KINDS, VERSION_ROLES } from '../../stores/versionStore';
import type { Assert, Describes } from '../http/describes';
import type { VersionSummary } from './configVersions';

const reason = z.string().trim().min(1, 'say why (it is kept with the revision)').max(2000);

export const playbookChangeSchema = z
  .strictObject({
    content: z.string().min(1).max(512_000).meta({ description: 'The playbook file (YAML), validated as the loader validates playbooks/' }),
    reason,
    shadow: z.boolean().default(false).meta({ description: 'Run this revision beside the active one on live starts, as a dry-run, instead of putting it in force' }),
  })
  .meta({ id: 'PlaybookChange' });

export const matrixChangeSchema = z.strictObject({ releaseMatrix: releaseMatrixSchema, reason }).meta({ id: 'ReleaseMatrixChange' });

export const rollbackSchema = z
  .strictObject({ revision: z.number().int().min(0).meta({ description: 'The revision whose content goes back in force; 0 is the file as loaded' }), reason })
  .meta({ id: 'Rollback' });

export const versionSummarySchema = z
  .object({
    kind: z.enum(VERSIONED_KINDS),
    subject: z.string(),
    revision: z.number().int(),
    role: z.enum(VERSION_ROLES),
    digest: z.string(),
    previousDigest: z.string().meta({ description: 'The digest of the revision in force before this one' }),
    changedBy: z.string(),
    changedAt: z.string(),
    note: z.string(),
  })
  .meta({ id: 'VersionSummary' });

export const versionListSchema = z.object({ items: z.array(versionSummarySchema) }).meta({ id: 'VersionList', description: 'Newest first; revision 0 is the file as loaded' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type VersionSchemasDescribeDomain = [
  Assert<Describes<typeof versionListSchema, { items: VersionSummary[] }>>,
  Assert<Describes<typeof versionSummarySchema, VersionSummary>>,
];
