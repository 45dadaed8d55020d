/** Named activity option profiles: every activity call states its timeouts and retries through one of these. */
import type { ActivityOptions } from '@temporalio/workflow';

/** Local work (rule evaluation, the read model, file output): short, retried until it succeeds so nothing is lost. */
export const localWork: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [] },
};

/**
 * A notification through an external provider: a few attempts, then the workflow records the failure and escalates
 * (never silently lost). Permanent refusals are non-retryable failures and stop at once.
 */
export const notification: ActivityOptions = {
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
};
