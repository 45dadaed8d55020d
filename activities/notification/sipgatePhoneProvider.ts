/**
 * SMS and escalation calls through sipgate (a German provider: servers in Germany, R20) with its official library
 * `sipgateio`: the SMS module posts `/sessions/sms`, the call module `/sessions/calls`. sipgate's SMS API answers
 * without a message id and reports no delivery, so an SMS's receipt is the acceptance with the notification's own key,
 * marked as such (`deliveryReport: 'none'`).
 *
 * sipgate.io has no text-to-speech. An escalation page by voice is therefore the page's text by SMS and a call that
 * plays the SOC's recorded announcement ("details by SMS, press 1 to take the incident"): sipgate rings the on-call
 * person first (`from`), and when they answer it dials the SOC's number (`to`) with the engine's device; sipgate then
 * posts the call's events to the API (api/phoneCallbacks/sipgateCallbackRoutes.ts), which answers with the announcement and
 * takes the key press. The call's session id is the `callId` of those events. Other spoken messages (a customer's
 * management by voice) cannot be recorded in advance and are refused for good.
 */
import { createCallModule, createSMSModule } from 'sipgateio';
import { DeliveryDeferredError, DeliveryRejectedError } from './deliveryErrors';
import { redactSecrets } from './redactSecrets';
import { SipgateHttpError, sipgateHttpClient, type SipgateConnection } from './sipgateHttpClient';
import type { PhoneProvider } from './smsSender';
import type { Notification, NotificationChannel } from './types';

export interface SipgateSettings extends SipgateConnection {
  token: () => string;
  /** The SMS extension that sends (like `s0`). */
  smsId: string;
  /** Escalation calls: the device the calls are made with (billing, shown number) and the SOC's number they lead to; null: no calls. */
  calls: { deviceId: string; target: string } | null;
}

export function createSipgatePhoneProvider(settings: SipgateSettings): PhoneProvider {
  const provider = `sipgate:${new URL(settings.apiBaseUrl).host}`;
  return {
    async send(notification) {
      if (notification.channel === 'voice') refuseUnlessEscalationCall(notification, settings, provider);
      const token = settings.token();
      const failures: SipgateHttpError[] = [];
      const client = sipgateHttpClient(settings, token, failures);
      // The page's text goes by SMS: the call's recorded announcement cannot say it.
      await through(notification.channel, provider, token, failures, () => createSMSModule(client).send({ smsId: settings.smsId, to: notification.to, message: notification.body }));
      if (notification.channel === 'sms') return { provider, messageId: `accepted:${notification.idempotencyKey}`, deliveryReport: 'none' };
      const calls = settings.calls as NonNullable<SipgateSettings['calls']>;
      // The record of a failed call says that the text went out anyway. sipgate's SMS API takes no idempotency key:
      // a retry after a failed call sends the SMS again (docs/integrations.md).
      const session = await through('voice', provider, token, failures, () => createCallModule(client).initiate({ from: notification.to, to: calls.target, deviceId: calls.deviceId }), SMS_SENT);
      if (typeof session?.sessionId !== 'string' || session.sessionId === '') throw new DeliveryDeferredError('voice', provider, 'sipgate accepted the call without a session id');
      return { provider, messageId: session.sessionId };
    },
  };
}

function refuseUnlessEscalationCall(notification: Notification, settings: SipgateSettings, provider: string): void {
  if (notification.purpose !== 'escalation') {
    throw new DeliveryRejectedError('voice', provider, 'sipgate.io offers no text-to-speech: only the SOC’s recorded escalation announcement can be played; send this message by SMS or configure Twilio for voice');
  }
  if (!settings.calls) {
    throw new DeliveryRejectedError('voice', provider, 'sipgate escalation calls are not configured (SOAR_SIPGATE_CALL_DEVICE_ID, SOAR_SIPGATE_CALL_TARGET); page by SMS');
  }
}

const SMS_SENT = ' (the page’s text went out by SMS)';

/** Runs one library call; maps what sipgate answered (or the library refused) to a retryable or final delivery failure. */
async function through<T>(channel: NotificationChannel, provider: string, token: string, failures: SipgateHttpError[], run: () => Promise<T>, note = ''): Promise<T> {
  const before = failures.length;
  try {
    return await run();
  } catch (error) {
    const failure = failures.length > before ? failures.at(-1) : undefined;
    const reason = redactSecrets(failure?.message ?? (error instanceof Error ? error.message : String(error)), [token]) + note;
    // No HTTP failure: the library refused the input itself (a bad number or extension), which no retry mends.
    if (failure === undefined || !failure.retryable) throw new DeliveryRejectedError(channel, provider, reason, failure?.response.status);
    throw new DeliveryDeferredError(channel, provider, reason, failure.response.status || undefined);
  }
}
