/** `/v1/alerts`: intake of normalised alerts, listing and details. */
import type { AlertIntake, AcceptedAlert } from './alertIntake';
import type { AlertQueries } from './alertQueries';
import { principalOf } from '../auth/authenticate';
import type { Router } from 'express';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { alertInputSchema, listAlertsQuerySchema } from './alertSchemas';
import { requireJson } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';

export function statusUrlOf(accepted: AcceptedAlert) {
  return { ...accepted, statusUrl: `/v1/alerts/${encodeURIComponent(accepted.alertId)}` };
}

export function alertRoutes(deps: { intake: AlertIntake; queries: AlertQueries }): Router {
  const router = scopedRouter();

  router.post('/v1/alerts', requireJson, async (request, response) => {
    const alert = parseOrRefuse(alertInputSchema, request.body);
    const [accepted] = await deps.intake.submit(principalOf(response), [alert], (_index, field) => field);
    if (!accepted) throw new Error('intake accepted nothing for one alert');
    response.locals.logFields = { tenantId: alert.tenantId, alertId: accepted.alertId, workflowId: accepted.workflowId };
    response.status(202).json(statusUrlOf(accepted));
  });

  router.get('/v1/alerts', async (request, response) => {
    const filter = parseOrRefuse(listAlertsQuerySchema, request.query);
    response.json(await deps.queries.list(principalOf(response), filter));
  });

  router.get('/v1/alerts/:alertId', async (request, response) => {
    response.json(await deps.queries.detail(principalOf(response), request.params.alertId));
  });

  return router;
}
