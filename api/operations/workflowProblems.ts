/**
 * Failed or stuck alert and playbook-run workflows in one list, each with its reason: closed ones (Failed, Terminated,
 * TimedOut) from visibility and their closing event, then running ones whose activity is retrying or whose workflow
 * task keeps failing, from describe. Each page scans at most `limit` executions (bounded), so a page may hold fewer.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { TENANT_ID } from '../../domain/searchAttributes';
import { may, type Principal } from '../../domain/access/roles';
import { notACursorOfOurs, type CursorSeal } from '../alerts/cursorSeal';
import { ForbiddenError } from '../../domain/refusals';
import { listPage } from '../alerts/visibility';
import { readableFailure } from '../../infra/crypto/historyPayloads';

export const PROBLEM_KINDS = ['failed', 'terminated', 'timed_out', 'activity_retrying', 'workflow_task_failing'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface WorkflowProblem {
  workflowId: string;
  runId: string;
  workflowType: string;
  tenantId: string | null;
  kind: ProblemKind;
  /** The failure message, termination reason or last failure of the retrying activity. */
  reason: string;
  /** Closing time of a closed workflow; start time of a running one. */
  since: string;
  /** The retrying activity and its attempt; null otherwise. */
  activityType: string | null;
  attempt: number | null;
}

export interface ProblemPage {
  items: WorkflowProblem[];
  /** Executions looked at for this page. */
  scanned: number;
  nextCursor: string | null;
}

const TYPES = `(WorkflowType = 'alertWorkflow' OR WorkflowType = 'playbookRunWorkflow')`;
const PHASES = {
  closed: `${TYPES} AND (ExecutionStatus = 'Failed' OR ExecutionStatus = 'Terminated' OR ExecutionStatus = 'TimedOut')`,
  running: `${TYPES} AND ExecutionStatus = 'Running'`,
} as const;
type Phase = keyof typeof PHASES;
const cursorSchema = z.strictObject({ phase: z.enum(['closed', 'running']), token: z.string().optional() });
const LIST = 'problems';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure | null | undefined;

export class WorkflowProblems {
  constructor(private readonly deps: { client: Client; namespace: string; cursors: CursorSeal }) {}

  async list(principal: Principal, { limit, cursor }: { limit: number; cursor?: string | undefined }): Promise<ProblemPage> {
    if (!may(principal, 'readProblems')) throw new ForbiddenError(`Role '${principal.role}' may not read workflow problems`);
    const { client, namespace, cursors } = this.deps;
    const { phase, token } = cursor === undefined ? { phase: 'closed' as Phase, token: undefined } : decodeCursor(cursors.open(LIST, cursor));
    const page = await listPage(client, namespace, PHASES[phase], limit, token);
    const found = await Promise.all(page.executions.map((execution) => (phase === 'closed' ? this.closed(execution) : this.running(execution))));
    const next: { phase: Phase; token?: string } | null = page.nextPageToken
      ? { phase, token: Buffer.from(page.nextPageToken).toString('base64url') }
      : phase === 'closed'
        ? { phase: 'running' }
        : null;
    return {
      items: found.filter((p): p is WorkflowProblem => p !== null),
      scanned: page.executions.length,
      nextCursor: next ? cursors.seal(LIST, Buffer.from(JSON.stringify(next))) : null,
    };
  }

  private async closed(execution: WorkflowExecutionInfo): Promise<WorkflowProblem | null> {
    const [last] = await this.lastEvents(execution, 1);
    const kind: ProblemKind = execution.status.name === 'TERMINATED' ? 'terminated' : execution.status.name === 'TIMED_OUT' ? 'timed_out' : 'failed';
    const reason =
      kind === 'terminated'
        ? last?.workflowExecutionTerminatedEventAttributes?.reason || 'terminated'
        : kind === 'timed_out'
          ? 'the workflow execution timed out'
          : (await this.messageOf(last?.workflowExecutionFailedEventAttributes?.failure)) ?? 'failed';
    return problem(execution, kind, reason, (execution.closeTime ?? execution.startTime).toISOString());
  }

  private async running(execution: WorkflowExecutionInfo): Promise<WorkflowProblem | null> {
    const { raw } = await this.deps.client.workflow.getHandle(execution.workflowId, execution.runId).describe();
    const since = execution.startTime.toISOString();
    const retrying = (raw.pendingActivities ?? []).find((a) => (a.attempt ?? 0) > 1);
    if (retrying) {
      const reason = (await this.messageOf(retrying.lastFailure)) ?? 'retrying';
      return { ...problem(execution, 'activity_retrying', reason, since), activityType: retrying.activityType?.name ?? null, attempt: retrying.attempt ?? null };
    }
    const taskAttempt = raw.pendingWorkflowTask?.attempt ?? 0;
    if (taskAttempt <= 1) return null;
    const events = await this.lastEvents(execution, 20);
    const failed = events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
    return { ...problem(execution, 'workflow_task_failing', (await this.messageOf(failed)) ?? 'the workflow task keeps failing', since), attempt: taskAttempt };
  }

  /** Failure messages are stored encoded (infra/temporal/failureConverter.ts): read through the client's codec. */
  private async messageOf(failure: Failure): Promise<string | null> {
    return messageOf(await readableFailure(failure, this.deps.client.options.loadedDataConverter.payloadCodecs));
  }

  private async lastEvents({ workflowId, runId }: WorkflowExecutionInfo, count: number): Promise<HistoryEvent[]> {
    const { namespace, client } = this.deps;
    const page = await client.workflowService.getWorkflowExecutionHistoryReverse({ namespace, execution: { workflowId, runId }, maximumPageSize: count });
    return page.history?.events ?? [];
  }
}

function problem(execution: WorkflowExecutionInfo, kind: ProblemKind, reason: string, since: string): WorkflowProblem {
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    workflowType: execution.type,
    tenantId: execution.typedSearchAttributes.get(TENANT_ID) ?? null,
    kind,
    reason: reason.slice(0, 1000),
    since,
    activityType: null,
    attempt: null,
  };
}

/** `Activity task failed: Defender refused ...`: the failure and its causes, outermost first. */
function messageOf(failure: Failure): string | null {
  const parts: string[] = [];
  for (let f = failure; f && parts.length < 4; f = f.cause) if (f.message) parts.push(f.message);
  return parts.length > 0 ? parts.join(': ') : null;
}

/** A sealed cursor's content: which phase and Temporal's page token in it (the seal proved it is ours). */
function decodeCursor(sealed: Buffer): { phase: Phase; token: Uint8Array | undefined } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(sealed.toString('utf8'));
  } catch {
    throw notACursorOfOurs();
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw notACursorOfOurs();
  const { phase, token } = parsed.data;
  return { phase, token: token === undefined ? undefined : Buffer.from(token, 'base64url') };
}
