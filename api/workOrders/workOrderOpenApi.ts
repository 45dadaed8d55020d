/** The work-order routes in the OpenAPI document (R3, R7, R10). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { json, refusals, tenantAbsent } from '../http/openApiParts';
import { errorSchema } from '../http/schemas';
import { workOrderListQuerySchema, workOrderListSchema, workOrderRequestSchema, workOrderSchema } from './workOrderSchemas';

export function registerWorkOrderPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/work-orders',
    summary: 'Request billable work outside the package (R3, R7, R10)',
    security,
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
    security,
    request: { query: workOrderListQuerySchema },
    responses: {
      200: {
        description: 'Work orders, oldest first; with format=csv a CSV download',
        content: { 'application/json': { schema: workOrderListSchema }, 'text/csv': { schema: { type: 'string' } } },
      },
      400: refusals[400],
      401: refusals[401],
      403: refusals[403],
      404: tenantAbsent,
    },
  });
}
