/** What a customer notification is, what its delivery proves (the receipt), and how a delivery can fail for good (R6, R8, R19). */
import { z } from 'zod';
import { NOTIFICATION_PURPOSES, type RetryCheck } from '../../domain/alertLifecycle';
import { LANGUAGES } from '../../domain/i18n/language';

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'voice'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** One line of text for a header or a key: no control characters, so nothing can be smuggled into a mail header. */
const singleLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]+$/u, 'a single line without control characters');

/**
 * The activity's input. `to` is an e-mail address for `email` and an E.164 number for `sms` and `voice`;
 * the activity checks it per channel. `subject` is used by e-mail only; phone channels send `body`.
 */
export const notificationSchema = z.strictObject({
  channel: z.enum(NOTIFICATION_CHANNELS),
  to: z.string(),
  subject: z.string().max(998).regex(/^[^\p{Cc}]*$/u, 'a single line without control characters'),
  body: z.string().min(1).max(100_000),
  tenantId: singleLine(200),
  alertId: singleLine(300),
  idempotencyKey: singleLine(300).describe('Same key on every retry of one notification; the provider and the Message-ID are derived from it.'),
  /** For the worker's figures only: why it goes out and when the alert came in (intake to notification, escalations). */
  purpose: z.enum(NOTIFICATION_PURPOSES).optional(),
  receivedAt: z.string().max(64).optional(),
  /** The language the text is written in (the tenant's, for customer messages): `Content-Language` of an e-mail, the voice's language. */
  language: z.enum(LANGUAGES).optional(),
});

export type Notification = z.output<typeof notificationSchema>;

/** Proof that a provider accepted a notification: recorded in the workflow history (R8: the responsible person was informed). */
export interface DeliveryReceipt {
  channel: NotificationChannel;
  recipient: string;
  messageId: string;
  /** Which provider accepted it, like `smtp:mail.example.org` or `http-phone:api.sms.example`. */
  provider: string;
  /** ISO 8601, when the provider's acceptance was seen. */
  acceptedAt: string;
  idempotencyKey: string;
  /** On a retry through a provider that has no idempotency key (Twilio): what the look-up before sending found. */
  retryCheck?: RetryCheck;
  /**
   * `none`: the provider took the message but reports nothing about its delivery (sipgate's SMS API), so this receipt
   * proves the sending only, never that the phone received it. Absent: the provider's reports follow, or the protocol
   * confirmed delivery (SMTP).
   */
  deliveryReport?: 'none';
}

/** What a sender learns from its provider; the activity adds the channel, recipient, key and time to make the receipt. */
export type ProviderAcceptance = Pick<DeliveryReceipt, 'messageId' | 'provider' | 'retryCheck' | 'deliveryReport'>;

/** Which attempt of the activity this is: on a retry, a provider without idempotency keys looks for the earlier attempt's message. */
export interface DeliveryAttempt {
  number: number;
  /** When the first attempt was scheduled: nothing the earlier attempts created is older. */
  firstScheduledAt: Date;
}

/**
 * Permanent failures: thrown as non-retryable `ApplicationFailure`s with one of these types, so the retry policy
 * stops and the workflow escalates. Anything else a delivery throws is retryable.
 */
export const NotificationFailureType = {
  /** The provider refused the message for good: bad address, SMTP 5xx, HTTP 4xx other than 429. */
  DeliveryRejected: 'DeliveryRejected',
  /** No sender is configured for the notification's channel. */
  ChannelNotConfigured: 'ChannelNotConfigured',
  /** `to` is not an e-mail address (email) or an E.164 number (sms, voice). */
  InvalidRecipient: 'InvalidRecipient',
  /** Another field of the notification breaks its schema (an empty body or key, a line break in a header value). */
  InvalidNotification: 'InvalidNotification',
} as const;

export type NotificationFailureType = (typeof NotificationFailureType)[keyof typeof NotificationFailureType];

/** Type of the retryable failure: SMTP 4xx, HTTP 429 and 5xx, timeouts, lost connections, malformed provider answers. */
export const DELIVERY_DEFERRED = 'DeliveryDeferred' as const;
