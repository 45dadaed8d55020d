/** Schemas every feature of the HTTP API shares: the error body, health, list cursors. A feature's own live in its folder. */
import { z } from 'zod';

/** A list cursor as the API hands it out (`nextCursor`); that it is really one of ours is checked by its seal. */
export const cursorParamSchema = z.string().regex(/^[A-Za-z0-9_-]{1,4096}$/, 'not a cursor this API returned');

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      accepted: z.array(z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    detail: z.string().optional(),
    /** The detection rule set this process runs (`/readyz` only); `lastRefusal` says why the last hot reload kept it. */
    detectionRules: z
      .object({
        version: z.string(),
        rules: z.number().int(),
        loadedAt: z.string().optional(),
        lastRefusal: z.object({ file: z.string(), line: z.number().int().optional(), reason: z.string(), at: z.string() }).optional(),
      })
      .optional(),
    /** R20: external endpoints outside Germany with their documented exception (`/readyz` with an admin key only). */
    endpointsOutsideGermany: z
      .array(z.object({ endpoint: z.string(), host: z.string(), country: z.string(), exception: z.object({ reason: z.string(), documentedIn: z.string() }).optional() }))
      .optional(),
  })
  .meta({ id: 'Health' });
