/**
 * Every outgoing vendor HTTP call (Graph, Defender, the firewalls, Have I Been Pwned) goes through here: a client span
 * `<vendor> <METHOD>` under the activity's span with method, host and status only (never the URL, query or body),
 * and `soar_vendor_calls_total{vendor,outcome}` (ok, error, throttled).
 */
import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { countVendorCall, type VendorCallOutcome } from './vendorMetrics';

export interface VendorCallTarget {
  vendor: string;
  method: string;
  url: URL;
  /** The worker's tracer; absent: the global one (a no-op unless a process registered a provider). */
  tracer?: Tracer;
}

export interface VendorCallStatuses<T> {
  /** The HTTP status of an answer (undefined: the client does not say, as Graph's on success). */
  of: (answer: T) => number | undefined;
  /** The HTTP status carried by a thrown error, when the client throws on non-2xx answers. */
  ofError?: (error: unknown) => number | undefined;
  /** Statuses that are an expected answer here (a 404 that means "none"). */
  expected?: readonly number[];
}

export async function observeVendorCall<T>(target: VendorCallTarget, send: () => Promise<T>, statuses: VendorCallStatuses<T>): Promise<T> {
  const tracer = target.tracer ?? trace.getTracer('soar-vendor-calls');
  const span = tracer.startSpan(`${target.vendor} ${target.method}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'soar.vendor': target.vendor, 'http.request.method': target.method, 'server.address': target.url.hostname },
  });
  const settle = (status: number | undefined) => {
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    const outcome = outcomeOf(status, statuses.expected ?? []);
    if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: status === undefined ? 'no answer' : `HTTP ${status}` });
    countVendorCall(target.vendor, outcome);
    span.end();
  };
  try {
    const answer = await send();
    settle(statuses.of(answer));
    return answer;
  } catch (error) {
    settle(statuses.ofError?.(error));
    throw error;
  }
}

function outcomeOf(status: number | undefined, expected: readonly number[]): VendorCallOutcome {
  if (status === 429) return 'throttled';
  if (status === undefined) return 'error';
  return (status >= 200 && status < 400) || expected.includes(status) ? 'ok' : 'error';
}
