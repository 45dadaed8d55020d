/** The alert routes in the OpenAPI document: intake (normalised and Microsoft Graph alerts), the list and one alert. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { graphAlertPageSchema, graphAlertSchema } from '../../ingest/defender/graphAlertSchema';
import { intakeRefusals, json, refusals, tenantAbsent } from '../http/openApiParts';
import { errorSchema } from '../http/schemas';
import { acceptedAlertSchema, acceptedBatchSchema, alertInputSchema, alertListSchema, defenderQuerySchema, listAlertsQuerySchema } from './alertSchemas';
import { alertDetailSchema } from './evidenceSchemas';

export function registerAlertPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/alerts',
    summary: 'Submit a normalised alert',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: alertInputSchema } } } },
    responses: { 202: json(acceptedAlertSchema, 'Accepted; `duplicate` tells whether it was already known'), ...refusals, ...intakeRefusals },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/alerts/defender',
    summary: 'Submit Microsoft Graph security alerts (alerts_v2) as Graph returns them',
    security,
    request: {
      query: defenderQuerySchema,
      body: {
        required: true,
        content: {
          'application/json': {
            // The validator's own schemas (ingest/defender/graphAlertSchema.ts): one alert, or a page of them.
            schema: z.union([graphAlertSchema.meta({ id: 'GraphSecurityAlert' }), graphAlertPageSchema.meta({ id: 'GraphSecurityAlertPage' })]),
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
    security,
    request: { query: listAlertsQuerySchema },
    responses: { 200: json(alertListSchema, 'A page of alerts'), 400: refusals[400], 401: refusals[401], 403: refusals[403], 404: tenantAbsent },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/alerts/{alertId}',
    summary: "An alert's state, severity, classification and timeline",
    security,
    request: { params: z.object({ alertId: z.string() }) },
    responses: {
      200: json(alertDetailSchema, 'The alert with its evidence (a customer key reads it without SOC-internal pages, R17)'),
      401: refusals[401],
      403: refusals[403],
      404: json(errorSchema, 'No such alert visible to this key'),
    },
  });
}
