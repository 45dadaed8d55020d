/** The notification activity: checks the input, sends through the channel's sender and returns the delivery receipt for the history (R6, R8, R19). */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { phoneSchema } from '../../domain/tenant/contactSchema';
import { DeliveryDeferredError, DeliveryRejectedError } from './deliveryErrors';
import type { EmailSender } from './emailSender';
import { countEscalation, observeIntakeToNotification } from '../metrics';
import type { PhoneProvider } from './smsSender';
import { DELIVERY_DEFERRED, NotificationFailureType, notificationSchema, type DeliveryAttempt, type DeliveryReceipt, type Notification, type NotificationChannel } from './types';

export interface NotificationDeps {
  email?: EmailSender;
  phone?: PhoneProvider;
  now: () => Date;
  /** Which attempt is running; by default the Temporal activity's own, none when called outside an activity. */
  attempt?: () => DeliveryAttempt | null;
}

/** The running activity's attempt; null outside an activity (a direct call is a first attempt). */
function currentAttempt(): DeliveryAttempt | null {
  let info;
  try {
    info = Context.current().info;
  } catch {
    return null;
  }
  return { number: info.attempt, firstScheduledAt: new Date(info.scheduledTimestampMs) };
}

const recipientSchemas: Record<NotificationChannel, z.ZodType<string>> = {
  email: z.email(),
  sms: phoneSchema,
  voice: phoneSchema,
};

export function createNotificationActivities({ email, phone, now, attempt = currentAttempt }: NotificationDeps) {
  return {
    /**
     * Permanent failures are non-retryable `ApplicationFailure`s typed from `NotificationFailureType`, for the workflow
     * to escalate; transient ones are retryable (`DeliveryDeferred`, with the provider's Retry-After as the next delay).
     * A retry sends again with the same idempotency key: the provider's Idempotency-Key and the e-mail's Message-ID
     * make the repeat recognisable, though an SMTP server may still deliver a second copy. Twilio takes no key: its
     * provider gets the attempt and looks for the earlier attempt's message first (twilioPhoneProvider.ts).
     */
    async sendNotification(input: Notification): Promise<DeliveryReceipt> {
      const notification = checkedNotification(input);
      const sending = notification.channel === 'email' ? email?.send(notification) : phone?.send(notification, attempt());
      if (sending === undefined) {
        throw ApplicationFailure.nonRetryable(`No ${notification.channel} sender is configured`, NotificationFailureType.ChannelNotConfigured);
      }
      const accepted = await sending.catch((error: unknown) => {
        throw activityFailure(error);
      });
      observeDelivery(notification, now());
      return {
        channel: notification.channel,
        recipient: notification.to,
        messageId: accepted.messageId,
        provider: accepted.provider,
        acceptedAt: now().toISOString(),
        idempotencyKey: notification.idempotencyKey,
        ...(accepted.retryCheck ? { retryCheck: accepted.retryCheck } : {}),
        ...(accepted.deliveryReport ? { deliveryReport: accepted.deliveryReport } : {}),
      };
    },
  };
}

/** Customer notices feed intake-to-notification; pages along the chain count as escalations. */
const CUSTOMER_NOTICES: ReadonlySet<string> = new Set(['findings', 'containment_advice', 'measure_notice', 'response_failure']);

function observeDelivery({ tenantId, purpose, receivedAt }: Notification, at: Date): void {
  if (purpose === 'escalation' || purpose === 'management_escalation') countEscalation(tenantId, purpose);
  else if (purpose && receivedAt && CUSTOMER_NOTICES.has(purpose)) observeIntakeToNotification(tenantId, purpose, receivedAt, at);
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;

function checkedNotification(input: Notification): Notification {
  const parsed = notificationSchema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`Invalid notification: ${z.prettifyError(parsed.error)}`, NotificationFailureType.InvalidNotification);
  }
  const { channel, to } = parsed.data;
  if (!recipientSchemas[channel].safeParse(to).success) {
    const expected = channel === 'email' ? 'an e-mail address' : 'a phone number in E.164 form, like +4917012345678';
    throw ApplicationFailure.nonRetryable(`Recipient '${to}' is not ${expected} (channel ${channel})`, NotificationFailureType.InvalidRecipient);
  }
  return parsed.data;
}

function activityFailure(error: unknown): unknown {
  if (error instanceof DeliveryRejectedError) {
    return ApplicationFailure.create({
      message: error.message,
      type: NotificationFailureType.DeliveryRejected,
      nonRetryable: true,
      details: [{ channel: error.channel, provider: error.provider, code: error.code, reason: error.reason }],
    });
  }
  if (error instanceof DeliveryDeferredError) {
    return ApplicationFailure.create({
      message: error.message,
      type: DELIVERY_DEFERRED,
      nonRetryable: false,
      nextRetryDelay: error.retryAfterMs,
      details: [{ channel: error.channel, provider: error.provider, code: error.code, reason: error.reason }],
    });
  }
  return error;
}
