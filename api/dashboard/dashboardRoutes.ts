/**
 * `/dashboard`: the server-rendered web dashboard. A person logs in by pasting an API key; the session cookie then
 * stands for the key's principal, and every page calls the same services (and role checks) as the JSON API.
 * CSRF: every POST carries the session's token (the login form a double-submit cookie token), and the cookies are
 * SameSite=Strict. Errors become HTML pages; another tenant's alert gets the same 404 page as a missing one (R17).
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { TenantLedger } from '../../activities/publication/tenantLedger';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { ApiKeyRegistry } from '../auth/apiKeys';
import { may } from '../auth/roles';
import { toHttpError } from '../http/errorMiddleware';
import { DEFAULT_HARDENING, perKeyRateLimit, type HardeningOptions } from '../http/hardening';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../services/alertQueries';
import type { AlertTriage } from '../services/alertTriage';
import type { AnalystQueue } from '../services/analystQueue';
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../services/errors';
import type { FairUse } from '../services/fairUse';
import type { PlaybookRuns } from '../services/playbookRuns';
import type { TenantReports } from '../services/tenantReports';
import type { WorkOrders } from '../services/workOrders';
import { alertDetailPage, alertListPage } from './alertPages';
import { escalationsPage, fairUsePage, queuePage, workOrdersPage } from './analystPages';
import { DASHBOARD_CSS, page } from './dashboardLayout';
import {
  clearCookie,
  cookieOf,
  DashboardSessions,
  LOGIN_COOKIE,
  randomToken,
  sameToken,
  SESSION_COOKIE,
  setCookie,
  type DashboardSession,
} from './dashboardSessions';
import { html, type Html } from './html';
import { reportsPage, sendAlertReport, sendWeeklyReview } from './reportPages';
import { approvalsPage, decisionBodySchema } from './waitingApprovals';
import { problemsPage } from './problemsPage';
import type { WorkflowProblems } from '../services/workflowProblems';

/** What the dashboard uses of the API's dependencies (ApiDeps has all of it). */
export interface DashboardDeps {
  queries: AlertQueries;
  triage: AlertTriage;
  queue: AnalystQueue;
  workOrders: WorkOrders;
  playbookRuns: PlaybookRuns;
  problems: WorkflowProblems;
  account: { fairUse: FairUse; reports: TenantReports; ledger: TenantLedger };
  keys: ApiKeyRegistry;
  tenants: TenantCatalog;
  hardening?: Partial<HardeningOptions> | undefined;
  logError: (line: string, error: unknown) => void;
  /** The clock of sessions and default months (tests set it). */
  now?: () => Date;
}

const SESSION_TTL_MS = 8 * 3_600_000;
const LOGIN_TOKEN_TTL_MS = 30 * 60_000;

const loginBodySchema = z.strictObject({ _csrf: z.string().max(100), key: z.string().min(1).max(512) });
const csrfOnlySchema = z.strictObject({ _csrf: z.string() });

function sessionOf(response: Response): DashboardSession {
  const session: unknown = response.locals.dashboardSession;
  if (typeof session !== 'object' || session === null || !('principal' in session) || !('csrfToken' in session)) throw new UnauthenticatedError('Not logged in');
  return session as DashboardSession;
}

const param = (request: Request, name: string): string => String(request.params[name]);

