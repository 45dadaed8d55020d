/**
 * sipgate's REST API v2 for the official library's modules: its own HTTP client is fixed to api.sipgate.com, so the
 * modules run over this small client with the same base path, Basic authentication and error shape
 * (`error.response.status`, as the library's error handlers read it), whose address is configurable (a test's HTTPS fake).
 */
import type { SipgateIOClient } from 'sipgateio';

export const SIPGATE_API_URL = 'https://api.sipgate.com/v2';

export interface SipgateConnection {
  /** A personal access token: its id, and the token itself resolved inside the activity. */
  tokenId: string;
  apiBaseUrl: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** An HTTP failure as the library's error handlers read it (`error.response.status`). */
export class SipgateHttpError extends Error {
  constructor(
    readonly response: { status: number; data: string },
    readonly retryable: boolean,
  ) {
    super(`HTTP ${response.status}: ${response.data.slice(0, 300) || '(empty answer)'}`);
  }
}

export function sipgateHttpClient(settings: SipgateConnection, token: string, failures: SipgateHttpError[]): SipgateIOClient {
  const base = settings.apiBaseUrl.replace(/\/+$/, '');
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = async <T>(method: string, url: string, data?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${base}/${url.replace(/^\/+/, '')}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${settings.tokenId}:${token}`).toString('base64')}`,
          accept: 'application/json',
          'content-type': 'application/json',
        },
        ...(data === undefined ? {} : { body: JSON.stringify(data) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'could not reach sipgate';
      const failure = new SipgateHttpError({ status: 0, data: reason }, true);
      failures.push(failure);
      throw failure;
    }
    const text = await response.text();
    if (response.status >= 300) {
      const failure = new SipgateHttpError({ status: response.status, data: text }, response.status === 429 || response.status >= 500);
      failures.push(failure);
      throw failure;
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    get: (url) => call('GET', url),
    post: (url, data) => call('POST', url, data),
    put: (url, data) => call('PUT', url, data),
    patch: (url, data) => call('PATCH', url, data),
    delete: (url) => call('DELETE', url),
    getAuthenticatedWebuserId: async () => (await call<{ sub: string }>('GET', 'authorization/userinfo')).sub,
    getWebUsers: async () => (await call<{ items: Awaited<ReturnType<SipgateIOClient['getWebUsers']>> }>('GET', 'users')).items,
  };
}
