/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  acceptedAlertSchema,
  acceptedBatchSchema,
  alertInputSchema,
  alertListSchema,
  alertStatusSchema,
  defenderQuerySchema,
  errorSchema,
  healthSchema,
  listAlertsQuerySchema,
  assessmentSchema,
  closeSchema,
  emptyBodySchema,
  iocsSchema,
  noteSchema,
  reassignSchema,
  queueQuerySchema,
  queueSchema,
  recommendationSchema,
  workOrderListQuerySchema,
  workOrderListSchema,
  workOrderRequestSchema,
  workOrderSchema,
} from './schemas';
import { intakeRefusals, json, refusals } from './openApiParts';
import { alertDetailSchema } from './evidenceSchemas';
import { registerPlaybookPaths } from './playbookOpenApi';
import { registerWhatIfPaths } from './whatIfOpenApi';
import { registerVersionPaths } from './versionOpenApi';
import { registerAuditPaths } from './auditOpenApi';
import { registerOperationsPaths } from './operationsOpenApi';
import { registerCodecPaths } from './codecOpenApi';
import { registerEventPaths } from './eventOpenApi';
import { registerTenantAccountPaths } from './tenantAccountOpenApi';


export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'An API key' });
  const secured = [{ apiKey: [] }];

  registry.registerPath({
    method: 'post',
    path: '/v1/alerts',
    summary: 'Submit a normalised alert',
    security: secured,
    request: { body: { required: true, content: { 'application/json': { schema: alertInputSchema } } } },
    responses: { 202: json(acceptedAlertSchema, 'Accepted; `duplicate` tells whether it was already known'), ...refusals, ...intakeRefusals },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/alerts/defender',
    summary: 'Submit Microsoft Graph security alerts (alerts_v2) as Graph returns them',
    security: secured,
    request: {
      query: defenderQuerySchema,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.union([
              z.looseObject({ id: z.string(), tenantId: z.string() }).meta({ id: 'GraphSecurityAlert' }),
              z.looseObject({ value: z.array(z.looseObject({ id: z.string(), tenantId: z.string() })) }),
            ]),
          },
        },
      },
    },
    responses: { 202: json(z.union([acceptedAlertSchema, acceptedBatchSchema]), 'Accepted'), ...refusals, ...intakeRefusals },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/alerts',
    summary: 'List alerts, newest first',
    security: secured,
    request: { query: listAlertsQuerySchema },
    responses: { 200: json(alertListSchema, 'A page of alerts'), 400: refusals[400], 401: refusals[401], 403: refusals[403] },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/alerts/{alertId}',
    summary: "An alert's state, severity, classification and timeline",
    security: secured,
    request: { params: z.object({ alertId: z.string() }) },
    responses: {
      200: json(alertDetailSchema, 'The alert with its evidence (a customer key reads it without SOC-internal pages, R17)'),
      401: refusals[401],
      403: refusals[403],
      404: json(errorSchema, 'No such alert visible to this key'),
    },
  });
  const decisions = [
    ['claim', 'Claim and acknowledge the alert (stops its escalation)', z.object({})],
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
      security: secured,
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
    security: secured,
    request: { query: queueQuerySchema },
    responses: { 200: json(queueSchema, 'The queue'), 400: refusals[400], 401: refusals[401], 403: refusals[403] },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/work-orders',
    summary: 'Request billable work outside the package (R3, R7, R10)',
    security: secured,
    request: { body: { required: true, content: { 'application/json': { schema: workOrderRequestSchema } } } },
    responses: {
      201: json(workOrderSchema, 'Recorded'),
      200: json(workOrderSchema, 'Already recorded under this requestId'),
      400: refusals[400],
      401: refusals[401],
      403: refusals[403],
      404: json(errorSchema, 'No such alert'),
      409: json(errorSchema, 'Included in the booked options (R11 allSeverities): not billable work'),
      422: refusals[422],
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/work-orders',
    summary: 'Billable work orders per tenant and month',
    security: secured,
    request: { query: workOrderListQuerySchema },
    responses: {
      200: {
        description: 'Work orders, oldest first; with format=csv a CSV download',
        content: { 'application/json': { schema: workOrderListSchema }, 'text/csv': { schema: { type: 'string' } } },
      },
      400: refusals[400],
      401: refusals[401],
      403: refusals[403],
    },
  });
  registerPlaybookPaths(registry, secured);
  registerWhatIfPaths(registry, secured);
  registerVersionPaths(registry, secured);
  registerAuditPaths(registry, secured);
  registerOperationsPaths(registry, secured);
  registerCodecPaths(registry, secured);
  registerEventPaths(registry, secured);
  registerTenantAccountPaths(registry, secured);
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: json(healthSchema, 'Alive') } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the workflow service answers',
    responses: { 200: json(healthSchema, 'Ready'), 503: json(healthSchema, 'Not ready') },
  });

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'SOAR engine API', version: '0.1.0', description: 'Alert intake and reading for a managed SOC' },
  });
  return withBodyRefusals(document);
}

/**
 * Every operation that takes a body can be refused before its route sees it: 413 past the body limit, 415 without a
 * JSON content type. Added here once rather than in each path entry.
 */
function withBodyRefusals<T extends { paths?: object }>(document: T): T {
  const errorBody = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const operations of Object.values(document.paths ?? {}) as object[]) {
    for (const operation of Object.values(operations) as unknown[]) {
      if (typeof operation !== 'object' || operation === null || !('requestBody' in operation)) continue;
      const { responses } = operation as unknown as { responses: Record<string, unknown> };
      responses['413'] ??= { description: refusals[413].description, ...errorBody };
      responses['415'] ??= { description: refusals[415].description, ...errorBody };
    }
  }
  return document;
}
