/** POST /v1/what-if: the recorded alerts a proposed change would decide differently, as a file to attach to the change. */
import { principalOf } from '../auth/authenticate';
import type { Router } from 'express';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { shadowReportQuerySchema, whatIfRequestSchema } from './whatIfSchemas';
import { requireJson } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';
import type { WhatIfQuestions } from './whatIfQuestions';
import { reportFile } from '../../whatIf/whatIfReport';

export function whatIfRoutes(deps: { whatIf: WhatIfQuestions }): Router {
  const router = scopedRouter();
  router.post('/v1/what-if', requireJson, async (request, response) => {
    const question = parseOrRefuse(whatIfRequestSchema, request.body);
    const report = await deps.whatIf.ask(principalOf(response), question);
    const name = `what-if-${report.tenantId}-${report.change.kind}-${report.change.digest.replace(/^[a-z0-9]+:/, '').slice(0, 12)}.json`;
    response.status(200).type('application/json').attachment(name).send(reportFile(report));
  });
  router.get('/v1/playbooks/:playbookId/shadow-report', async (request, response) => {
    const query = parseOrRefuse(shadowReportQuerySchema, request.query);
    response.json(await deps.whatIf.shadowReport(principalOf(response), { playbookId: String(request.params['playbookId']), ...query }));
  });
  return router;
}
