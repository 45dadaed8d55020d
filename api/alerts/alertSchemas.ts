/** Request and response schemas of the alert routes (intake, list, detail): the one source of their types and OpenAPI entries. */
import { z } from 'zod';
import { normalisedAlertSchema, slugSchema } from '../../domain/alert';
import { ALERT_STATES, IOC_FINDINGS, IOC_TYPES, NOTIFICATION_PURPOSES, TIMELINE_KINDS, VERDICTS } from '../../domain/alertLifecycle';
import { severitySchema, vendorSeveritySchema } from '../../domain/severitySchema';
import { RUN_MODES, RUN_STATES } from '../../domain/response/playbookRun';
import { LIFECYCLE_EVENTS } from '../../domain/webhooks/lifecycleEvents';
import { cursorParamSchema } from '../http/schemas';
import type { Assert, Describes } from '../http/describes';
import type { AlertStatus, MatchedRule, NotificationRecord, TimelineEntry } from '../../domain/alertLifecycle';
import type { PlaybookRunSummary } from '../../domain/response/playbookRun';
import type { AlertSummary } from './alertSummary';

export const alertInputSchema = normalisedAlertSchema.meta({ id: 'AlertInput', description: 'A normalised alert' });

export const acceptedAlertSchema = z
  .object({
    alertId: z.string(),
    workflowId: z.string(),
    duplicate: z.boolean().meta({ description: 'true when this business key was already received' }),
    statusUrl: z.string(),
  })
  .meta({ id: 'AcceptedAlert' });

export const acceptedBatchSchema = z.object({ alerts: z.array(acceptedAlertSchema) }).meta({ id: 'AcceptedBatch' });

