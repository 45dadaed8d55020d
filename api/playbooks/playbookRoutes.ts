/** Playbook endpoints (R8): the catalogue, starting a run on an alert, reading it, approvals and undo. */
import { type Router, type Request } from 'express';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { approvalDecisionSchema, startPlaybookSchema, undoRunSchema } from './playbookSchemas';
import { requireJson } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';
import type { PlaybookRuns } from './playbookRuns';

const param = (request: Request, name: string): string => String(request.params[name]);

export function playbookRoutes(deps: { runs: PlaybookRuns }): Router {
  const router = scopedRouter();
  const { runs } = deps;

  router.get('/v1/playbooks', async (_request, response) => {
    response.json({ items: await runs.catalogue(principalOf(response)) });
  });

  router.post('/v1/alerts/:alertId/playbooks', requireJson, async (request, response) => {
    const { playbookId, mode } = parseOrRefuse(startPlaybookSchema, request.body);
    response.status(201).json(await runs.start(principalOf(response), param(request, 'alertId'), playbookId, mode));
  });

  router.get('/v1/alerts/:alertId/playbooks/:runId', async (request, response) => {
    response.json(await runs.get(principalOf(response), param(request, 'alertId'), param(request, 'runId')));
  });

  router.post('/v1/alerts/:alertId/playbooks/:runId/approvals', requireJson, async (request, response) => {
    const body = parseOrRefuse(approvalDecisionSchema, request.body);
    response.json(await runs.decide(principalOf(response), param(request, 'alertId'), param(request, 'runId'), body));
  });

  router.post('/v1/alerts/:alertId/playbooks/:runId/undo', requireJson, async (request, response) => {
    const { reason } = parseOrRefuse(undoRunSchema, request.body);
    response.json(await runs.undo(principalOf(response), param(request, 'alertId'), param(request, 'runId'), reason));
  });

  return router;
}
