/**
 * An alert's Temporal histories: the alert workflow's and those of its child workflows (playbook runs), fetched
 * from the server, and converted to and from the JSON that `temporal workflow show -o json` prints (R18).
 */
import type { Client } from '@temporalio/client';
import { historyFromJson, historyToJson, type History } from './historyJson';

export type { History };

/** One workflow's history with the ids replay and export need. */
export interface WorkflowHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  history: History;
}

/** The exported form: `history` exactly as `temporal workflow show -o json` prints it. */
export interface ExportedHistory {
  workflowId: string;
  runId: string;
  workflowType: string;
  history: unknown;
}

export function exportHistory(entry: WorkflowHistory): ExportedHistory {
  return { workflowId: entry.workflowId, runId: entry.runId, workflowType: entry.workflowType, history: historyToJson(entry.history) };
}

export function importHistory(entry: ExportedHistory): WorkflowHistory {
  return { workflowId: entry.workflowId, runId: entry.runId, workflowType: entry.workflowType, history: historyFromJson(entry.history) };
}

/** The workflow type and first run id recorded in a history's first event. */
export function startOf(history: History): { workflowType: string; runId: string } {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return { workflowType: started?.workflowType?.name ?? 'unknown', runId: started?.originalExecutionRunId ?? '' };
}

/** Child workflows a history started, with the run id the server gave each (when it got that far). */
export function childrenOf(history: History): { workflowId: string; runId: string | null }[] {
  const children = new Map<string, string | null>();
  for (const event of history.events ?? []) {
    const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (initiated?.workflowId && !children.has(initiated.workflowId)) children.set(initiated.workflowId, null);
    const started = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (started?.workflowId) children.set(started.workflowId, started.runId ?? null);
  }
  return [...children].map(([workflowId, runId]) => ({ workflowId, runId }));
}

/**
 * The histories of a workflow and of every child it started, parent first. Throws the client's
 * WorkflowNotFoundError when the root workflow does not exist.
 */
export async function fetchWorkflowTree(client: Client, workflowId: string): Promise<WorkflowHistory[]> {
  const root = client.workflow.getHandle(workflowId);
  const description = await root.describe();
  const result: WorkflowHistory[] = [];
  const pending: { workflowId: string; runId: string | null }[] = [{ workflowId, runId: description.runId }];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const next = pending.shift();
    if (!next || seen.has(next.workflowId)) continue;
    seen.add(next.workflowId);
    const history = await client.workflow.getHandle(next.workflowId, next.runId ?? undefined).fetchHistory();
    const start = startOf(history);
    result.push({ workflowId: next.workflowId, runId: next.runId ?? start.runId, workflowType: start.workflowType, history });
    pending.push(...childrenOf(history));
  }
  return result;
}
