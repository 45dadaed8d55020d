/**
 * The API's Prometheus figures (one registry per app, no global): HTTP requests by route and status, alerts received
 * by tenant and severity, and alerts waiting per state, counted from Temporal visibility on scrape with a short cache.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiKeyRegistry } from '../auth/apiKeys';
import { sha256Hex } from '../auth/apiKeys';
import { ForbiddenError, UnauthenticatedError } from '../../domain/refusals';
import { SERVICE_FIGURE_DAYS, type ServiceFigureRow } from '../alerts/serviceFigures';

export interface ApiMetricsOptions {
  /** Running alerts per state (visibility counts); absent: no `soar_alerts_waiting` figure. */
  waitingAlerts?: () => Promise<Record<string, number>>;
  /** Actions awaiting an analyst's approval across running playbook runs; absent: no `soar_approvals_waiting` figure. */
  approvalsWaiting?: () => Promise<number>;
  /** Service figures of the alerts closed lately (api/alerts/serviceFigures.ts); absent: no `soar_service_hours_median_seconds`. */
  serviceFigures?: () => Promise<ServiceFigureRow[]>;
  /** How long one visibility count is reused between scrapes. */
  waitingCacheMs?: number;
}

export function createApiMetrics(options: ApiMetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'soar_api_' });
  const registers = [registry];
  const metrics = {
    registry,
    httpRequests: new Counter({ name: 'soar_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers }),
    httpDuration: new Histogram({
      name: 'soar_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    alertsReceived: new Counter({ name: 'soar_alerts_received_total', help: 'Alerts accepted at intake (not duplicates), by tenant and the vendor severity', labelNames: ['tenant', 'severity'], registers }),
    rateLimited: new Counter({ name: 'soar_http_rate_limited_total', help: 'Requests refused with 429 by the per-key rate limit', registers }),
  };
  const cacheMs = options.waitingCacheMs ?? 15_000;
  const { waitingAlerts, approvalsWaiting, serviceFigures } = options;
  if (waitingAlerts) {
    const counts = cachedFor(cacheMs, waitingAlerts);
    new Gauge({
      name: 'soar_alerts_waiting',
      help: 'Running alert workflows per state (Temporal visibility, cached briefly)',
      labelNames: ['state'],
      registers,
      async collect() {
        // An unreachable engine leaves the figure out of this scrape rather than failing it.
        const byState = await counts().catch(() => ({}));
        this.reset();
        for (const [state, count] of Object.entries(byState)) this.set({ state }, count);
      },
    });
  }
  if (approvalsWaiting) {
    const count = cachedFor(cacheMs, approvalsWaiting);
    new Gauge({
      name: 'soar_approvals_waiting',
      help: 'Playbook actions awaiting an analyst approval in running runs (visibility and Query, cached briefly)',
      registers,
      async collect() {
        // An unreachable engine keeps the last count rather than failing the scrape (a gauge without labels cannot be left out).
        const waiting = await count().catch(() => null);
        if (waiting !== null) this.set(waiting);
      },
    });
  }
  if (serviceFigures) serviceFigureGauges(registers, cachedFor(cacheMs, serviceFigures));
  return metrics;
}

/**
 * R5 internal service figures (no SLA): per tenant and analyst, the median service hours from intake to claim,
 * recommendation and close of the alerts closed in the last SERVICE_FIGURE_DAYS days, and how many alerts that is.
 */
function serviceFigureGauges(registers: Registry[], rows: () => Promise<ServiceFigureRow[]>): void {
  // One read per scrape for both gauges: the median's collect reads, the count's reuses it.
  let latest: Promise<ServiceFigureRow[] | null> = Promise.resolve(null);
  new Gauge({
    name: 'soar_service_hours_median_seconds',
    help: `Median service-hours seconds from intake to claim, recommendation and close, alerts closed in the last ${SERVICE_FIGURE_DAYS} days, by tenant and analyst (internal, no SLA)`,
    labelNames: ['tenant', 'analyst', 'step'],
    registers,
    async collect() {
      latest = rows().catch(() => null);
      const found = await latest;
      this.reset();
      for (const row of found ?? []) {
        const labels = { tenant: row.tenantId, analyst: row.analyst };
        if (row.toClaim !== null) this.set({ ...labels, step: 'claim' }, row.toClaim);
        if (row.toRecommendation !== null) this.set({ ...labels, step: 'recommendation' }, row.toRecommendation);
        if (row.toClose !== null) this.set({ ...labels, step: 'close' }, row.toClose);
      }
    },
  });
  new Gauge({
    name: 'soar_service_figures_alerts',
    help: `Alerts closed in the last ${SERVICE_FIGURE_DAYS} days behind soar_service_hours_median_seconds, by tenant and analyst`,
    labelNames: ['tenant', 'analyst'],
    registers,
    async collect() {
      const found = await latest;
      this.reset();
      for (const row of found ?? []) this.set({ tenant: row.tenantId, analyst: row.analyst }, row.alerts);
    },
  });
}

/** One read reused for `cacheMs`, so frequent scrapes do not each scan visibility. */
function cachedFor<T>(cacheMs: number, read: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > cacheMs) cached = { at: Date.now(), value: read() };
    return cached.value;
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * `GET /metrics`, outside `/v1`: a Prometheus scraper presents `Authorization: Bearer <SOAR_METRICS_TOKEN>`, a person
 * an admin API key. Anything else is refused, so tenant names and volumes are not public.
 */
export function metricsRoutes(deps: { metrics: ApiMetrics; keys: ApiKeyRegistry; token: string | null }): Router {
  const router = Router();
  const tokenHash = deps.token === null ? null : Buffer.from(sha256Hex(deps.token), 'hex');
  const allowed = (request: Request, response: Response, next: NextFunction) => {
    const presented = /^Bearer ([\x21-\x7e]{1,512})$/.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError('GET /metrics needs `Authorization: Bearer <metrics token or admin API key>`');
    }
    if (tokenHash && timingSafeEqual(Buffer.from(sha256Hex(presented), 'hex'), tokenHash)) return next();
    const principal = deps.keys.authenticate(presented);
    if (!principal) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthenticatedError('The metrics token or API key is not valid');
    }
    if (principal.role !== 'admin') throw new ForbiddenError(`Role '${principal.role}' may not read metrics`);
    response.locals.principal = principal;
    next();
  };
  router.get('/metrics', allowed, async (_request, response) => {
    response.setHeader('Content-Type', deps.metrics.registry.contentType);
    response.send(await deps.metrics.registry.metrics());
  });
  return router;
}
