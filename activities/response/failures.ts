/** How response activities fail: non-retryable failures typed from RESPONSE_FAILURE_TYPES, or a retryable VendorUnavailable. */
import { ApplicationFailure } from '@temporalio/common';
import type { ResponseFailureType } from '../../domain/response/actionContract';

/** The type of a retryable failure (throttling, an outage, a timeout): Temporal's activity retry policy carries on. */
export const VENDOR_UNAVAILABLE = 'VendorUnavailable';

/** A permanent failure: a retry cannot change the answer, the workflow hands the action to an analyst. */
export function refused(type: ResponseFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(oneLine(message), type);
}

/** A transient failure; `retryAfterMs` (the vendor's Retry-After) becomes Temporal's next retry delay. */
export function unavailable(message: string, retryAfterMs?: number): ApplicationFailure {
  return ApplicationFailure.create({
    message: oneLine(message),
    type: VENDOR_UNAVAILABLE,
    nonRetryable: false,
    nextRetryDelay: retryAfterMs === undefined ? undefined : Math.max(retryAfterMs, 1),
  });
}

/** Retry-After is either seconds or an HTTP date; anything else is ignored and the retry policy decides. */
export function retryAfterMs(header: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Removes injected secrets from text a vendor or library hands back, before it reaches a failure or a log. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 1000);
}
