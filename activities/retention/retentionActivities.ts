/**
 * The R14 purge's side effects for one tenant: its closed alert workflows (with their playbook runs) in Temporal, and
 * its read-model rows and file lines. Each is idempotent: what is gone is skipped, a re-run deletes nothing more.
 */
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { EXPIRE_ALERT_UPDATE } from '../../domain/retention';
import { TENANT_ID } from '../../domain/searchAttributes';
import type { AlertReadModel } from '../../stores/alertReadModel';
import type { TieredFileOutput } from '../publication/tieredFileOutput';
import type { CallerSigner } from '../../infra/crypto/callerSigner';

const { WorkflowExecutionStatus } = temporal.api.enums.v1;

export interface RetentionDeps {
  readModel: AlertReadModel;
  fileOutput: TieredFileOutput;
  /** Signs the expiry Updates (alerts started with caller keys refuse unsigned ones); absent: sent unsigned. */
  callerSigner?: CallerSigner;
}

export interface PurgedWorkflows {
  alertWorkflows: number;
  playbookRuns: number;
  /** Closed alerts kept for now because one of their playbook runs is still open (purged on a later day). */
  alertsKeptForOpenRuns: number;
}

export interface ExpiredAlerts {
  /** Open alerts past the retention that were closed as expired (R14), to be purged with the closed ones. */
  expiredAlerts: string[];
  /** Open alerts past the retention that could not be closed yet (a playbook run still acting): a later day. */
  expiryRefused: number;
}

export interface PurgedEventData {
  dashboardAlerts: number;
  alertHosts: number;
  fileLines: number;
  /** Open alerts of the tenant whose rows and lines were kept whatever their age. */
  openAlertsKept: number;
}

/** Playbook runs carry no TenantId (child workflows do not inherit search attributes): found by id, `<alertId>.run-<n>`. */
const MAX_MISSING_RUN_IDS = 3;

