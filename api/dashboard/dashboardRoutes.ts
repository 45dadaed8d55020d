/**
 * `/dashboard`: the server-rendered web dashboard. A person logs in by pasting an API key; the session cookie then
 * stands for the key's principal, and every page calls the same services (and role checks) as the JSON API.
 * CSRF: every POST carries the session's token (the login form a double-submit cookie token), and the cookies are
 * SameSite=Strict. Errors become HTML pages; another tenant's alert gets the same 404 page as a missing one (R17).
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { TenantLedger } from '../../stores/tenantLedger';
import type { SessionStore } from '../../stores/sessionStore';
import type { RateLimitStore } from '../../stores/rateLimitStore';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { ApiKeyRegistry } from '../auth/apiKeys';
import { may, type Principal } from '../../domain/access/roles';
import { toHttpError } from '../http/errorMiddleware';
import { DEFAULT_HARDENING, perKeyRateLimit, type HardeningOptions } from '../http/hardening';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../alerts/alertQueries';
import type { AlertTriage } from '../triage/alertTriage';
import type { AnalystQueue } from '../triage/analystQueue';
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../../domain/refusals';
import type { FairUse } from '../tenants/fairUse';
import type { PlaybookRuns } from '../playbooks/playbookRuns';
import type { TenantReports } from '../tenants/tenantReports';
import type { WorkOrders } from '../workOrders/workOrders';
import { alertDetailPage, alertListPage } from './alertPages';
import { escalationsPage, fairUsePage, queuePage, workOrdersPage } from './analystPages';
import { DASHBOARD_CSS, page, say, type DashboardView } from './dashboardLayout';
import {
  clearCookie,
  cookieOf,
  DashboardSessions,
  LOGIN_COOKIE,
  randomToken,
  sameToken,
  SESSION_COOKIE,
  setCookie,
} from './dashboardSessions';
import { html, type Html } from './html';
import { LANGUAGES, type Language } from '../../domain/i18n/language';
import { reportsPage, sendAlertReport, sendWeeklyReview } from './reportPages';
import { approvalsPage, decisionBodySchema } from './waitingApprovals';
import { problemsPage } from './problemsPage';
import { outboxPage } from './outboxPage';
import { serviceFiguresPage } from './serviceFiguresPage';
import { issuesInLanguage } from './issueText';
import { knownAnalyst } from '../triage/triageRoutes';
import {
  assessmentFormSchema,
  closeFormSchema,
  iocFormSchema,
  noteFormSchema,
  playbookFormSchema,
  reassignFormSchema,
  recommendationFormSchema,
  undoFormSchema,
} from './triageForms';
import type { WorkflowProblems } from '../operations/workflowProblems';
import type { WhatIfQuestions } from '../whatIf/whatIfQuestions';
import { askFromForm, whatIfFormPage, whatIfFormSchema } from './whatIfPage';

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
  /** Sessions and rate-limit counters shared by every API process (stores/). */
  sessions: SessionStore;
  rateLimits: RateLimitStore;
  hardening?: Partial<HardeningOptions> | undefined;
  logError: (line: string, error: unknown) => void;
  /** The clock of sessions and default months (tests set it). */
  now?: () => Date;
  /** The embedded set-up's outbox file (infra/outbox); absent: no outbox page. */
  outboxFile?: string | null;
  /** What-if over recorded alerts; absent: no what-if page. */
  whatIf?: WhatIfQuestions | undefined;
}

const SESSION_TTL_MS = 8 * 3_600_000;
/** Live sessions one API key may hold (several browsers, a few devices); its oldest closes past that. */
const SESSIONS_PER_PRINCIPAL = 10;
const LOGIN_TOKEN_TTL_MS = 30 * 60_000;

const loginBodySchema = z.strictObject({ _csrf: z.string().max(100), key: z.string().min(1).max(512) });
const csrfOnlySchema = z.strictObject({ _csrf: z.string() });
const languageFormSchema = z.strictObject({ _csrf: z.string(), language: z.enum(LANGUAGES) });
const LANGUAGE_COOKIE = 'soar_lang';
const LANGUAGE_COOKIE_TTL_MS = 365 * 86_400_000;

function sessionOf(response: Response): DashboardView {
  const session: unknown = response.locals.dashboardSession;
  if (typeof session !== 'object' || session === null || !('principal' in session) || !('csrfToken' in session)) throw new UnauthenticatedError('Not logged in');
  return session as DashboardView;
}

const param = (request: Request, name: string): string => String(request.params[name]);

