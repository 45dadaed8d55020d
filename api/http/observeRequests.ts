/**
 * One hook per answered request: a log line (method, route, status, duration, key id, trace id and the tenant, alert
 * and workflow ids where known; never headers, keys or bodies) and the HTTP figures for /metrics.
 */
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../infra/logger';
import type { ApiMetrics } from './metrics';

/** Ids a route adds for the request's log line (`response.locals.logFields`). */
export interface RequestLogFields {
  tenantId?: string;
  alertId?: string;
  workflowId?: string;
}

/** The route pattern (`/v1/alerts/:alertId`), never the raw path, so label values stay few. */
export function routeOf(request: Request): string {
  const route: unknown = request.route;
  if (typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string') return `${request.baseUrl}${route.path}`;
  return '(unmatched)';
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' ? field : undefined;
}

export function observeRequests(logger: Logger, metrics: ApiMetrics) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(request);
      const labels = { method: request.method, route, status: String(response.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      const { principal, logFields } = response.locals;
      const alertId = stringField(logFields, 'alertId') ?? stringField(request.params, 'alertId');
      const line = {
        method: request.method,
        route,
        status: response.statusCode,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
        keyId: stringField(principal, 'keyId'),
        tenantId: stringField(logFields, 'tenantId') ?? stringField(principal, 'tenantId'),
        alertId,
        workflowId: stringField(logFields, 'workflowId') ?? alertId,
        // The request's trace (api/http/traceRequests.ts binds the response to it), to find its spans from the log.
        traceId: trace.getActiveSpan()?.spanContext().traceId,
      };
      if (response.statusCode >= 500) logger.warn(line, 'request failed');
      else logger.info(line, 'request');
    });
    next();
  };
}