export const listAlertsQuerySchema = z.strictObject({
  tenantId: slugSchema.optional(),
  severity: severitySchema.optional(),
  state: z.enum(ALERT_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParamSchema.optional(),
});

export const defenderQuerySchema = z.strictObject({ tenantId: slugSchema.optional() });

export const alertSummarySchema = z
  .object({
    alertId: z.string(),
    tenantId: z.string(),
    source: z.string(),
    title: z.string(),
    severity: severitySchema.nullable(),
    state: z.enum(ALERT_STATES).nullable(),
    receivedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'AlertSummary' });

export const alertListSchema = z
  .object({ items: z.array(alertSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AlertList' });

export const matchedRuleSchema = z.object({
  ruleId: z.string(),
  title: z.string(),
  level: z.enum(['informational', 'low', 'medium', 'high', 'critical']),
});

/** A delivery proof (R8): who was told, by which channel, accepted by which provider. */
export const notificationRecordSchema = z.object({
  purpose: z.enum(NOTIFICATION_PURPOSES),
  channel: z.enum(['email', 'sms', 'voice']),
  recipient: z.string(),
  messageId: z.string().nullable(),
  provider: z.string().nullable(),
  at: z.string(),
  delivered: z.boolean(),
  failure: z.string().nullable(),
  deliveryReport: z
    .enum(['none'])
    .optional()
    .meta({ description: "'none': sent, no receipt from the provider (sipgate SMS): the provider took the message and reports nothing about its delivery (R8)" }),
  reports: z
    .array(z.object({ status: z.string(), reached: z.boolean(), at: z.string(), errorCode: z.string().nullable() }))
    .optional()
    .meta({ description: "The phone provider's signed delivery reports (R8, docs/integrations.md)" }),
  onCall: z.string().optional().meta({ description: "An escalation call's on-call contact (R19)" }),
  acknowledgement: z.object({ number: z.string(), at: z.string() }).optional().meta({ description: 'The key press that took the incident on this call (R19)' }),
  retryCheck: z
    .object({ outcome: z.enum(['recovered', 'resent', 'possible_duplicate']), found: z.array(z.string()) })
    .optional()
    .meta({ description: 'Sent on a retry through Twilio: what the look-up for the earlier attempt found (docs/integrations.md)' }),
});

export const timelineEntrySchema = z.object({ at: z.string(), kind: z.enum(TIMELINE_KINDS), actor: z.string(), detail: z.string() });

export const runSummarySchema = z
  .object({
    runId: z.string(),
    workflowId: z.string(),
    playbookId: z.string(),
    version: z.number().int(),
    trigger: z.enum(['analyst', 'ai_isolation']),
    mode: z.enum(RUN_MODES).optional().meta({ description: 'Absent: live; `dry-run` changed nothing at any vendor and is never a measure' }),
    revision: z.number().int().optional().meta({ description: 'The stored playbook revision; absent: the file' }),
    shadowOf: z.string().optional().meta({ description: 'A shadow run: the live run it ran beside' }),
    startedBy: z.string(),
    startedAt: z.string(),
    state: z.enum(RUN_STATES),
  })
  .meta({ id: 'PlaybookRunSummary' });

export const alertStatusSchema = z
  .object({
    alertId: z.string(),
    tenantId: z.string(),
    source: z.string(),
    externalId: z.string(),
    title: z.string(),
    observedAt: z.string(),
    receivedAt: z.string(),
    package: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    state: z.enum(ALERT_STATES),
    severity: severitySchema.nullable(),
    classification: z
      .object({
        severity: severitySchema,
        decidedBy: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('rule'), ruleId: z.string(), ruleTitle: z.string() }),
          z.object({ kind: z.literal('vendor'), vendorSeverity: vendorSeveritySchema }),
          z.object({ kind: z.literal('default'), reason: z.string() }),
          z.object({ kind: z.literal('analyst'), analyst: z.string(), verdict: z.enum(VERDICTS), rationale: z.string() }),
        ]),
        matchedRules: z.array(matchedRuleSchema),
        ruleSetVersion: z.string(),
      })
      .nullable(),
    publication: z.object({ publishedAt: z.string(), dashboard: z.boolean(), file: z.string() }).nullable(),
    nextWakeAt: z.string().nullable().meta({ description: 'When a waiting alert wakes up next (R5)' }),
    triage: z.object({
      assignedAnalyst: z.string().nullable(),
      claimedAt: z.string().nullable(),
      verdict: z.enum(VERDICTS).nullable(),
      iocs: z.array(z.object({ type: z.enum(IOC_TYPES), value: z.string(), finding: z.enum(IOC_FINDINGS), note: z.string() })),
      recommendation: z.string().nullable(),
      closedAt: z.string().nullable(),
      summary: z.string().nullable(),
      notes: z
        .array(z.object({ at: z.string(), author: z.string(), text: z.string() }))
        .optional()
        .meta({ description: "Analysts' case notes (absent in a customer's view, R17)" }),
    }),
    notifications: z.array(notificationRecordSchema),
    response: z.object({ runs: z.array(runSummarySchema) }).meta({ description: 'Playbook runs started for this alert (R8)' }),
    correlation: z
      .object({
        ruleId: z.string(),
        entity: z.object({ field: z.string(), value: z.string() }),
        windowStart: z.string(),
        windowEnd: z.string(),
        hits: z.number().int(),
        firstHitAt: z.string().nullable(),
        lastHitAt: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'An incident correlated from event hits: its tenant, rule, entity and window, and how many hits it counts' }),
    enrichment: z
      .array(
        z.object({
          provider: z.enum(['virustotal', 'abuseipdb', 'misp']),
          indicator: z.object({ kind: z.enum(['ip', 'domain', 'url', 'file']), value: z.string() }),
          finding: z.enum(IOC_FINDINGS),
          summary: z.string(),
          checkedAt: z.string(),
          fromCache: z.boolean(),
        }),
      )
      .optional()
      .meta({ description: 'IoC enrichment answers (docs/integrations.md); absent when nothing was enriched' }),
    webhookDeliveries: z
      .array(z.object({ target: z.string(), eventId: z.string(), type: z.enum(LIFECYCLE_EVENTS), delivered: z.boolean(), status: z.number().int().nullable(), at: z.string(), failure: z.string().nullable() }))
      .optional()
      .meta({ description: 'Outbound webhook deliveries of the lifecycle events (docs/integrations.md)' }),
    timeline: z.array(timelineEntrySchema),
  })
  .meta({ id: 'AlertStatus' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type AlertSchemasDescribeDomain = [
  Assert<Describes<typeof alertStatusSchema, AlertStatus>>,
  Assert<Describes<typeof alertSummarySchema, AlertSummary>>,
  Assert<Describes<typeof runSummarySchema, PlaybookRunSummary>>,
  Assert<Describes<typeof timelineEntrySchema, TimelineEntry>>,
  Assert<Describes<typeof notificationRecordSchema, NotificationRecord>>,
  Assert<Describes<typeof matchedRuleSchema, MatchedRule>>,
];
