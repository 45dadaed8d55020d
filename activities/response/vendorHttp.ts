/**
 * One JSON request to a vendor REST API with Node's fetch: a timeout on every call, no redirects (they would carry
 * the credential elsewhere), and the answer sorted into success, a permanent refusal or a retryable failure.
 */
import { z } from 'zod';
import { redact, refused, retryAfterMs, unavailable } from './failures';
import type { Tracer } from '@opentelemetry/api';
import { observeVendorCall } from './vendorCall';
import { countVendorError, vendorErrorKind } from './vendorMetrics';

export interface VendorRequest {
  /** For messages: `Defender`, `OPNsense`, `FortiGate`. */
  vendor: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  authorization: string;
  body?: unknown;
  timeoutMs: number;
  /** Secrets to remove from anything the vendor echoes back. */
  secrets: readonly string[];
  /** The worker's tracer for the call's span (ResponseDeps.tracer). */
  tracer?: Tracer;
}

export interface VendorAnswer {
  status: number;
  json: unknown;
  text: string;
}

/** A vendor's error body: Microsoft's `{error:{code,message}}`, FortiOS's `{http_status, error, cli_error}` or a plain message. */
const errorBodySchema = z.object({
  error: z.union([z.object({ code: z.string().optional(), message: z.string().optional() }), z.string(), z.number()]).optional(),
  message: z.string().optional(),
  status_msg: z.string().optional(),
  cli_error: z.string().optional(),
});

/** Sends the request; 2xx answers are returned, anything else is thrown as an ApplicationFailure (see `vendorFailure`). */
export async function vendorFetch(request: VendorRequest, statusesReturned: readonly number[] = []): Promise<VendorAnswer> {
  const where = `${request.method} ${request.url.pathname}`;
  const { response, text } = await observeVendorCall(request, () => fetchText(request), { of: (answer) => answer.response.status, expected: statusesReturned }).catch(
    (error: unknown) => {
      countVendorError(request.vendor, 'unavailable');
      throw unavailable(redact(`${request.vendor} ${where}: ${fetchFailure(error, request.timeoutMs)}`, request.secrets));
    },
  );
  const json = parseJson(text);
  if ((response.status >= 200 && response.status < 300) || statusesReturned.includes(response.status)) return { status: response.status, json, text };
  throw vendorFailure(request.vendor, where, response.status, json, text, response.headers.get('retry-after'), request.secrets);
}

async function fetchText(request: VendorRequest): Promise<{ response: Response; text: string }> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: {
      authorization: request.authorization,
      accept: 'application/json',
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  return { response, text: await response.text() };
}

/** 429, 5xx and 408 are retryable (with Retry-After as the next delay); 404 is TargetNotFound; other answers are refusals. */
export function vendorFailure(vendor: string, where: string, status: number, json: unknown, text: string, retryAfter: string | null, secrets: readonly string[]) {
  const message = redact(`${vendor} refused ${where}: ${status} ${vendorMessage(json, text)}`, secrets);
  countVendorError(vendor, vendorErrorKind(status));
  if (status === 429 || status === 408 || status >= 500) return unavailable(message, retryAfterMs(retryAfter));
  if (status === 404) return refused('TargetNotFound', message);
  return refused('VendorRefused', message);
}

/** `code: message` from a vendor's error body, or the start of the body. */
export function vendorMessage(json: unknown, text: string): string {
  const body = errorBodySchema.safeParse(json);
  if (body.success) {
    const { error, message, status_msg, cli_error } = body.data;
    if (typeof error === 'object' && (error.code || error.message)) return [error.code, error.message].filter(Boolean).join(': ');
    const found = message ?? status_msg ?? cli_error ?? (typeof error === 'string' ? error : undefined);
    if (found) return found;
  }
  return text.trim() === '' ? '(empty answer)' : text.trim().slice(0, 300);
}

/** Parses an answer with the schema; an answer of the wrong shape is retryable (a proxy's error page, a partial outage). */
export function parseAnswer<T>(schema: z.ZodType<T>, answer: VendorAnswer, vendor: string, what: string): T {
  const parsed = schema.safeParse(answer.json);
  if (!parsed.success) throw unavailable(`${vendor} answered ${what} with an unexpected body: ${z.prettifyError(parsed.error).slice(0, 300)}`);
  return parsed.data;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const fetchErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  cause: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});

function fetchFailure(error: unknown, timeoutMs: number): string {
  const failure = fetchErrorSchema.safeParse(error);
  if (!failure.success) return 'the request failed';
  if (failure.data.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = failure.data.cause;
  return cause === undefined ? failure.data.message : `could not reach the API: ${cause.code ?? cause.message ?? failure.data.message}`;
}
