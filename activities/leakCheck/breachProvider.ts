/**
 * Breach data behind a provider interface (R4), with Have I Been Pwned's domain search as the implementation:
 * `GET {base}/api/v3/breacheddomain/{domain}` with `hibp-api-key` and `user-agent`; the answer maps each local part
 * of the domain to the names of the breaches it appears in.
 */
import type { Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import { observeVendorCall } from '../response/vendorCall';

export interface BreachedAddress {
  address: string;
  breach: string;
}

export interface BreachProvider {
  /** Every (address, breach) pair known for the domain; empty when nothing is known. */
  breachedDomain(domain: string): Promise<BreachedAddress[]>;
}

/** Thrown when the provider refuses the request for good (a bad or missing key, an unverified domain): retrying cannot help. */
export class BreachProviderRejectedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Thrown when the provider throttles (429); `retryAfterMs` is its Retry-After. */
export class BreachProviderThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`The breach provider throttled the request; retry after ${retryAfterMs} ms`);
  }
}

const domainAnswerSchema = z.record(z.string(), z.array(z.string()));

export interface HibpOptions {
  baseUrl: string;
  /** Resolved on every call, so a rotated secret is picked up without a restart. */
  apiKey: () => string;
  userAgent: string;
  timeoutMs: number;
  /** The worker's tracer for the call's span. */
  tracer?: Tracer;
}

const DEFAULT_RETRY_AFTER_MS = 2_000;

export function createHibpProvider(options: HibpOptions): BreachProvider {
  return {
    async breachedDomain(domain) {
      const url = new URL(`api/v3/breacheddomain/${encodeURIComponent(domain)}`, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
      const send = () =>
        fetch(url, {
          headers: { 'hibp-api-key': options.apiKey(), 'user-agent': options.userAgent, accept: 'application/json' },
          // A redirect would carry the API key to wherever it points: HIBP's API never redirects, so none is followed.
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      const response = await observeVendorCall({ vendor: 'HIBP', method: 'GET', url, tracer: options.tracer }, send, { of: (answer) => answer.status, expected: [404] });
      if (response.status === 404) return []; // HIBP: no breached address on this domain.
      if (response.status >= 300 && response.status < 400) {
        throw new BreachProviderRejectedError(response.status, `Have I Been Pwned answered ${response.status} for ${domain} (a redirect): not followed, it would carry the API key elsewhere`);
      }
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after'));
        throw new BreachProviderThrottledError(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS);
      }
      if (response.status === 401 || response.status === 403) {
        const text = (await response.text()).slice(0, 500);
        const why = response.status === 401 ? 'the API key is not valid' : 'the request was refused (missing user agent, or the domain is not verified for this key)';
        throw new BreachProviderRejectedError(response.status, `Have I Been Pwned answered ${response.status} for ${domain}: ${why}${text ? ` (${text})` : ''}`);
      }
      if (!response.ok) throw new Error(`Have I Been Pwned answered ${response.status} for ${domain}`);
      const parsed = domainAnswerSchema.safeParse(await response.json());
      if (!parsed.success) throw new Error(`Have I Been Pwned sent an answer of unexpected shape for ${domain}: ${z.prettifyError(parsed.error)}`);
      return Object.entries(parsed.data).flatMap(([alias, breaches]) => breaches.map((breach) => ({ address: `${alias}@${domain}`.toLowerCase(), breach })));
    },
  };
}
