/** Approvals waiting for an analyst (R8): actions in `awaiting_approval` across running playbook runs, read by Query. */
import type { Client } from '@temporalio/client';
import { playbookRunQuery } from '../../workflows/messages';
import { listAll } from '../alerts/visibility';
import { queryWorkflow } from '../alerts/workflowQuery';

/** At most `maxRuns` running runs are asked, each with a short deadline, so a scrape stays bounded. */
export function countApprovalsWaiting(client: Client, namespace: string, { maxRuns = 500, queryTimeoutMs = 2_000 } = {}): () => Promise<number> {
  return async () => {
    const runs = await listAll(client, namespace, `WorkflowType = 'playbookRunWorkflow' AND ExecutionStatus = 'Running'`, maxRuns);
    const waiting = await Promise.all(
      runs.slice(0, maxRuns).map(async ({ workflowId, runId }) => {
        const status = await queryWorkflow(client.workflow.getHandle(workflowId, runId), playbookRunQuery, queryTimeoutMs).catch(() => null);
        return status?.actions.filter((action) => action.state === 'awaiting_approval').length ?? 0;
      }),
    );
    return waiting.reduce((sum, n) => sum + n, 0);
  };
}
