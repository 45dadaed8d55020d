/** Request and response schemas of the playbook endpoints (R8): the one source of their types and OpenAPI entries. */
import { z } from 'zod';
import { ACTION_NAMES } from '../../domain/response/actionCatalog';
import { ACTION_STATES, RUN_MODES, RUN_STATES } from '../../domain/response/playbookRun';
import { notificationRecordSchema, timelineEntrySchema } from '../alerts/alertSchemas';
import type { Assert, Describes } from '../http/describes';
import type { ActionRecord, PlaybookRunStatus } from '../../domain/response/playbookRun';

export { runSummarySchema } from '../alerts/alertSchemas';

export const startPlaybookSchema = z
  .strictObject({
    playbookId: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'a playbook id like compromised-account'),
    mode: z
      .enum(RUN_MODES)
      .default('live')
      .meta({ description: '`dry-run`: every engine step (look-ups, matrix, approvals, waits) with test notices to the SOC only, stopping before each vendor change; never a measure' }),
  })
  .meta({ id: 'StartPlaybook' });

export const approvalDecisionSchema = z
  .strictObject({
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'the digest of the action as the run shows it: sha256:<64 hex digits>'),
    decision: z.enum(['approve', 'reject']),
    reason: z.string().max(4000).default(''),
  })
  .meta({ id: 'ApprovalDecision' });

export const undoRunSchema = z.strictObject({ reason: z.string().min(1).max(4000) }).meta({ id: 'UndoRun' });

/** A resolved target (domain/response/targets.ts), one shape per kind. */
const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), upn: z.string(), objectId: z.string().optional() }),
  z.object({ kind: z.literal('host'), hostname: z.string(), machineId: z.string().optional() }),
  z.object({ kind: z.literal('ip'), address: z.string() }),
  z.object({ kind: z.literal('file'), name: z.string(), sha1: z.string().optional(), sha256: z.string().optional() }),
  z.object({ kind: z.literal('alert'), source: z.string(), externalId: z.string() }),
  z.object({ kind: z.literal('firewall'), sourceId: z.string(), vendor: z.enum(['opnsense', 'fortigate']) }),
]);

export const playbookSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    title: z.string(),
    description: z.string(),
    digest: z.string(),
    file: z.string(),
    steps: z.array(
      z.object({
        id: z.string(),
        action: z.enum(ACTION_NAMES),
        title: z.string(),
        target: z.record(z.string(), z.string()),
        subject: z.record(z.string(), z.string()).nullable(),
        params: z.record(z.string(), z.unknown()),
        after: z.array(z.string()),
        requiresApproval: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'Playbook' });

export const playbookListSchema = z.object({ items: z.array(playbookSchema) }).meta({ id: 'PlaybookList' });


export const actionRecordSchema = z
  .object({
    key: z.string(),
    stepId: z.string(),
    action: z.enum(ACTION_NAMES),
    target: targetSchema,
    subject: targetSchema.nullable(),
    params: z.record(z.string(), z.unknown()),
    digest: z.string().meta({ description: 'What an approval is bound to' }),
    state: z.enum(ACTION_STATES),
    matrix: z
      .object({ allowed: z.boolean(), reason: z.string(), rule: z.number().int().nullable(), requiresApproval: z.boolean(), groups: z.array(z.string()) })
      .nullable(),
    approval: z
      .object({
        required: z.boolean(),
        fourEyes: z.boolean().optional().meta({ description: 'R8 four-eyes: the analyst who started the run may not approve this action' }),
        digest: z.string(),
        decision: z.enum(['approve', 'reject']).nullable(),
        by: z.string().nullable(),
        at: z.string().nullable(),
        reason: z.string().nullable(),
        asked: z.number().int().positive().optional().meta({ description: 'How often the approval was asked for: 2 and more after one expired across a wait for service hours' }),
      })
      .nullable(),
    notices: z.array(z.number().int()).meta({ description: 'Indexes into the run\'s notifications: the notice before this measure (R8)' }),
    result: z
      .object({ outcome: z.enum(['done', 'already_done']), detail: z.string(), vendorReference: z.string().nullable(), outputs: z.record(z.string(), targetSchema) })
      .nullable(),
    reason: z.string().nullable(),
    wouldCall: z
      .object({
        activity: z.string(),
        request: z.object({
          tenantId: z.string(),
          alertId: z.string(),
          requestKey: z.string(),
          action: z.enum(ACTION_NAMES),
          target: targetSchema,
          subject: targetSchema.nullable(),
          params: z.record(z.string(), z.unknown()),
          comment: z.string(),
        }),
      })
      .optional()
      .meta({ description: 'Dry-run: the vendor activity the run stopped before, with the arguments it would have passed' }),
    undo: z.object({ action: z.enum(ACTION_NAMES), state: z.enum(['registered', 'undone', 'undo_failed']), detail: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'PlaybookAction' });

export const runStatusSchema = z
  .object({
    runId: z.string(),
    workflowId: z.string(),
    alertId: z.string(),
    tenantId: z.string(),
    playbook: z.object({ id: z.string(), version: z.number().int(), title: z.string(), digest: z.string(), revision: z.number().int().optional().meta({ description: 'The stored revision that ran; absent: the file' }) }),
    releaseMatrix: z.object({ revision: z.number().int(), digest: z.string() }).optional().meta({ description: 'The stored release-matrix revision the run decided with; absent: the tenant file' }),
    trigger: z.enum(['analyst', 'ai_isolation']),
    mode: z.enum(RUN_MODES).optional().meta({ description: 'Absent: live' }),
    shadowOf: z.string().optional().meta({ description: 'A shadow run: the live run it ran beside' }),
    startedBy: z.string(),
    startedAt: z.string(),
    state: z.enum(RUN_STATES),
    nextWakeAt: z.string().nullable(),
    isolation: z.object({ model: z.string(), confidence: z.number(), threshold: z.number(), reasons: z.array(z.string()) }).nullable(),
    actions: z.array(actionRecordSchema),
    notifications: z.array(notificationRecordSchema),
    timeline: z.array(timelineEntrySchema),
  })
  .meta({ id: 'PlaybookRun' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type PlaybookSchemasDescribeDomain = [
  Assert<Describes<typeof runStatusSchema, PlaybookRunStatus>>,
  Assert<Describes<typeof actionRecordSchema, ActionRecord>>,
];
