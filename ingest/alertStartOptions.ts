/** How every alert workflow is started (single intake and event correlation alike): business-key id, search attributes, memo. */
import { ServiceError, type Client } from '@temporalio/client';
import type { AlertWorkflowInput } from '../workflows/alertWorkflow';
import { ALERT_SOURCE, ALERT_STATE, TENANT_ID } from '../domain/searchAttributes';

export function alertStartOptions(taskQueue: string, input: AlertWorkflowInput) {
  const { alert } = input;
  return {
    taskQueue,
    workflowId: input.alertId,
    args: [input] as [AlertWorkflowInput],
    // A closed alert (or incident) is not started again for the same business key while its history is kept.
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    typedSearchAttributes: [
      { key: TENANT_ID, value: input.tenant.id },
      { key: ALERT_SOURCE, value: alert.source },
      { key: ALERT_STATE, value: 'received' },
    ],
    memo: { title: alert.title, externalId: alert.externalId, observedAt: alert.observedAt },
  };
}

/**
 * How long a start may take before intake gives up with 503 (the client re-sends; the business key makes that safe).
 * Without it the client retries an unreachable Temporal for about 20 s before failing.
 */
export const START_DEADLINE_MS = 10_000; // API_START_DEADLINE_MS

/**
 * Runs a start under a gRPC deadline, and answers by the deadline whatever the connection does: the engine's own
 * connection keeps its retry pauses inside the deadline (infra/temporal/clientConnection.ts), the SDK's plain one
 * pauses up to 5 s past it. A start that completes after the answer is not lost: a re-send finds it as a duplicate.
 */
export function withStartDeadline<T>(client: Client, start: () => Promise<T>, deadlineMs = START_DEADLINE_MS): Promise<T> {
  const started = client.withDeadline(Date.now() + deadlineMs, start);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceError(`Temporal did not answer the start within ${deadlineMs} ms (DEADLINE_EXCEEDED)`)), deadlineMs + 250);
  });
  started.catch(() => undefined); // answered by the deadline already when it fails later
  return Promise.race([started, expired]).finally(() => clearTimeout(timer));
}