export function dashboardRoutes(deps: DashboardDeps): Router {
  const now = deps.now ?? (() => new Date());
  const sessions = new DashboardSessions({ ttlMs: SESSION_TTL_MS, maxSessions: 10_000, now: () => now().getTime() });
  const tenantIds = () => deps.tenants.all().map((t) => t.id);
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use((_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/static/dashboard.css', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.type('text/css').send(DASHBOARD_CSS);
  });

  const loginForm = (request: Request, response: Response, error: string | null) => {
    const token = randomToken();
    setCookie(request, response, LOGIN_COOKIE, token, LOGIN_TOKEN_TTL_MS);
    response.type('html').send(
      page(
        'Log in',
        null,
        html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/dashboard/login"><input type="hidden" name="_csrf" value="${token}">
<p><label for="key">Your API key</label><br><input id="key" name="key" type="password" autocomplete="off" size="48" required></p>
<p><button type="submit">Log in</button></p></form>
<p class="note">Customers see their own company's alerts and reports; the SOC's analysts see the work queue across tenants.</p>`,
      ).text,
    );
  };

  router.get('/login', (request, response) => loginForm(request, response, null));
  router.post('/login', perKeyRateLimit(deps.hardening?.rateLimitPerMinute ?? DEFAULT_HARDENING.rateLimitPerMinute), (request, response) => {
    const parsed = loginBodySchema.safeParse(request.body ?? {});
    if (!parsed.success || !sameToken(cookieOf(request, LOGIN_COOKIE), parsed.data._csrf)) {
      response.status(403);
      return loginForm(request, response, 'The login form had expired; please try again.');
    }
    const principal = deps.keys.authenticate(parsed.data.key);
    if (!principal) {
      response.status(401);
      return loginForm(request, response, 'That API key is not valid.');
    }
    // An ingest key sits in a customer's EDR or firewall configuration: it sends alerts and events, it never opens a session.
    if (principal.role === 'ingest') {
      response.status(403);
      return loginForm(request, response, 'Ingest keys only send alerts and events; they cannot log in to the dashboard.');
    }
    const previous = sessions.find(cookieOf(request, SESSION_COOKIE));
    if (previous) sessions.close(previous.id);
    const session = sessions.open(principal);
    clearCookie(request, response, LOGIN_COOKIE);
    setCookie(request, response, SESSION_COOKIE, session.id, SESSION_TTL_MS);
    response.redirect(303, '/dashboard/');
  });

  // Everything below needs a session; a POST also the session's CSRF token.
  router.use((request, response, next) => {
    const session = sessions.find(cookieOf(request, SESSION_COOKIE));
    if (!session) return response.redirect(303, '/dashboard/login');
    response.locals.dashboardSession = session;
    if (request.method === 'POST' && !sameToken(session.csrfToken, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      throw new ForbiddenError('The form is not from this session (CSRF token missing or stale); reload the page and try again.');
    }
    next();
  });

  router.post('/logout', (request, response) => {
    sessions.close(sessionOf(response).id);
    clearCookie(request, response, SESSION_COOKIE);
    response.redirect(303, '/dashboard/login');
  });

  router.get('/', (_request, response) => {
    response.redirect(303, may(sessionOf(response).principal, 'readQueue') ? '/dashboard/queue' : '/dashboard/alerts');
  });
  router.get('/alerts', async (request, response) => {
    response.type('html').send((await alertListPage({ queries: deps.queries, tenantIds: tenantIds() }, sessionOf(response), request)).text);
  });
  router.get('/alerts/:alertId', async (request, response) => {
    response.type('html').send((await alertDetailPage(deps, sessionOf(response), param(request, 'alertId'))).text);
  });
  router.post('/alerts/:alertId/claim', async (request, response) => {
    parseOrRefuse(csrfOnlySchema, request.body);
    const alertId = param(request, 'alertId');
    await deps.triage.claim(sessionOf(response).principal, alertId);
    response.redirect(303, `/dashboard/alerts/${encodeURIComponent(alertId)}`);
  });
  router.post('/alerts/:alertId/runs/:runId/decision', async (request, response) => {
    const { digest, decision, reason } = parseOrRefuse(decisionBodySchema, request.body);
    const alertId = param(request, 'alertId');
    await deps.playbookRuns.decide(sessionOf(response).principal, alertId, param(request, 'runId'), { digest, decision, reason });
    response.redirect(303, `/dashboard/alerts/${encodeURIComponent(alertId)}`);
  });
  router.get('/queue', async (_request, response) => {
    response.type('html').send((await queuePage(deps.queue, sessionOf(response))).text);
  });
  router.get('/approvals', async (request, response) => {
    const session = sessionOf(response);
    if (!may(session.principal, 'approveActions')) throw new ForbiddenError(`Role '${session.principal.role}' may not decide approvals`);
    response.type('html').send((await approvalsPage(deps, session, request)).text);
  });
  router.get('/escalations', async (request, response) => {
    const session = sessionOf(response);
    if (!may(session.principal, 'readQueue')) throw new ForbiddenError(`Role '${session.principal.role}' has no analyst queue`);
    response.type('html').send((await escalationsPage(deps.queries, session, request)).text);
  });
  router.get('/problems', async (request, response) => {
    response.type('html').send((await problemsPage(deps.problems, sessionOf(response), request)).text);
  });
  router.get('/work-orders', async (request, response) => {
    response.type('html').send((await workOrdersPage(deps.workOrders, sessionOf(response), request, tenantIds(), now())).text);
  });
  router.get('/fair-use', (request, response) => {
    response.type('html').send(fairUsePage(deps.account.fairUse, sessionOf(response), request, now()).text);
  });
  const reportDeps = { reports: deps.account.reports, ledger: deps.account.ledger, tenants: deps.tenants };
  router.get('/reports', (request, response) => {
    response.type('html').send(reportsPage(reportDeps, sessionOf(response), request, now()).text);
  });
  router.get('/reports/alerts', (request, response) => sendAlertReport(reportDeps, sessionOf(response), request, response));
  router.get('/reports/weekly-review', (request, response) => sendWeeklyReview(reportDeps, sessionOf(response), request, response));

  router.use((request, _response, next) => next(new NotFoundError(`No page ${request.path}`)));
  router.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) return;
    if (error instanceof UnauthenticatedError) return void response.redirect(303, '/dashboard/login');
    const { status, body } = toHttpError(error);
    if (status >= 500) deps.logError(`${request.method} /dashboard${request.path} failed`, error);
    const session = sessions.find(cookieOf(request, SESSION_COOKIE)) ?? null;
    const [title, text] = errorPage(status, body.error.message, error);
    response.status(status).type('html').send(page(title, session, text).text);
  });
  return router;
}

/** The title and text of an error page. A 404 never repeats what was asked for: it reads the same whether it exists elsewhere or not (R17). */
function errorPage(status: number, message: string, error: unknown): [string, Html] {
  if (status === 404) return ['Not found', html`<p class="error">There is nothing at this address for you.</p>`];
  if (error instanceof InvalidInputError) {
    return ['Invalid request', html`<ul class="error">${error.issues.map((i) => html`<li>${i.field}: ${i.message}</li>`)}</ul>`];
  }
  if (status === 403) return ['Not allowed', html`<p class="error">${message}</p>`];
  if (status >= 500) return ['Something went wrong', html`<p class="error">${message}</p>`];
  return [`Refused (${status})`, html`<p class="error">${message}</p>`];
}