export function dashboardRoutes(deps: DashboardDeps): Router {
  const now = deps.now ?? (() => new Date());
  const sessions = new DashboardSessions({ store: deps.sessions, ttlMs: SESSION_TTL_MS, maxPerPrincipal: SESSIONS_PER_PRINCIPAL, now: () => now().getTime() });
  const tenantIds = () => deps.tenants.all().map((t) => t.id);
  /** The viewer's choice (a cookie), else the tenant's language for a customer, else English (the SOC's analysts choose). */
  const viewLanguage = (request: Request, tenantId: string | null): Language =>
    LANGUAGES.find((l) => l === cookieOf(request, LANGUAGE_COOKIE)) ?? (tenantId ? deps.tenants.get(tenantId)?.language : undefined) ?? 'en';
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

  /** Before the login: the language cookie, else the browser's preference, else German. */
  const loginLanguage = (request: Request): Language => {
    const chosen = LANGUAGES.find((l) => l === cookieOf(request, LANGUAGE_COOKIE));
    if (chosen) return chosen;
    return request.acceptsLanguages('de', 'en') === 'en' ? 'en' : 'de';
  };
  const loginForm = (request: Request, response: Response, error: 'expired' | 'invalid' | 'ingest' | null, language = loginLanguage(request)) => {
    const token = randomToken();
    setCookie(request, response, LOGIN_COOKIE, token, LOGIN_TOKEN_TTL_MS);
    const t = (key: string) => say(language, `login.${key}`);
    response.type('html').send(
      page(
        t('title'),
        null,
        html`${error ? html`<p class="error" role="alert">${t(error)}</p>` : ''}
<form method="post" action="/dashboard/login"><input type="hidden" name="_csrf" value="${token}">
<p><label for="key">${t('key')}</label><br><input id="key" name="key" type="password" autocomplete="off" size="48" required></p>
<p><button type="submit">${t('submit')}</button></p></form>
<p class="note">${t('note')}</p>`,
        language,
      ).text,
    );
  };

  router.get('/login', (request, response) => {
    const asked = z.object({ language: z.enum(LANGUAGES).optional() }).safeParse(request.query).data?.language;
    if (asked) setCookie(request, response, LANGUAGE_COOKIE, asked, LANGUAGE_COOKIE_TTL_MS);
    loginForm(request, response, null, asked);
  });
  router.post('/login', perKeyRateLimit(deps.hardening?.rateLimitPerMinute ?? DEFAULT_HARDENING.rateLimitPerMinute, deps.rateLimits), async (request, response) => {
    const parsed = loginBodySchema.safeParse(request.body ?? {});
    if (!parsed.success || !sameToken(cookieOf(request, LOGIN_COOKIE), parsed.data._csrf)) {
      response.status(403);
      return loginForm(request, response, 'expired');
    }
    const principal = deps.keys.authenticate(parsed.data.key);
    if (!principal) {
      response.status(401);
      return loginForm(request, response, 'invalid');
    }
    // An ingest key sits in a customer's EDR or firewall configuration: it sends alerts and events, it never opens a session.
    if (principal.role === 'ingest') {
      response.status(403);
      return loginForm(request, response, 'ingest');
    }
    const previous = await sessions.find(cookieOf(request, SESSION_COOKIE));
    if (previous) await sessions.close(previous.id);
    const session = await sessions.open(principal);
    clearCookie(request, response, LOGIN_COOKIE);
    setCookie(request, response, SESSION_COOKIE, session.id, SESSION_TTL_MS);
    response.redirect(303, '/dashboard/');
  });

  // Everything below needs a session; a POST also the session's CSRF token.
  router.use(async (request, response, next) => {
    const session = await sessions.find(cookieOf(request, SESSION_COOKIE));
    if (!session) return response.redirect(303, '/dashboard/login');
    response.locals.dashboardSession = { ...session, language: viewLanguage(request, session.principal.tenantId) };
    if (request.method === 'POST' && !sameToken(session.csrfToken, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      throw new ForbiddenError('The form is not from this session (CSRF token missing or stale); reload the page and try again.');
    }
    next();
  });

  router.post('/language', (request, response) => {
    const { language } = parseOrRefuse(languageFormSchema, request.body);
    setCookie(request, response, LANGUAGE_COOKIE, language, LANGUAGE_COOKIE_TTL_MS);
    response.redirect(303, '/dashboard/');
  });

  router.post('/logout', async (request, response) => {
    await sessions.close(sessionOf(response).id);
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
  /** A triage form: its fields parsed like the API's body (a refusal names the field), the service decides, back to the alert. */
  const triageForm = <S extends z.ZodType>(path: string, schema: S, act: (principal: Principal, alertId: string, form: z.output<S>, request: Request) => Promise<unknown>) =>
    router.post(`/alerts/:alertId/${path}`, async (request, response) => {
      const form = parseOrRefuse(schema, request.body);
      const alertId = param(request, 'alertId');
      await act(sessionOf(response).principal, alertId, form, request);
      response.redirect(303, `/dashboard/alerts/${encodeURIComponent(alertId)}`);
    });
  triageForm('release', csrfOnlySchema, (principal, alertId) => deps.triage.release(principal, alertId));
  triageForm('reassign', reassignFormSchema, (principal, alertId, { analyst }) => deps.triage.reassign(principal, alertId, knownAnalyst(deps.keys.analysts(), analyst)));
  triageForm('assessment', assessmentFormSchema, (principal, alertId, { severity, verdict, rationale }) => deps.triage.assess(principal, alertId, { severity, verdict, rationale }));
  triageForm('iocs', iocFormSchema, (principal, alertId, { type, value, finding, note }) => deps.triage.recordIocs(principal, alertId, [{ type, value, finding, note }]));
  triageForm('recommendation', recommendationFormSchema, (principal, alertId, { recommendation }) => deps.triage.recommend(principal, alertId, recommendation));
  triageForm('close', closeFormSchema, (principal, alertId, { summary }) => deps.triage.close(principal, alertId, summary));
  triageForm('notes', noteFormSchema, (principal, alertId, { text }) => deps.triage.addNote(principal, alertId, text));
  triageForm('playbooks', playbookFormSchema, (principal, alertId, { playbookId }) => deps.playbookRuns.start(principal, alertId, playbookId));
  triageForm('runs/:runId/undo', undoFormSchema, (principal, alertId, { reason }, request) => deps.playbookRuns.undo(principal, alertId, param(request, 'runId'), reason));
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
  router.get('/fair-use', async (request, response) => {
    response.type('html').send((await fairUsePage(deps.account.fairUse, sessionOf(response), request, now())).text);
  });
  const reportDeps = { reports: deps.account.reports, ledger: deps.account.ledger, tenants: deps.tenants };
  router.get('/reports', async (request, response) => {
    response.type('html').send((await reportsPage(reportDeps, sessionOf(response), request, now())).text);
  });
  router.get('/reports/alerts', (request, response) => sendAlertReport(reportDeps, sessionOf(response), request, response));
  router.get('/reports/weekly-review', (request, response) => sendWeeklyReview(reportDeps, sessionOf(response), request, response));

  router.get('/service-figures', async (request, response) => {
    response.type('html').send((await serviceFiguresPage(deps.queries, sessionOf(response), request, now())).text);
  });
  router.get('/what-if', (_request, response) => {
    const session = sessionOf(response);
    if (!deps.whatIf || !may(session.principal, 'askWhatIf')) throw new ForbiddenError(`Role '${session.principal.role}' may not ask what-if questions`);
    response.type('html').send(whatIfFormPage(session, tenantIds()).text);
  });
  router.post('/what-if', async (request, response) => {
    const session = sessionOf(response);
    if (!deps.whatIf) throw new NotFoundError('No what-if here');
    const form = parseOrRefuse(whatIfFormSchema, request.body);
    response.type('html').send(whatIfFormPage(session, tenantIds(), await askFromForm(deps.whatIf, session, form)).text);
  });
  router.get('/outbox', (_request, response) => {
    response.type('html').send(outboxPage(deps.outboxFile, sessionOf(response)).text);
  });

  router.use((request, _response, next) => next(new NotFoundError(`No page ${request.path}`)));
  router.use(async (error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) return;
    if (error instanceof UnauthenticatedError) return void response.redirect(303, '/dashboard/login');
    const { status, body } = toHttpError(error);
    if (status >= 500) deps.logError(`${request.method} /dashboard${request.path} failed`, error);
    const found = (await sessions.find(cookieOf(request, SESSION_COOKIE)).catch(() => undefined)) ?? null;
    const session = found && { ...found, language: viewLanguage(request, found.principal.tenantId) };
    const [title, text] = errorPage(status, body.error.message, error, session?.language ?? loginLanguage(request));
    response.status(status).type('html').send(page(title, session, text, session?.language ?? loginLanguage(request)).text);
  });
  return router;
}

/** The title and text of an error page. A 404 never repeats what was asked for: it reads the same whether it exists elsewhere or not (R17). */
function errorPage(status: number, message: string, error: unknown, language: Language): [string, Html] {
  const t = (key: string, params: Record<string, string | number> = {}) => say(language, `error.${key}`, params);
  if (status === 404) return [t('notFound'), html`<p class="error">${t('nothingHere')}</p>`];
  if (error instanceof InvalidInputError) {
    return [t('invalid'), html`<ul class="error">${issuesInLanguage(error, language).map((i) => html`<li>${i.field}: ${i.message}</li>`)}</ul>`];
  }
  if (status === 403) return [t('notAllowed'), refusal(message, language, 'notAllowedText')];
  if (status >= 500) return [t('failed'), refusal(message, language, 'failedText')];
  return [t('refused', { status }), refusal(message, language, status === 409 ? 'conflictText' : 'refusedText')];
}

/**
 * The services' refusal texts are English (the API's JSON): in English they are shown as they are; in German the page
 * says in German what happened and names the contract rules the refusal cites (R8, R17, ...); the English wording
 * stays available as the paragraph's title for the SOC's own staff.
 */
function refusal(message: string, language: Language, key: string): Html {
  if (language === 'en') return html`<p class="error">${message}</p>`;
  const rules = [...new Set(message.match(/\bR\d{1,2}\b/g) ?? [])];
  const text = say(language, `error.${key}`);
  const cited = rules.length > 0 ? ` ${say(language, 'error.rules', { rules: rules.join(', ') })}` : '';
  return html`<p class="error" title="${message}">${text}${cited}</p>`;
}
