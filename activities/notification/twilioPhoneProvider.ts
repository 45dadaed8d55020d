/**
 * SMS and voice through Twilio with its official library (`twilio`): the Messages API for SMS, the Calls API with
 * TwiML spoken in the message's language for voice. An escalation call asks the on-call person to press 1 to take the
 * incident; the key press and the delivery receipts come back as signed callbacks (api/phoneCallbacks/phoneCallbackRoutes.ts).
 */
import twilio from 'twilio';
import type { RequestOptions } from 'twilio/lib/base/RequestClient';
import { message } from '../../domain/i18n/messages';
import { languageOf, type Language } from '../../domain/i18n/language';
import { DeliveryDeferredError, DeliveryRejectedError } from './deliveryErrors';
import { phoneCallbackUrl } from './phoneCallbacks';
import { TAKE_INCIDENT_DIGIT } from '../../domain/soc/phoneAcknowledgement';
import { redactSecrets } from './redactSecrets';
import type { PhoneProvider } from './smsSender';
import type { DeliveryAttempt, Notification } from './types';
import type { RetryCheck } from '../../domain/alertLifecycle';

export const TWILIO_API_URL = 'https://api.twilio.com';

export interface TwilioSettings {
  accountSid: string;
  /** Resolved inside the activity on every send, so a rotated token is used without a restart. */
  authToken: () => string;
  /** The Twilio number (E.164) or alphanumeric sender the messages and calls come from. */
  from: string;
  /** Twilio's REST address; another only for a test fake. */
  apiBaseUrl: string;
  /** The API's public https address for status callbacks and key presses; null: no receipts, no acknowledgement by phone. */
  callbackBaseUrl: string | null;
  /** Language of SOC-internal calls (escalation pages carry no language of their own). */
  socLanguage: Language;
  timeoutMs?: number;
}

/** Twilio's voices by the engine's languages (TwiML `<Say language>`). */
const SPOKEN: Readonly<Record<Language, 'de-DE' | 'en-GB'>> = { de: 'de-DE', en: 'en-GB' };
const DEFAULT_TIMEOUT_MS = 10_000;

/** Sends Twilio's requests to `apiBaseUrl` instead of api.twilio.com (a test's HTTPS fake); otherwise the library's own client. */
class RoutedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: URL,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override request<T>(opts: RequestOptions<T>) {
    const uri = new URL(opts.uri);
    const routed = uri.origin === TWILIO_API_URL ? { ...opts, uri: `${this.base.origin}${this.base.pathname.replace(/\/+$/, '')}${uri.pathname}${uri.search}` } : opts;
    return super.request<T>(routed);
  }
}

export function createTwilioPhoneProvider(settings: TwilioSettings): PhoneProvider {
  const base = new URL(settings.apiBaseUrl);
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const provider = `twilio:${base.host}`;
  return {
    async send(notification, attempt) {
      const token = settings.authToken();
      const client = twilio(settings.accountSid, token, { httpClient: new RoutedRequestClient(base, timeoutMs), autoRetry: false });
      const clean = (text: string) => redactSecrets(text, [token, settings.accountSid]).replace(/\s+/g, ' ').trim().slice(0, 500);
      const statusCallback = settings.callbackBaseUrl ? phoneCallbackUrl(settings.callbackBaseUrl, 'twilio', 'status', notification.alertId) : undefined;
      try {
        // Twilio takes no idempotency key for new messages and calls: a retry first looks for the earlier attempt's.
        let retryCheck: RetryCheck | undefined;
        if (attempt && attempt.number > 1) {
          const found = await earlierAttempt(client, notification, settings.from, attempt);
          if (notification.channel === 'sms' && found[0]) return { provider, messageId: found[0], retryCheck: { outcome: 'recovered', found } };
          retryCheck = { outcome: found.length > 0 ? 'possible_duplicate' : 'resent', found };
        }
        const checked = retryCheck ? { retryCheck } : {};
        if (notification.channel === 'sms') {
          const sent = await client.messages.create({ to: notification.to, from: settings.from, body: notification.body, ...(statusCallback ? { statusCallback } : {}) });
          return { provider, messageId: sent.sid, ...checked };
        }
        const call = await client.calls.create({
          to: notification.to,
          from: settings.from,
          twiml: spokenMessage(notification, settings),
          ...(statusCallback ? { statusCallback, statusCallbackMethod: 'POST', statusCallbackEvent: ['completed'] } : {}),
        });
        return { provider, messageId: call.sid, ...checked };
      } catch (error) {
        throw deliveryError(notification, provider, error, clean, timeoutMs);
      }
    },
  };
}

