/** Request and response schemas of the analysts' decisions and queue: the one source of their types and OpenAPI entries. */
import { z } from 'zod';
import { IOC_FINDINGS, IOC_TYPES, VERDICTS } from '../../domain/alertLifecycle';
import { severitySchema } from '../../domain/severitySchema';
import { alertSummarySchema } from '../alerts/alertSchemas';
import type { Assert, Describes } from '../http/describes';
import type { QueueItem } from './analystQueue';

export const assessmentSchema = z
  .strictObject({
    severity: severitySchema,
    verdict: z.enum(VERDICTS),
    rationale: z.string().min(1).max(4000),
  })
  .meta({ id: 'Assessment' });

export const iocsSchema = z
  .strictObject({
    iocs: z
      .array(z.strictObject({ type: z.enum(IOC_TYPES), value: z.string().min(1).max(2048), finding: z.enum(IOC_FINDINGS), note: z.string().max(4000).default('') }))
      .min(1)
      .max(200),
  })
  .meta({ id: 'IocChecks' });

export const recommendationSchema = z.strictObject({ recommendation: z.string().min(1).max(8000) }).meta({ id: 'Recommendation' });

export const closeSchema = z.strictObject({ summary: z.string().min(1).max(8000) }).meta({ id: 'Closure' });

export const emptyBodySchema = z.strictObject({});

export const reassignSchema = z.strictObject({ analyst: z.string().min(1).max(200).meta({ description: "The analyst's key id" }) }).meta({ id: 'Reassignment' });

export const noteSchema = z.strictObject({ text: z.string().trim().min(1).max(4000) }).meta({ id: 'CaseNote' });

export const queueQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const queueItemSchema = alertSummarySchema
  .extend({ assignedAnalyst: z.string().nullable(), routedTo: z.string().nullable() })
  .meta({ id: 'QueueItem' });

export const queueSchema = z.object({ items: z.array(queueItemSchema) }).meta({ id: 'Queue' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type TriageSchemasDescribeDomain = [
  Assert<Describes<typeof queueItemSchema, QueueItem>>,
];
