/** The trivial baseline for memory per cached workflow: a workflow that only waits on a timer. */
import { sleep } from '@temporalio/workflow';

export async function waitingWorkflow(): Promise<void> {
  await sleep('7 days');
}
