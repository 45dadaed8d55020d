/** Operations: failed or stuck workflows with their reasons, in one place (GET /v1/operations/problems). */
import { principalOf } from '../auth/authenticate';
import type { Router } from 'express';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { problemsQuerySchema } from './operationsOpenApi';
import { parseOrRefuse } from '../http/validate';
import type { WorkflowProblems } from './workflowProblems';

export function operationsRoutes(deps: { problems: WorkflowProblems }): Router {
  const router = scopedRouter();
  router.get('/v1/operations/problems', async (request, response) => {
    response.json(await deps.problems.list(principalOf(response), parseOrRefuse(problemsQuerySchema, request.query)));
  });
  return router;
}
