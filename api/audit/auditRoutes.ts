/** Audit endpoints (R18): export an alert's histories, replay them against the current code, read the decision trail. */
import { type Router, type Request } from 'express';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { renderTrailHtml } from './trailHtml';
import type { AlertAudit } from './alertAudit';

const param = (request: Request, name: string): string => String(request.params[name]);
/** `?decode=true`: payloads decoded through the engine's codec; otherwise as stored (encrypted). */
const decode = (request: Request): { decode: boolean } => ({ decode: request.query['decode'] === 'true' || request.query['decode'] === '1' });

export function auditRoutes(deps: { audit: AlertAudit; now: () => Date }): Router {
  const router = scopedRouter();
  const { audit } = deps;

  router.get('/v1/audit/alerts/:alertId/history', async (request, response) => {
    response.json(await audit.histories(principalOf(response), param(request, 'alertId'), decode(request)));
  });

  router.get('/v1/audit/alerts/:alertId/history/:workflowId', async (request, response) => {
    response.json(await audit.history(principalOf(response), param(request, 'alertId'), param(request, 'workflowId'), decode(request)));
  });

  router.post('/v1/audit/alerts/:alertId/replay', async (request, response) => {
    response.json(await audit.replay(principalOf(response), param(request, 'alertId')));
  });

  router.get('/v1/audit/alerts/:alertId/trail', async (request, response) => {
    const trail = await audit.trail(principalOf(response), param(request, 'alertId'));
    const format = request.query['format'];
    const html = format === 'html' || (format !== 'json' && request.accepts(['application/json', 'text/html']) === 'text/html');
    if (html) {
      response.type('html').send(renderTrailHtml(trail.alertId, trail.entries, deps.now()));
    } else {
      response.json(trail);
    }
  });

  return router;
}
