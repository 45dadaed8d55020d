/** Builds the HTTP API (express) without listening: routes, authentication, body limits and the error mapping. */
import express from 'express';
import type { ApiKeyRegistry } from './auth/apiKeys';
import { authenticate, principalOf } from './auth/authenticate';
import { tenantQueryScope } from './auth/tenantScopeGuard';
import { errorMiddleware, sendError } from './http/errorMiddleware';
import { corsPolicy, DEFAULT_HARDENING, failedAuthLimit, INTAKE_PATHS, intakeInFlightLimit, perKeyRateLimit, perTenantRateLimit, requestTimeLimit, securityHeaders, type HardeningOptions } from './http/hardening';
import type { SessionStore } from '../stores/sessionStore';
import type { RateLimitStore } from '../stores/rateLimitStore';
import { createApiMetrics, metricsRoutes, type ApiMetrics } from './http/metrics';
import { observeRequests } from './http/observeRequests';
import { traceRequests } from './http/traceRequests';
import type { Tracer } from '@opentelemetry/api';
import { methodNotAllowed } from './http/methodNotAllowed';
import { rootLogger, type Logger } from '../infra/logger';
import { buildOpenApiDocument, type OpenApiScope } from './http/openapi';
import { may } from '../domain/access/roles';
import { mayActFor } from '../domain/access/tenantScope';
import { azureTenantIdsOf } from '../domain/tenant/tenantSchema';
import { NotFoundError } from '../domain/refusals';
import { alertRoutes } from './alerts/alertRoutes';
import { defenderRoutes } from './alerts/defenderRoutes';
import type { EndpointLocation } from '../infra/endpointLocations';
import { healthRoutes } from './http/healthRoutes';
import type { DetectionStatus } from '../activities/analysis/liveDetectionRules';
import type { AlertIntake } from './alerts/alertIntake';
import type { AlertQueries } from './alerts/alertQueries';
import type { AlertTriage } from './triage/alertTriage';
import type { AnalystQueue } from './triage/analystQueue';
import { triageRoutes } from './triage/triageRoutes';
import { workOrderRoutes } from './workOrders/workOrderRoutes';
import { playbookRoutes } from './playbooks/playbookRoutes';
import { whatIfRoutes } from './whatIf/whatIfRoutes';
import { versionRoutes } from './versions/versionRoutes';
import type { ConfigVersions } from './versions/configVersions';
import type { WhatIfQuestions } from './whatIf/whatIfQuestions';
import type { PlaybookRuns } from './playbooks/playbookRuns';
import { auditRoutes } from './audit/auditRoutes';
import { operationsRoutes } from './operations/operationsRoutes';
import type { WorkflowProblems } from './operations/workflowProblems';
import type { AlertAudit } from './audit/alertAudit';
import type { WorkOrders } from './workOrders/workOrders';
import type { TenantCatalog } from '../domain/tenant/loadTenants';
import { eventRoutes, type EventRouteDeps } from './events/eventRoutes';
import { codecCors, codecRoutes } from './codec/codecRoutes';
import type { PayloadCodecEndpoint } from './codec/payloadCodecEndpoint';
import { tenantAccountRoutes, type TenantAccountDeps } from './tenants/tenantAccountRoutes';
import { dashboardRoutes } from './dashboard/dashboardRoutes';
import { TEMPORAL_UI_PATH, temporalUiRoutes } from './dashboard/temporalUi';
import { phoneCallbackRoutes } from './phoneCallbacks/phoneCallbackRoutes';
import type { PhoneCallbacks } from './phoneCallbacks/phoneCallbacks';
import { sipgateCallbackRoutes } from './phoneCallbacks/sipgateCallbackRoutes';
import type { Announcements } from './phoneCallbacks/announcements';
import type { SipgateCallbacks } from './phoneCallbacks/sipgateCallbacks';

