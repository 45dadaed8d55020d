/**
 * Workflows for the log-redaction test (test/workers/failureLogRedaction.test.ts): each fails in a way the Temporal
 * SDK logs, with the account and the host it was about in the failure's text.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { FailingActivities } from './failingActivities';

const { lookUpAccount } = proxyActivities<FailingActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 1 } });

/** The activity fails ("Activity failed"), then the workflow code throws a plain Error: the workflow task fails and is retried. */
export async function workflowTaskFailsNaming(upn: string, host: string): Promise<void> {
  try {
    await lookUpAccount(upn, host);
  } catch {
    throw new Error(`could not look up ${upn} on ${host}`);
  }
}

/** The workflow itself fails with an application failure ("Workflow failed"). */
export async function workflowFailsNaming(upn: string, host: string): Promise<void> {
  throw ApplicationFailure.nonRetryable(`${upn} signed in on ${host} from an unknown country`, 'AccountCompromised');
}
