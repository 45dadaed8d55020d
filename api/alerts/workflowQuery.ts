/** Queries a running workflow; when no worker answers (all stopped or restarting) the caller gets a retryable 503, not a 500. */
import { ServiceError, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { EngineUnavailableError } from '../../domain/refusals';

/** How long a read waits for a worker to answer: an HTTP client is not kept waiting for a worker that is down. */
const QUERY_DEADLINE_MS = 5_000;

export async function queryWorkflow<T>(handle: WorkflowHandle, query: QueryDefinition<T, []>, deadlineMs = QUERY_DEADLINE_MS): Promise<T> {
  try {
    return await handle.client.withDeadline(Date.now() + deadlineMs, () => handle.query(query));
  } catch (error) {
    if (error instanceof ServiceError) throw notAnswering(handle.workflowId);
    throw error;
  }
}

/** The refusal for a workflow no worker serves at the moment: a 503 the client may retry. */
export function notAnswering(workflowId: string): EngineUnavailableError {
  return new EngineUnavailableError(`'${workflowId}' is not answering right now (no worker is running, or one is restarting); retry later`);
}
