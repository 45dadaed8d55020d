/**
 * The Temporal UI behind the dashboard's login: `/dashboard/temporal-ui/` is proxied to the UI's internal address
 * (`SOAR_TEMPORAL_UI_URL`) for auditors and admins only, and the UI's remote codec is `/dashboard/temporal-ui/codec`,
 * authenticated by the same session. Anyone else gets the login page or the dashboard's 404. The UI is started with
 * this public path and codec endpoint (docs/deployment.md); it is never published on a port of its own.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { may } from '../../domain/access/roles';
import { parseOrRefuse } from '../http/validate';
import { InvalidInputError, NotFoundError } from '../../domain/refusals';
import { codecBodySchema, type PayloadCodecEndpoint } from '../codec/payloadCodecEndpoint';
import type { SessionStore } from '../../stores/sessionStore';
import { cookieOf, DashboardSessions, SESSION_COOKIE, type DashboardSession } from './dashboardSessions';

export const TEMPORAL_UI_PATH = '/dashboard/temporal-ui';

export interface TemporalUiDeps {
  /** The UI's address inside the deployment's network, e.g. http://temporal-ui:8080. */
  uiUrl: string;
  codec: PayloadCodecEndpoint;
  sessions: SessionStore;
  now: () => Date;
}

export function temporalUiRoutes(deps: TemporalUiDeps): Router {
  const sessions = new DashboardSessions({ store: deps.sessions, ttlMs: 0, maxPerPrincipal: 0, now: () => deps.now().getTime() });
  const router = Router();
  // Only an auditor's or admin's session: the UI with the codec shows every tenant's payloads in clear.
  router.use(async (request: Request, response: Response, next: NextFunction) => {
    const session = await sessions.find(cookieOf(request, SESSION_COOKIE));
    if (!session) return response.redirect(303, '/dashboard/login');
    if (!may(session.principal, 'decodePayloads')) throw new NotFoundError('No page /temporal-ui');
    response.locals.dashboardSession = session;
    next();
  });
  const codecJson = express.json({ limit: '4mb', type: 'application/json' });
  for (const operation of ['decode', 'encode'] as const) {
    router.post(`/codec/${operation}`, codecJson, async (request: Request, response: Response) => {
      // A header a cross-site form cannot send: with the SameSite=Strict cookie, no other site can call this.
      const namespace = request.header('x-namespace');
      if (!namespace) throw new InvalidInputError([{ field: '(header) X-Namespace', message: 'required: the namespace the payloads belong to' }]);
      const { principal } = response.locals.dashboardSession as DashboardSession;
      const body = parseOrRefuse(codecBodySchema, request.body);
      response.json(operation === 'decode' ? await deps.codec.decode(principal, namespace, body) : await deps.codec.encode(principal, namespace, body));
    });
  }
  router.use(
    createProxyMiddleware<IncomingMessage>({
      target: deps.uiUrl,
      // The UI serves under the same public path: keep the full path the browser asked for.
      pathRewrite: (_path, request) => (request as Request).originalUrl,
      on: {
        // The UI needs neither the engine's session nor any API key.
        proxyReq: (proxyRequest) => {
          proxyRequest.removeHeader('cookie');
          proxyRequest.removeHeader('authorization');
        },
      },
    }),
  );
  return router;
}
