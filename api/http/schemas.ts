/** Request and response schemas of the HTTP API: the one source of its types and of its OpenAPI document. */
import { z } from 'zod';
import { normalisedAlertSchema, slugSchema } from '../../domain/alert';
import { ALERT_STATES, IOC_FINDINGS, IOC_TYPES, NOTIFICATION_PURPOSES, TIMELINE_KINDS, VERDICTS } from '../../domain/alertLifecycle';
import { severitySchema, vendorSeveritySchema } from '../../domain/severitySchema';
import { billableWorkOrderSchema } from '../../domain/workOrder';
import { RUN_MODES, RUN_STATES } from '../../domain/response/playbookRun';

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

/** A list cursor as the API hands it out (`nextCursor`); that it is really one of ours is checked by its seal. */
export const cursorParamSchema = z.string().regex(/^[A-Za-z0-9_-]{1,4096}$/, 'not a cursor this API returned');

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
      .array(z.object({ target: z.string(), eventId: z.string(), type: z.string(), delivered: z.boolean(), status: z.number().int().nullable(), at: z.string(), failure: z.string().nullable() }))
      .optional()
      .meta({ description: 'Outbound webhook deliveries of the lifecycle events (docs/integrations.md)' }),
    timeline: z.array(timelineEntrySchema),
  })
  .meta({ id: 'AlertStatus' });

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

export const workOrderRequestSchema = z
  .strictObject({
    tenantId: slugSchema.optional(),
    alertId: z.string().regex(/^alert\.[a-z0-9-]+\.[a-z0-9-]+\.[0-9a-f]{32}$/, 'an alert id as this API returns it').optional(),
    description: z.string().min(1).max(4000),
    /** Makes a retried request land on the same work order. */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  })
  .meta({ id: 'WorkOrderRequest' });

export const workOrderSchema = billableWorkOrderSchema.meta({ id: 'WorkOrder' });

export const workOrderListQuerySchema = z.strictObject({
  tenantId: slugSchema.optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').optional(),
  format: z.enum(['json', 'csv']).default('json').describe('csv: a download for the accounts'),
});
export const workOrderListSchema = z.object({ items: z.array(workOrderSchema) }).meta({ id: 'WorkOrderList' });
