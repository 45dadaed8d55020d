/** The OpenAPI description of GET /v1/alerts/{id}: the alert's record with its evidence (api/alerts/alertEvidence.ts). */
import { z } from 'zod';
import { entitiesSchema } from '../../domain/alert';
import { alertStatusSchema, matchedRuleSchema } from './alertSchemas';
import type { Assert, Describes } from '../http/describes';
import type { AlertDetail, AlertEvidence } from './alertEvidence';

const nullableText = z.string().nullable();

const graphContextSchema = z
  .object({
    recommendedActions: nullableText,
    category: nullableText,
    serviceSource: nullableText,
    detectionSource: nullableText,
    vendorStatus: nullableText,
    links: z.object({ alert: nullableText, incident: nullableText }).meta({ description: "The vendor's portal pages (https only)" }),
    registry: z.array(z.object({ hive: nullableText, key: z.string(), valueName: nullableText, value: nullableText, valueType: nullableText })),
    mailboxes: z.array(z.object({ address: nullableText, upn: nullableText, displayName: nullableText })),
    otherEvidence: z
      .array(z.object({ type: z.string(), verdict: nullableText, details: z.record(z.string(), z.string()) }))
      .meta({ description: 'Evidence types that carry no entity (cloud resources, apps, groups...), with their plain fields' }),
  })
  .nullable()
  .meta({ description: 'For a Microsoft Graph security alert: the vendor’s advice, links and the evidence kept beside the entities' });

export const alertEvidenceSchema = z
  .object({
    description: z.string(),
    techniques: z.array(z.object({ id: z.string(), name: nullableText, url: z.string() })).meta({ description: 'MITRE ATT&CK techniques with name and link' }),
    entities: entitiesSchema,
    matchedRules: z.array(matchedRuleSchema.extend({ description: nullableText.optional(), references: z.array(z.string()).optional() })),
    correlation: alertStatusSchema.shape.correlation,
    vendor: graphContextSchema,
  })
  .meta({ id: 'AlertEvidence' });

export const alertDetailSchema = alertStatusSchema.extend({ evidence: alertEvidenceSchema }).meta({ id: 'AlertDetail' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type EvidenceSchemasDescribeDomain = [
  Assert<Describes<typeof alertDetailSchema, AlertDetail>>,
  Assert<Describes<typeof alertEvidenceSchema, AlertEvidence>>,
];
