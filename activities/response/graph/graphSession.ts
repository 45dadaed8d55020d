/**
 * One tenant's Microsoft Graph client (@microsoft/microsoft-graph-client with an @azure/identity app credential) and
 * the mapping of its errors to activity failures. The client's RetryHandler already retries 429/503/504 honouring
 * Retry-After (3 times); what still fails is handed to Temporal's retry as a retryable failure.
 */
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { Tracer } from '@opentelemetry/api';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { redact, refused, retryAfterMs, unavailable } from '../failures';
import { entraCredential, tokenFailureOf, type ResponseDeps } from '../tenantAccess';
import { observeVendorCall } from '../vendorCall';
import { countVendorError, vendorErrorKind } from '../vendorMetrics';

/** The real scope even when the base URL points elsewhere (a national cloud proxy, the test fake): tokens are for Graph. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const DEFAULT_TIMEOUT_MS = 30_000;

export type GraphMethod = 'GET' | 'POST' | 'PATCH';

export class GraphSession {
  constructor(
    private readonly client: Client,
    private readonly secret: string,
    private readonly timeoutMs: number,
    private readonly target: { url: URL; tracer?: Tracer },
  ) {}

  /** Calls Graph and parses the answer with `schema`; a 204 answers `undefined`. `path` is relative to the version or a nextLink. */
  async call<T>(method: GraphMethod, path: string, schema: z.ZodType<T>, body?: unknown, shownPath = path): Promise<T> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const request = this.client.api(path).option('signal', deadline);
    let answer: unknown;
    try {
      // One span for the call; the client's RetryHandler may send it more than once inside it.
      answer = await observeVendorCall(
        { vendor: 'Graph', method, ...this.target },
        () => (method === 'GET' ? request.get() : method === 'PATCH' ? request.patch(body) : request.post(body)),
        { of: () => undefined, ofError: (error) => (error instanceof GraphError && error.statusCode > 0 ? error.statusCode : undefined) },
      );
    } catch (error) {
      // Our own deadline, whatever error the client built from it (it loses the code when the abort comes from another realm).
      if (deadline.aborted && !(error instanceof GraphError && error.statusCode > 0)) {
        countVendorError('Graph', 'unavailable');
        throw unavailable(`Graph ${method} ${shownPath}: no answer within ${this.timeoutMs} ms`);
      }
      throw graphFailure(error, `${method} ${shownPath}`, this.secret, this.timeoutMs);
    }
    const parsed = schema.safeParse(answer ?? undefined);
    if (!parsed.success) throw unavailable(`Graph answered ${method} ${shownPath} with an unexpected body: ${z.prettifyError(parsed.error).slice(0, 300)}`);
    return parsed.data;
  }
}

export function createGraphSession(deps: ResponseDeps, tenantId: string): GraphSession {
  const { credential, secret } = entraCredential(deps, tenantId, 'graph');
  const baseUrl = deps.endpoints.graphBaseUrl.endsWith('/') ? deps.endpoints.graphBaseUrl : `${deps.endpoints.graphBaseUrl}/`;
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
  // The auth middleware only attaches the token to Graph's own hosts and to customHosts (hostnames, port stripped).
  const client = Client.initWithMiddleware({ authProvider, baseUrl, customHosts: new Set([new URL(baseUrl).hostname]) });
  return new GraphSession(client, secret, deps.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS, { url: new URL(baseUrl), tracer: deps.tracer });
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** `Graph refused PATCH /users/x: 403 Authorization_RequestDenied: Insufficient privileges ...`, typed for the workflow. */
export function graphFailure(error: unknown, where: string, secret: string, timeoutMs: number): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (!(error instanceof GraphError)) {
    const message = error instanceof Error ? error.message : 'the request failed';
    return unavailable(redact(`Graph ${where}: ${message}`, [secret]));
  }
  const clean = (text: string) => redact(text, [secret]);
  if (error.statusCode === -1 || error.statusCode === undefined) {
    countVendorError('Graph', 'unavailable');
    // No HTTP answer: the token could not be had, the request timed out or the connection failed.
    const tokenRefusal = tokenFailureOf(error.code ?? '', error.message, `Graph ${where}`, secret);
    if (tokenRefusal) return tokenRefusal;
    if (error.code === 'TimeoutError') return unavailable(`Graph ${where}: no answer within ${timeoutMs} ms`);
    return unavailable(clean(`Graph ${where}: ${error.code ?? 'failed'}: ${error.message}`));
  }
  const message = clean(`Graph refused ${where}: ${error.statusCode} ${[error.code, error.message].filter(Boolean).join(': ')}`);
  countVendorError('Graph', vendorErrorKind(error.statusCode));
  if (RETRYABLE_STATUSES.has(error.statusCode)) return unavailable(message, retryAfterMs(retryAfterOf(error.headers)));
  if (error.statusCode === 404) return refused('TargetNotFound', message);
  return refused('VendorRefused', message);
}

function retryAfterOf(headers: unknown): string | null {
  return headers instanceof Headers ? headers.get('retry-after') : null;
}