export function createRetentionActivities({ readModel, fileOutput, callerSigner }: RetentionDeps) {
  return {
    /**
     * R14: closes the tenant's open alerts received before `receivedBefore` as expired (the alert records it and tells
     * the SOC) and waits for each to end, so that the purge that follows deletes them.
     */
    async expireOpenAlerts({ tenantId, receivedBefore, retentionDays }: { tenantId: string; receivedBefore: string; retentionDays: number }): Promise<ExpiredAlerts> {
      const { client, namespace } = temporalOfActivity();
      const query = `WorkflowType = 'alertWorkflow' AND ${TENANT_ID.name} = '${checkedTenantId(tenantId)}' AND ExecutionStatus = 'Running' AND StartTime < '${receivedBefore}'`;
      const result: ExpiredAlerts = { expiredAlerts: [], expiryRefused: 0 };
      for (const workflowId of await workflowIds(client, namespace, query)) {
        const handle = client.workflow.getHandle(workflowId);
        try {
          const argument = { retentionDays, cutoff: receivedBefore };
          const updateId = `expire-${receivedBefore}`;
          const caller = { principal: 'retention', role: 'system', tenant: tenantId };
          await handle.executeUpdate(EXPIRE_ALERT_UPDATE, callerSigner ? callerSigner.update(caller, workflowId, { name: EXPIRE_ALERT_UPDATE }, argument, updateId) : { args: [argument], updateId });
        } catch (error) {
          if (!(error instanceof WorkflowUpdateFailedError)) throw error;
          result.expiryRefused += 1; // refused by the alert (a run still acting, or not that old after all)
          continue;
        }
        await handle.result();
        result.expiredAlerts.push(workflowId);
        Context.current().heartbeat();
      }
      return result;
    },

    /**
     * Deletes the tenant's alert workflows started (received) before `receivedBefore` that are closed, each after its
     * playbook runs; never an open one. Retention counts from the event's time, not from closing. `expired` names
     * alerts just closed as expired, which visibility may not show closed yet.
     */
    async purgeClosedAlertWorkflows(input: { tenantId: string; receivedBefore: string; expired?: string[] }): Promise<PurgedWorkflows> {
      // `closedBefore`: the argument's name before R14 counted from the event's time, in activities scheduled then.
      const { tenantId, expired = [] } = input;
      const receivedBefore = input.receivedBefore ?? (input as { closedBefore?: string }).closedBefore;
      const { client, namespace } = temporalOfActivity();
      const query = `WorkflowType = 'alertWorkflow' AND ${TENANT_ID.name} = '${checkedTenantId(tenantId)}' AND ExecutionStatus != 'Running' AND StartTime < '${receivedBefore}'`;
      const result: PurgedWorkflows = { alertWorkflows: 0, playbookRuns: 0, alertsKeptForOpenRuns: 0 };
      const seen = new Set<string>();
      const purgeAlert = async ({ workflowId, runId }: Execution) => {
        seen.add(workflowId);
        const runs = await closedRunsOf(client, namespace, workflowId);
        if (runs === null) {
          result.alertsKeptForOpenRuns += 1;
          return;
        }
        // Highest run first, the alert last: a purge cut short leaves no run whose alert is already gone.
        for (const run of runs.reverse()) result.playbookRuns += await deleteExecution(client, namespace, run);
        result.alertWorkflows += await deleteExecution(client, namespace, { workflowId, runId });
        Context.current().heartbeat();
      };
      let nextPageToken: Uint8Array | undefined;
      do {
        const page = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 200, nextPageToken });
        for (const execution of page.executions ?? []) {
          const workflowId = execution.execution?.workflowId;
          const runId = execution.execution?.runId;
          if (workflowId && runId) await purgeAlert({ workflowId, runId });
        }
        nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
      } while (nextPageToken);
      for (const workflowId of expired.filter((id) => !seen.has(id))) {
        const info = (await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } })).workflowExecutionInfo;
        const runId = info?.execution?.runId;
        if (runId && info.status !== WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) await purgeAlert({ workflowId, runId });
      }
      return result;
    },

    /** Deletes the tenant's read-model rows and file lines of alerts received before `receivedBefore`, except open alerts'. */
    async purgeTenantEventData({ tenantId, receivedBefore, expired = [] }: { tenantId: string; receivedBefore: string; expired?: string[] }): Promise<PurgedEventData> {
      const { client, namespace } = temporalOfActivity();
      const open = (await openAlertIds(client, namespace, checkedTenantId(tenantId))).filter((id) => !expired.includes(id));
      const rows = await readModel.purgeTenant(tenantId, receivedBefore, open);
      Context.current().heartbeat();
      const files = await fileOutput.purgeTenant(tenantId, receivedBefore, open);
      return { ...rows, ...files, openAlertsKept: open.length };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;

/** The worker's own client (the activity context carries it) and the namespace the purge runs in. */
function temporalOfActivity(): { client: Client; namespace: string } {
  const context = Context.current();
  return { client: context.client, namespace: context.info.activityNamespace };
}

/** Tenant ids are slugs; anything else must not reach a visibility query. */
function checkedTenantId(tenantId: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(tenantId)) throw new Error(`not a tenant id: '${tenantId}'`);
  return tenantId;
}

interface Execution {
  workflowId: string;
  runId: string;
}

/** The alert's playbook runs that still exist, in order; null when one of them is still open. */
async function closedRunsOf(client: Client, namespace: string, alertId: string): Promise<Execution[] | null> {
  const runs: Execution[] = [];
  let missing = 0;
  for (let n = 1; missing < MAX_MISSING_RUN_IDS; n += 1) {
    const workflowId = `${alertId}.run-${n}`;
    try {
      const described = await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } });
      const info = described.workflowExecutionInfo;
      if (info?.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) return null;
      const runId = info?.execution?.runId;
      if (runId) runs.push({ workflowId, runId });
      missing = 0;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      missing += 1;
    }
  }
  return runs;
}

/** Deletes one closed execution (by run id, so a later run of the same id is never touched); 0 when already gone. */
async function deleteExecution(client: Client, namespace: string, execution: Execution): Promise<number> {
  try {
    await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: execution });
    return 1;
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
}

function openAlertIds(client: Client, namespace: string, tenantId: string): Promise<string[]> {
  return workflowIds(client, namespace, `WorkflowType = 'alertWorkflow' AND ${TENANT_ID.name} = '${tenantId}' AND ExecutionStatus = 'Running'`);
}

async function workflowIds(client: Client, namespace: string, query: string): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 500, nextPageToken });
    for (const execution of page.executions ?? []) if (execution.execution?.workflowId) ids.push(execution.execution.workflowId);
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return ids;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 5;
}
