/** Sends SMS and voice notifications through a provider's JSON-over-HTTPS API (`POST {baseUrl}/messages`, Bearer token). */
import { z } from 'zod';
import { DeliveryDeferredError, DeliveryRejectedError } from './deliveryErrors';
import { redactSecrets } from './redactSecrets';
import type { DeliveryAttempt, Notification, ProviderAcceptance } from './types';

/** Anything that can put a text message or a spoken call through to a phone. */
export interface PhoneProvider {
  /** `attempt`: the activity's attempt, when sent from one (a provider without idempotency keys checks before a resend). */
  send(notification: Notification, attempt?: DeliveryAttempt | null): Promise<ProviderAcceptance>;
}

export interface HttpPhoneProviderSettings {
  /** https in production; plain http is accepted only for a loopback host (tests, a gateway on the same machine). */
  baseUrl: string;
  /** Sender id or E.164 number the provider sends from. */
  from: string;
  /** Injected API token; sent only in the Authorization header, removed from anything the provider echoes back. */
  token: string;
  /** Bound on the whole request, answer included; 10 s unless set. */
  timeoutMs?: number;
}

/** The provider's answer to an accepted message. Extra fields are ignored; these two must be there. */
const acceptedMessageSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['queued', 'sent', 'delivered']),
});

/** The usual shapes of an error body; the first message found is shown. */
const errorBodySchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string() })]).optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
});

const fetchFailureSchema = z.object({
  name: z.string(),
  message: z.string(),
  cause: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});

const DEFAULT_TIMEOUT_MS = 10_000;
const NOT_JSON = Symbol('not JSON');
const ACCEPTED_STATUSES: ReadonlySet<number> = new Set([200, 201, 202]);
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

export function createHttpPhoneProvider(settings: HttpPhoneProviderSettings): PhoneProvider {
  const base = new URL(settings.baseUrl);
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && LOOPBACK_HOSTS.has(base.hostname))) {
    throw new Error(`The phone provider's base URL must use https (plain http only for a loopback host), got ${base.protocol}//${base.host}`);
  }
  const endpoint = `${base.origin}${base.pathname.replace(/\/+$/, '')}/messages`;
  const provider = `http-phone:${base.host}`;
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clean = (text: string) => redactSecrets(text, [settings.token]).replace(/\s+/g, ' ').trim().slice(0, 500);

  return {
    async send(notification) {
      const channel = notification.channel;
      let status: number;
      let retryAfter: string | null;
      let text: string;
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${settings.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'idempotency-key': notification.idempotencyKey,
          },
          body: JSON.stringify({
            to: notification.to,
            from: settings.from,
            body: notification.body,
            channel,
            reference: notification.idempotencyKey,
            ...(notification.language ? { language: notification.language } : {}),
          }),
          // A redirect would carry the token elsewhere; it is reported instead of followed.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeout),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        text = await response.text();
      } catch (error) {
        throw new DeliveryDeferredError(channel, provider, clean(describeFetchFailure(error, timeout)));
      }

      if (ACCEPTED_STATUSES.has(status)) {
        const json = parseJson(text);
        if (json === NOT_JSON) {
          throw new DeliveryDeferredError(channel, provider, `answered ${status} but the body is not JSON: ${clean(text).slice(0, 200) || '(empty)'}`, status);
        }
        const accepted = acceptedMessageSchema.safeParse(json);
        if (!accepted.success) {
          throw new DeliveryDeferredError(channel, provider, `answered ${status} but not with {id, status}: ${clean(z.prettifyError(accepted.error))}`, status);
        }
        return { provider, messageId: accepted.data.id };
      }
      const reason = `HTTP ${status}: ${clean(providerMessage(text))}`;
      if (status === 429) throw new DeliveryDeferredError(channel, provider, reason, status, retryAfterMs(retryAfter, Date.now()));
      if (status >= 500) throw new DeliveryDeferredError(channel, provider, reason, status);
      if (status >= 300) throw new DeliveryRejectedError(channel, provider, reason, status);
      throw new DeliveryDeferredError(channel, provider, `answered ${status}, which is neither an acceptance nor an error: ${clean(text)}`, status);
    },
  };
}

/** Retry-After is either seconds or an HTTP date; anything else is ignored and the retry policy decides. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function providerMessage(text: string): string {
  const body = errorBodySchema.safeParse(parseJson(text));
  if (body.success) {
    const { error, message, detail } = body.data;
    const found = typeof error === 'string' ? error : (error?.message ?? message ?? detail);
    if (found !== undefined) return found;
  }
  return text === '' ? '(empty answer)' : text;
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  const failure = fetchFailureSchema.safeParse(error);
  if (!failure.success) return 'the request failed';
  if (failure.data.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = failure.data.cause;
  return cause === undefined ? failure.data.message : `could not reach the provider: ${cause.code ?? cause.message ?? failure.data.message}`;
}
