/** The two ways a provider can fail a delivery: for good, or for now. Senders throw these; the activity maps them to Temporal failures. */
import type { NotificationChannel } from './types';

/** Thrown when a provider refuses a message for good (bad address, SMTP 5xx, HTTP 4xx other than 429): retrying gets the same answer. */
export class DeliveryRejectedError extends Error {
  constructor(
    readonly channel: NotificationChannel,
    readonly provider: string,
    /** The provider's own words, secrets removed. */
    readonly reason: string,
    /** SMTP reply code or HTTP status, when the provider gave one. */
    readonly code?: number,
  ) {
    super(`${provider} rejected the ${channel} notification: ${reason}`);
  }
}

/** Thrown when a delivery fails in a way a later attempt may not (SMTP 4xx, HTTP 429 or 5xx, timeout, lost connection, malformed answer). */
export class DeliveryDeferredError extends Error {
  constructor(
    readonly channel: NotificationChannel,
    readonly provider: string,
    readonly reason: string,
    readonly code?: number,
    /** How long the provider asked us to wait (HTTP Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(`${provider} did not take the ${channel} notification (retryable): ${reason}`);
  }
}
