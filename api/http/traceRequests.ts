/**
 * A server span per HTTP request (`POST /v1/alerts/:alertId/...`, the route pattern, never the raw path or query),
 * continuing a caller's W3C `traceparent`. Handlers run inside it, so a workflow started there carries the trace.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { routeOf } from './observeRequests';

export function traceRequests(tracer: Tracer) {
  return (request: Request, response: Response, next: NextFunction) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } }, parent);
    const active = trace.setSpan(parent, span);
    // The body parsers resume the chain from the request's stream events: bound emitters keep this context there.
    context.bind(active, request);
    context.bind(active, response);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routeOf(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500 || !response.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    context.with(active, next);
  };
}
