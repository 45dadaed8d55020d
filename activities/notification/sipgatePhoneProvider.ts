/**
 * SMS through sipgate (a German provider: servers in Germany, R20) with its official library `sipgateio`: the
 * library's SMS module builds and checks the request (`POST /sessions/sms`). The library's own HTTP client is fixed to
 * api.sipgate.com, so the module runs over a small client here with the same base path, headers and errors, whose
 * address is configurable (a test's HTTPS fake). sipgate's SMS API answers without a message id and reports no
 * delivery, so the receipt is the acceptance with the notification's own key. Voice is not offered: sipgate.io has
 * no text-to-speech, a spoken page would need recorded audio files per language.
 */
import { createSMSModule, type SipgateIOClient } from 'sipgateio';
import { DeliveryDeferredError, DeliveryRejectedError } from './deliveryErrors';
import { redactSecrets } from './redactSecrets';
import type { PhoneProvider } from './smsSender';

export const SIPGATE_API_URL = 'https://api.sipgate.com/v2';

export interface SipgateSettings {
  /** A personal access token: its id, and the token itself resolved inside the activity. */
  tokenId: string;
  token: () => string;
  /** The SMS extension that sends (like `s0`). */
  smsId: string;
  apiBaseUrl: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** An HTTP failure as the library's error handlers read it (`error.response.status`). */
class SipgateHttpError extends Error {
  constructor(
    readonly response: { status: number; data: string },
    readonly retryable: boolean,
  ) {
    super(`HTTP ${response.status}: ${response.data.slice(0, 300) || '(empty answer)'}`);
  }
}

function httpClient(settings: SipgateSettings, token: string, failures: SipgateHttpError[]): SipgateIOClient {
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

export function createSipgatePhoneProvider(settings: SipgateSettings): PhoneProvider {
  const provider = `sipgate:${new URL(settings.apiBaseUrl).host}`;
  return {
    async send(notification) {
      if (notification.channel !== 'sms') {
        throw new DeliveryRejectedError(notification.channel, provider, 'sipgate.io offers no spoken messages (no text-to-speech); page by SMS or configure Twilio for voice');
      }
      const token = settings.token();
      const failures: SipgateHttpError[] = [];
      const sms = createSMSModule(httpClient(settings, token, failures));
      try {
        await sms.send({ smsId: settings.smsId, to: notification.to, message: notification.body });
      } catch (error) {
        const failure = failures.at(-1);
        const reason = redactSecrets(failure?.message ?? (error instanceof Error ? error.message : String(error)), [token]);
        // No HTTP failure: the library refused the input itself (a bad number or extension), which no retry mends.
        if (failure === undefined || !failure.retryable) throw new DeliveryRejectedError('sms', provider, reason, failure?.response.status);
        throw new DeliveryDeferredError('sms', provider, reason, failure.response.status || undefined);
      }
      return { provider, messageId: `accepted:${notification.idempotencyKey}` };
    },
  };
}
