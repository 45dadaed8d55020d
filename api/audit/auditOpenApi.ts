/** The audit endpoints in the OpenAPI document (R18): history export, replay and the decision trail. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { TRAIL_KINDS } from '../../infra/audit/decisionTrail';
import { LANGUAGES } from '../../domain/i18n/language';
import { json, refusals } from '../http/openApiParts';
import type { Assert, Describes } from '../http/describes';
import type { AlertReplay } from './alertAudit';
import type { AlertAudit } from './alertAudit';

const alertId = z.string().meta({ description: 'The alert id' });
const temporalHistory = z
  .looseObject({ events: z.array(z.looseObject({ eventId: z.string(), eventType: z.string() })) })
  .meta({ id: 'TemporalHistory', description: 'Exactly what `temporal workflow show -o json` prints; the Temporal CLI and UI read it' });

export const exportedHistorySchema = z
  .object({ workflowId: z.string(), runId: z.string(), workflowType: z.string(), history: temporalHistory })
  .meta({ id: 'ExportedHistory' });
export const historyExportSchema = z.object({ alertId: z.string(), histories: z.array(exportedHistorySchema) }).meta({ id: 'HistoryExport' });
export const replayReportSchema = z
  .object({
    alertId: z.string(),
    deterministic: z.boolean(),
    workflows: z.array(z.object({ workflowId: z.string(), runId: z.string(), deterministic: z.boolean(), divergence: z.string().nullable() })),
  })
  .meta({ id: 'ReplayReport' });
export const trailSchema = z
  .object({
    alertId: z.string(),
    entries: z.array(
      z.object({
        at: z.string(),
        workflowId: z.string(),
        kind: z.enum(TRAIL_KINDS),
        actor: z.string(),
        detail: z.string(),
        evidence: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .meta({ id: 'DecisionTrail' });

const read = { 401: refusals[401], 403: refusals[403], 404: refusals[404] };
/** The trail's query: its form, and the language of the printable page (else the Accept-Language header, else German). */
export const trailQuerySchema = z.object({
  format: z.enum(['json', 'html']).optional(),
  language: z.enum(LANGUAGES).optional().meta({ description: 'The HTML page\'s language; without it the `Accept-Language` header decides (de or en), else German. The JSON form has no language' }),
});

const decodeQuery = z.object({
  decode: z.enum(['true', 'false']).optional().meta({ description: "`true`: payloads decoded through the engine's codec; otherwise as stored, encrypted per tenant (read them with the codec endpoint)" }),
});

export function registerAuditPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/audit/alerts/{alertId}/history',
    summary: "The full Temporal histories of an alert's workflow and its playbook runs (R18; auditor and admin)",
    security,
    request: { params: z.object({ alertId }), query: decodeQuery },
    responses: { 200: json(historyExportSchema, 'Parent first, then each child workflow'), ...read },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/audit/alerts/{alertId}/history/{workflowId}',
    summary: "One history of the alert (its own or a playbook run's), as `temporal workflow show -o json` prints it",
    security,
    request: { params: z.object({ alertId, workflowId: z.string().meta({ description: 'The alert id or one of its runs\' workflow ids' }) }), query: decodeQuery },
    responses: { 200: json(temporalHistory, 'The history'), ...read },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/audit/alerts/{alertId}/replay',
    summary: "Replay the alert's histories against the current workflow code: the same decisions, or the first divergence (R18)",
    security,
    request: { params: z.object({ alertId }) },
    responses: { 200: json(replayReportSchema, '`deterministic` for every workflow, with the first divergence otherwise'), ...read },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/audit/alerts/{alertId}/trail',
    summary: 'Every classification, wait, notification, matrix check, approval, action and undo, with when and who (R18)',
    security,
    request: { params: z.object({ alertId }), query: trailQuerySchema },
    responses: {
      200: {
        description: 'The trail; `Accept: text/html` or `?format=html` gives a printable page in the reader\'s language with Berlin times',
        content: { 'application/json': { schema: trailSchema }, 'text/html': { schema: z.string() } },
      },
      400: refusals[400],
      ...read,
    },
  });
}

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type AuditSchemasDescribeDomain = [
  Assert<Describes<typeof trailSchema, Awaited<ReturnType<AlertAudit['trail']>>>>,
  Assert<Describes<typeof replayReportSchema, AlertReplay>>,
];
