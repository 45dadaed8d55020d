/** The analysts' routes in the OpenAPI document: the decisions on one alert (each a Temporal Update) and the queue. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { alertStatusSchema } from '../alerts/alertSchemas';
import { json, refusals } from '../http/openApiParts';
import { errorSchema } from '../http/schemas';
import { assessmentSchema, closeSchema, emptyBodySchema, iocsSchema, noteSchema, queueQuerySchema, queueSchema, reassignSchema, recommendationSchema } from './triageSchemas';

export function registerTriagePaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  const decisions = [
    ['claim', 'Claim and acknowledge the alert (stops its escalation)', emptyBodySchema],
    ['assessment', 'Set the final severity and the verdict (R2)', assessmentSchema],
    ['iocs', 'Record the indicators of compromise checked, with findings', iocsSchema],
    ['recommendation', 'Recommend; the contacts are told, a critical incident goes on to response (R6-R8)', recommendationSchema],
    ['close', 'Close the alert', closeSchema],
    ['release', 'The assigned analyst gives the alert back to the queue', emptyBodySchema],
    ['reassign', 'Hand a claimed alert to a named analyst (shift change, sickness)', reassignSchema],
    ['notes', 'Add a case note (SOC-internal; author and time in the history and the decision trail)', noteSchema],
  ] as const;
  for (const [action, summary, schema] of decisions) {
    registry.registerPath({
      method: 'post',
      path: `/v1/alerts/{alertId}/${action}`,
      summary,
      security,
      request: { params: z.object({ alertId: z.string() }), body: { required: true, content: { 'application/json': { schema } } } },
      responses: {
        200: json(alertStatusSchema, 'The alert after the decision'),
        400: refusals[400],
        401: refusals[401],
        403: refusals[403],
        404: json(errorSchema, 'No such alert'),
        409: json(errorSchema, "The decision does not fit the alert's state or the caller; nothing was recorded"),
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/v1/queue',
    summary: 'What analysts should work on now: fixed SOC contact first (R11), then severity, then age',
    security,
    request: { query: queueQuerySchema },
    responses: { 200: json(queueSchema, 'The queue'), 400: refusals[400], 401: refusals[401], 403: refusals[403] },
  });
}