export interface ApiDeps {
  intake: AlertIntake;
  queries: AlertQueries;
  triage: AlertTriage;
  queue: AnalystQueue;
  workOrders: WorkOrders;
  playbookRuns: PlaybookRuns;
  /** What-if over recorded alerts (POST /v1/what-if); absent: not served. */
  whatIf?: WhatIfQuestions;
  /** Playbook and release-matrix revisions (versions, rollback); absent: not served. */
  versions?: ConfigVersions;
  audit: AlertAudit;
  /** Failed or stuck workflows with their reasons (GET /v1/operations/problems). */
  problems: WorkflowProblems;
  /** The remote codec of the Temporal UI and CLI, and the one browser origin (the UI's) allowed to call it. */
  codec: PayloadCodecEndpoint;
  codecCorsOrigin: string | null;
  /** Event intake (POST /v1/events) and the syslog listener's statistics. */
  events: EventRouteDeps;
  /** Package changes (R16), fair use (R15) and leak findings (R4). */
  account: Omit<TenantAccountDeps, 'tenants'>;
  keys: ApiKeyRegistry;
  tenants: TenantCatalog;
  /** Dashboard sessions and rate-limit counters, shared by every API process. */
  sessions: SessionStore;
  rateLimits: RateLimitStore;
  bodyLimitBytes: number;
  isReady: () => Promise<boolean>;
  /** R20: external endpoints outside Germany, listed on GET /readyz for admin keys. */
  endpointsOutsideGermany?: readonly EndpointLocation[];
  /** The detection rule set in use, shown by GET /readyz. */
  detectionStatus?: () => DetectionStatus;
  logError: (line: string, error: unknown) => void;
  /** Request log lines (default: the process's logger). */
  logger?: Logger;
  /** The figures of GET /metrics (default: HTTP figures only) and the bearer token Prometheus sends (admin keys work too). */
  metrics?: ApiMetrics;
  metricsToken?: string | null;
  /** A span per request (infra/telemetry); absent: none. */
  tracer?: Tracer;
  /** The embedded set-up's outbox file, listed on /dashboard/outbox (admin); null or absent elsewhere. */
  outboxFile?: string | null;
  /** Rate and time limits, CORS origins (defaults: DEFAULT_HARDENING). */
  hardening?: Partial<HardeningOptions>;
  /** The Temporal UI's internal address, proxied for auditors and admins under /dashboard/temporal-ui; null: not served. */
  temporalUiUrl?: string | null;
  /** Twilio's signed delivery reports and key presses (POST /callbacks/phone/twilio/...); null or absent: not served. */
  phoneCallbacks?: PhoneCallbacks | null;
  /** sipgate's signed push events of escalation calls and the announcements they play; null or absent: not served. */
  sipgateCallbacks?: { callbacks: SipgateCallbacks; announcements: Announcements } | null;
}

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const openApi = buildOpenApiDocument();
  const metrics = deps.metrics ?? createApiMetrics();
  const hardening = { ...DEFAULT_HARDENING, ...deps.hardening };
  // Behind a TLS proxy: the client's address (rate limits) and https (Secure cookies) come from the trusted proxy's headers.
  app.set('trust proxy', hardening.trustProxy === false || typeof hardening.trustProxy === 'number' ? hardening.trustProxy : [...hardening.trustProxy]);

  if (deps.tracer) app.use(traceRequests(deps.tracer));
  app.use(observeRequests(deps.logger ?? rootLogger(), metrics));
  // Before the API's security headers: the UI brings its own (its scripts would not run under the API's CSP).
  if (deps.temporalUiUrl) app.use(TEMPORAL_UI_PATH, temporalUiRoutes({ uiUrl: deps.temporalUiUrl, codec: deps.codec, sessions: deps.sessions, now: () => new Date() }));
  app.use(securityHeaders());
  app.use(requestTimeLimit(hardening.requestTimeoutMs, sendError));

  app.use(healthRoutes(deps.isReady, deps.detectionStatus, { keys: deps.keys, outsideGermany: deps.endpointsOutsideGermany ?? [] }));
  app.use(metricsRoutes({ metrics, keys: deps.keys, token: deps.metricsToken ?? null }));
  app.get('/openapi.json', (_request, response) => {
    response.json(openApi);
  });
  app.use(codecCors(deps.codecCorsOrigin));
  app.use(corsPolicy(hardening.corsOrigins));
  if (deps.phoneCallbacks) app.use(phoneCallbackRoutes(deps.phoneCallbacks));
  if (deps.sipgateCallbacks) app.use(sipgateCallbackRoutes(deps.sipgateCallbacks.callbacks, deps.sipgateCallbacks.announcements));
  app.use('/v1', failedAuthLimit(hardening.failedAuthPerMinute, deps.rateLimits, () => metrics.rateLimited.inc()));
  app.use('/v1', authenticate(deps.keys));
  app.use('/v1', perKeyRateLimit(hardening.rateLimitPerMinute, deps.rateLimits, () => metrics.rateLimited.inc()));
  if (hardening.tenantRateLimitPerMinute) app.use('/v1', perTenantRateLimit(hardening.tenantRateLimitPerMinute, deps.rateLimits, () => metrics.rateLimited.inc()));
  // R17: another tenant named in the query is absent (404); path parameters are guarded by each router (scopedRouter).
  app.use('/v1', tenantQueryScope);
  // The document as strict as the validators for the calling key: its tenants and their sources, the analysts and playbooks.
  const scopedDocuments = new Map<string, object>();
  app.get('/v1/openapi.json', async (_request, response) => {
    const principal = principalOf(response);
    const scope: OpenApiScope = {
      tenants: deps.tenants
        .all()
        .filter((tenant) => mayActFor(principal, tenant.id))
        .map((tenant) => ({ id: tenant.id, sources: tenant.sources.map((source) => source.id), azureTenantIds: azureTenantIdsOf(tenant) })),
      analysts: may(principal, 'triageAlerts') ? deps.keys.analysts() : [],
      playbooks: may(principal, 'readPlaybooks') ? (await deps.playbookRuns.catalogue(principal)).map((playbook) => playbook.id) : [],
    };
    const cacheKey = JSON.stringify(scope);
    let document = scopedDocuments.get(cacheKey);
    if (!document) {
      if (scopedDocuments.size >= 100) scopedDocuments.clear();
      document = buildOpenApiDocument(scope);
      scopedDocuments.set(cacheKey, document);
    }
    response.json(document);
  });
  app.post(INTAKE_PATHS, intakeInFlightLimit(hardening.intakeMaxInFlight, () => metrics.rateLimited.inc(), hardening.intakeMaxInFlightPerTenant));
  // Before the JSON body parser: event batches are read from the stream, never buffered whole.
  app.use(eventRoutes(deps.events));
  app.use(express.json({ limit: deps.bodyLimitBytes, strict: false, type: ['application/json', 'application/*+json'] }));
  app.use(defenderRoutes({ intake: deps.intake, tenants: deps.tenants }));
  app.use(alertRoutes({ intake: deps.intake, queries: deps.queries }));
  app.use(triageRoutes({ triage: deps.triage, queue: deps.queue, analysts: () => deps.keys.analysts() }));
  app.use(workOrderRoutes({ workOrders: deps.workOrders }));
  app.use(tenantAccountRoutes({ ...deps.account, tenants: deps.tenants }));
  app.use(playbookRoutes({ runs: deps.playbookRuns }));
  if (deps.whatIf) app.use(whatIfRoutes({ whatIf: deps.whatIf }));
  if (deps.versions) app.use(versionRoutes({ versions: deps.versions }));
  app.use(auditRoutes({ audit: deps.audit, now: () => new Date() }));
  app.use(operationsRoutes({ problems: deps.problems }));
  app.use(codecRoutes({ codec: deps.codec }));
  app.use('/dashboard', dashboardRoutes(deps));
  app.use(methodNotAllowed(openApi));
  app.use((request, _response, next) => next(new NotFoundError(`No route ${request.method} ${request.path}`)));
  app.use(errorMiddleware(deps.logError));
  return app;
}
