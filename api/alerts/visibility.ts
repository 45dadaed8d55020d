/** Reads Temporal visibility a page at a time, decoding each execution (search attributes, memo) with the client's converter. */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';

export interface VisibilityPage {
  executions: WorkflowExecutionInfo[];
  /** Absent on the last page. */
  nextPageToken: Uint8Array | undefined;
}

export async function listPage(client: Client, namespace: string, query: string, pageSize: number, nextPageToken?: Uint8Array): Promise<VisibilityPage> {
  const page = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize, nextPageToken });
  const converter = client.workflow.options.loadedDataConverter;
  const executions = await Promise.all((page.executions ?? []).map((raw) => executionInfoFromRaw(raw, converter, raw, namespace)));
  const token = page.nextPageToken;
  return { executions, nextPageToken: token && token.length > 0 ? token : undefined };
}

/** Every execution the query matches, up to `max`. */
export async function listAll(client: Client, namespace: string, query: string, max = 10_000): Promise<WorkflowExecutionInfo[]> {
  const all: WorkflowExecutionInfo[] = [];
  let token: Uint8Array | undefined;
  do {
    const page = await listPage(client, namespace, query, 500, token);
    all.push(...page.executions);
    token = page.nextPageToken;
  } while (token && all.length < max);
  return all;
}
