/** One HTTPS request to an enrichment provider: its answer, or a failure typed for Temporal's retry policy. Keys never reach an error. */
import { ApplicationFailure } from '@temporalio/common';
import { redactSecrets } from '../notification/redactSecrets';
import { retryAfterMs } from '../notification/smsSender';

export const EnrichmentFailureType = { Rejected: 'EnrichmentRejected', Deferred: 'EnrichmentDeferred' } as const;

export interface ProviderAnswer {
  status: number;
  body: unknown;
}

/** 2xx and the statuses in `answered` come back; 429 and 5xx retry (Retry-After honoured); anything else fails for good. */
export async function providerRequest(name: string, url: string, init: RequestInit, secret: string, answered: readonly number[] = []): Promise<ProviderAnswer> {
  const clean = (text: string) => redactSecrets(text, [secret]).replace(/\s+/g, ' ').trim().slice(0, 300);
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw ApplicationFailure.retryable(`${name} not reached: ${clean(error instanceof Error ? error.message : String(error))}`, EnrichmentFailureType.Deferred);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if ((response.status >= 200 && response.status < 300) || answered.includes(response.status)) {
    if (body === null && response.status < 300) throw ApplicationFailure.retryable(`${name} answered ${response.status} without JSON`, EnrichmentFailureType.Deferred);
    return { status: response.status, body };
  }
  const reason = `${name} answered HTTP ${response.status}: ${clean(text) || '(empty)'}`;
  if (response.status === 429 || response.status >= 500) {
    throw ApplicationFailure.create({ message: reason, type: EnrichmentFailureType.Deferred, nextRetryDelay: retryAfterMs(response.headers.get('retry-after'), Date.now()) });
  }
  throw ApplicationFailure.nonRetryable(reason, EnrichmentFailureType.Rejected);
}