/** Twilio's times have whole seconds and its clock is not ours: an earlier attempt's message may look this much older. */
const CLOCK_TOLERANCE_MS = 10_000;
/** The newest messages or calls to the number a look-up reads (Twilio lists the newest first). */
const LOOK_BACK = 50;

/**
 * What earlier attempts of this send may have created, by Twilio's documented list filters (`To`, `From`) and the
 * time since the first attempt: for an SMS the messages with exactly this text (ours), for a call every call (a
 * call's resource carries neither its TwiML nor anything of ours, so it cannot be told apart from another page).
 */
async function earlierAttempt(client: twilio.Twilio, notification: Notification, from: string, attempt: DeliveryAttempt): Promise<string[]> {
  const since = attempt.firstScheduledAt.getTime() - CLOCK_TOLERANCE_MS;
  if (notification.channel === 'sms') {
    const messages = await client.messages.list({ to: notification.to, from, limit: LOOK_BACK });
    return messages.filter((m) => m.dateCreated.getTime() >= since && m.body === notification.body).map((m) => m.sid);
  }
  const calls = await client.calls.list({ to: notification.to, from, limit: LOOK_BACK });
  return calls.filter((c) => c.dateCreated.getTime() >= since).map((c) => c.sid);
}

/**
 * The call's TwiML: the message in its language (SOC pages: the SOC's), and for an escalation with callbacks
 * configured a Gather asking for 1 to take the incident, answered by the API's key-press callback.
 */
export function spokenMessage(notification: Notification, settings: Pick<TwilioSettings, 'callbackBaseUrl' | 'socLanguage'>): string {
  const language = notification.language ?? languageOf(settings.socLanguage);
  const say = { language: SPOKEN[language] };
  const response = new twilio.twiml.VoiceResponse();
  if (notification.purpose === 'escalation' && settings.callbackBaseUrl) {
    const gather = response.gather({
      numDigits: 1,
      timeout: 10,
      method: 'POST',
      action: phoneCallbackUrl(settings.callbackBaseUrl, 'twilio', 'keypress', notification.alertId),
    });
    gather.say(say, notification.body);
    gather.say(say, message(language, 'phoneCall.takeIncident', { digit: TAKE_INCIDENT_DIGIT }));
    response.say(say, message(language, 'phoneCall.noInput'));
  } else {
    response.say(say, notification.body);
  }
  return response.toString();
}

function deliveryError(notification: Notification, provider: string, error: unknown, clean: (text: string) => string, timeoutMs: number): Error {
  const channel = notification.channel;
  if (error instanceof twilio.RestException) {
    const reason = `HTTP ${error.status}${error.code === undefined ? '' : ` (Twilio error ${error.code})`}: ${clean(error.message)}`;
    if (error.status === 429 || error.status >= 500) return new DeliveryDeferredError(channel, provider, reason, error.status);
    return new DeliveryRejectedError(channel, provider, reason, error.status);
  }
  const text = error instanceof Error ? error.message : String(error);
  const reason = /timeout/i.test(text) ? `no answer within ${timeoutMs} ms` : `could not reach Twilio: ${clean(text)}`;
  return new DeliveryDeferredError(channel, provider, reason);
}
