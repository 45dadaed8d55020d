/** Running alerts per state from Temporal visibility: one count per state (visibility groups by ExecutionStatus only). */
import type { Client } from '@temporalio/client';
import { ALERT_STATES } from '../../domain/alertLifecycle';

export function countRunningAlertsByState(client: Client): () => Promise<Record<string, number>> {
  const open = ALERT_STATES.filter((state) => state !== 'closed');
  return async () => {
    const counts = await Promise.all(
      open.map(async (state) => {
        const { count } = await client.workflow.count(`WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Running' AND AlertState = '${state}'`);
        return [state, count] as const;
      }),
    );
    return Object.fromEntries(counts);
  };
}
