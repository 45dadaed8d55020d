/** `/v1/work-orders`: billable work requested outside the package (R3, R7, R10), and its listing per tenant and month. */
import { principalOf } from '../auth/authenticate';
import type { Router } from 'express';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { workOrderListQuerySchema, workOrderRequestSchema } from './workOrderSchemas';
import { requireJson } from '../http/requireJson';
import { toCsv } from '../http/csv';
import { parseOrRefuse } from '../http/validate';
import type { WorkOrders } from './workOrders';

export function workOrderRoutes(deps: { workOrders: WorkOrders }): Router {
  const router = scopedRouter();
  router.post('/v1/work-orders', requireJson, async (request, response) => {
    const body = parseOrRefuse(workOrderRequestSchema, request.body);
    const { order, duplicate } = await deps.workOrders.request(principalOf(response), body);
    response.status(duplicate ? 200 : 201).json(order);
  });
  router.get('/v1/work-orders', async (request, response) => {
    const { format, ...filter } = parseOrRefuse(workOrderListQuerySchema, request.query);
    const list = await deps.workOrders.list(principalOf(response), filter);
    if (format === 'json') return void response.json(list);
    const rows = list.items.map((o) => [o.workOrderId, o.tenantId, o.alertId, o.requestedAt, o.requestedBy, o.description, o.reason]);
    response
      .type('text/csv; charset=utf-8')
      .attachment(`work-orders-${filter.tenantId ?? 'all'}-${filter.month ?? 'all'}.csv`)
      .send(toCsv(['workOrderId', 'tenantId', 'alertId', 'requestedAt', 'requestedBy', 'description', 'reason'], rows));
  });
  return router;
}
