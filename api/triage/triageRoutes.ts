/** Analyst endpoints: the work queue and the decisions on one alert, each a Temporal Update (R2, R6-R8, R11). */
import { type Router, type Request } from 'express';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { assessmentSchema, closeSchema, emptyBodySchema, iocsSchema, noteSchema, queueQuerySchema, reassignSchema, recommendationSchema } from './triageSchemas';
import { InvalidInputError } from '../../domain/refusals';
import { requireJson } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';
import type { AlertTriage } from './alertTriage';
import type { AnalystQueue } from './analystQueue';

/** The `:alertId` path segment (express types it loosely). */
function alertIdOf(request: Request): string {
  return String(request.params['alertId']);
}

/** An alert is handed only to an analyst the key registry knows; anyone else is refused naming the field. */
export function knownAnalyst(analysts: readonly string[], analyst: string): string {
  if (!analysts.includes(analyst)) throw new InvalidInputError([{ field: 'analyst', message: `'${analyst}' is not an analyst (known: ${analysts.join(', ')})` }]);
  return analyst;
}

export function triageRoutes(deps: { triage: AlertTriage; queue: AnalystQueue; analysts: () => string[] }): Router {
  const router = scopedRouter();
  const { triage } = deps;

  router.get('/v1/queue', async (request, response) => {
    const { limit } = parseOrRefuse(queueQuerySchema, request.query);
    response.json(await deps.queue.list(principalOf(response), limit));
  });

  router.post('/v1/alerts/:alertId/claim', requireJson, async (request, response) => {
    parseOrRefuse(emptyBodySchema, request.body ?? {});
    response.json(await triage.claim(principalOf(response), alertIdOf(request)));
  });

  router.post('/v1/alerts/:alertId/release', requireJson, async (request, response) => {
    parseOrRefuse(emptyBodySchema, request.body ?? {});
    response.json(await triage.release(principalOf(response), alertIdOf(request)));
  });

  router.post('/v1/alerts/:alertId/reassign', requireJson, async (request, response) => {
    const { analyst } = parseOrRefuse(reassignSchema, request.body);
    response.json(await triage.reassign(principalOf(response), alertIdOf(request), knownAnalyst(deps.analysts(), analyst)));
  });

  router.post('/v1/alerts/:alertId/notes', requireJson, async (request, response) => {
    const { text } = parseOrRefuse(noteSchema, request.body);
    response.json(await triage.addNote(principalOf(response), alertIdOf(request), text));
  });

  router.post('/v1/alerts/:alertId/assessment', requireJson, async (request, response) => {
    const body = parseOrRefuse(assessmentSchema, request.body);
    response.json(await triage.assess(principalOf(response), alertIdOf(request), body));
  });

  router.post('/v1/alerts/:alertId/iocs', requireJson, async (request, response) => {
    const { iocs } = parseOrRefuse(iocsSchema, request.body);
    response.json(await triage.recordIocs(principalOf(response), alertIdOf(request), iocs));
  });

  router.post('/v1/alerts/:alertId/recommendation', requireJson, async (request, response) => {
    const { recommendation } = parseOrRefuse(recommendationSchema, request.body);
    response.json(await triage.recommend(principalOf(response), alertIdOf(request), recommendation));
  });

  router.post('/v1/alerts/:alertId/close', requireJson, async (request, response) => {
    const { summary } = parseOrRefuse(closeSchema, request.body);
    response.json(await triage.close(principalOf(response), alertIdOf(request), summary));
  });

  return router;
}
