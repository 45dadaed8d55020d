/** Named activity option profiles: every activity call states its timeouts and retries through one of these. */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** Local work (rule evaluation, the read model, file output): short, retried until it succeeds so nothing is lost. */
export const localWork: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [] },
};

/**
 * The same work as a local activity (package 1's analysis and publication, or both in one step, docs/performance.md):
 * it runs in the worker that runs the workflow, inside the workflow task, and only its result is recorded (a marker).
 * A worker that dies before the task completes loses nothing: the task times out and the next worker runs the activity
 * again. A few attempts only, backed off in the worker: then the workflow hands the work to the regular activity
 * (`localWork`).
 */
export const localPipeline: LocalActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 3, nonRetryableErrorTypes: [] },
};

/**
 * A notification through an external provider: a few attempts, then the workflow records the failure and escalates
 * (never silently lost). Permanent refusals are non-retryable failures and stop at once.
 */
export const notification: ActivityOptions = {
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
};

/**
 * One request to a vendor API (Graph, Defender lookups, a firewall). Throttling and outages are retried with
 * backoff (a 429's Retry-After becomes the next delay); permanent refusals are non-retryable and reach an analyst.
 */
export const vendorRequest: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
};

/**
 * A vendor job the activity follows to its end (a Defender MachineAction runs for minutes). It heartbeats, so a
 * worker that dies is noticed within the heartbeat timeout and the retry resumes following the same job.
 */
export const vendorJob: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
};

/**
 * Housekeeping over many records (the R14 purge): long, heartbeating, retried until done; each activity is idempotent,
 * so a retry only finishes what the last attempt left.
 */
export const housekeeping: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

/**
 * A pull of a vendor's listing that hands each item on (the scheduled Graph alert pull): long, heartbeating per item.
 * A few attempts; the next scheduled run starts again from the same watermark anyway.
 */
export const vendorPull: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
};

/**
 * An outbound webhook delivery: a receiver may be down for a while (a ticket system's maintenance), so attempts back
 * off from 5 seconds to 10 minutes, twelve in all (about an hour); then the failure is recorded on the alert.
 */
export const webhookDelivery: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12, nonRetryableErrorTypes: ['WebhookRejected', 'WebhookNotConfigured'] },
};
