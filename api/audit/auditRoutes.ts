/** Audit endpoints (R18): export an alert's histories, replay them against the current code, read the decision trail. */
import { type Router, type Request } from 'express';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { renderTrailHtml } from './trailHtml';
import type { AlertAudit } from './alertAudit';
import { trailQuerySchema } from './auditOpenApi';
import { parseOrRefuse } from '../http/validate';
import { DEFAULT_LANGUAGE, type Language } from '../../domain/i18n/language';
import { trailForJson } from '../../infra/audit/decisionTrail';

const param = (request: Request, name: string): string => String(request.params[name]);
/** `?decode=true`: payloads decoded through the engine's codec; otherwise as stored (encrypted). */
const decode = (request: Request): { decode: boolean } => ({ decode: request.query['decode'] === 'true' || request.query['decode'] === '1' });

/**
 * The printable trail's language: the one asked for, else the reader's Accept-Language (de or en), else German, the
 * SOC's and its auditors' language (as the dashboard's login page decides before it knows who reads).
 */
function readerLanguage(request: Request, asked: Language | undefined): Language {
  if (asked) return asked;
  if (!request.get('Accept-Language')) return DEFAULT_LANGUAGE;
  return request.acceptsLanguages('de', 'en') === 'en' ? 'en' : DEFAULT_LANGUAGE;
}

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
    const query = parseOrRefuse(trailQuerySchema, request.query);
    const trail = await audit.trail(principalOf(response), param(request, 'alertId'));
    const html = query.format === 'html' || (query.format !== 'json' && request.accepts(['application/json', 'text/html']) === 'text/html');
    if (html) {
      response.type('html').send(renderTrailHtml(trail.alertId, trail.entries, deps.now(), readerLanguage(request, query.language)));
    } else {
      response.json({ ...trail, entries: trailForJson(trail.entries) });
    }
  });

  return router;
}
