/**
 * The decision trail of an alert, derived from its stored histories alone (R18): every classification, wait,
 * notification with its delivery proof, matrix check, approval, action and undo, with when and who. Nothing is
 * taken from a live Query, so the trail of a replayed or exported history is the same.
 */
import type { History, WorkflowHistory } from './workflowHistories';
import { classificationOf, clip, decode, field, startSummary, target, text, updateSummary } from './trailSummaries';

export const TRAIL_KINDS = ['received', 'classification', 'wait', 'notification', 'matrix_check', 'approval', 'action', 'undo', 'decision', 'playbook', 'activity', 'finished'] as const;
export type TrailKind = (typeof TRAIL_KINDS)[number];

export interface TrailEntry {
  /** ISO 8601, from the history event's time. */
  at: string;
  workflowId: string;
  kind: TrailKind;
  /** `system`, `rule:<id>`, `vendor:<source>`, `analyst:<id>`, `admin:<id>`, `system:ai-isolation`, … */
  actor: string;
  detail: string;
  /** What proves it: a delivery receipt, a digest, a vendor reference, the history event id. */
  evidence?: Record<string, unknown>;
}

type HistoryEvent = NonNullable<History['events']>[number];

/** Timeline kinds only the workflow's own record carries (its result): decisions made in pure workflow code. */
const RECORDED_KINDS: Record<string, TrailKind> = {
  matrix_checked: 'matrix_check',
  handed_to_human: 'action',
  ai_assessed: 'classification',
  waiting_for_service: 'wait',
  dry_run_call: 'action',
};

/**
 * A run whose publication was a local activity (package 1) has no activity input naming its classification: the
 * classification is read from its own record, as the decisions above are.
 */
const WITH_CLASSIFICATION: Record<string, TrailKind> = { ...RECORDED_KINDS, classified: 'classification' };

/** The marker the SDK's core records for a local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export function decisionTrail(histories: Pick<WorkflowHistory, 'workflowId' | 'workflowType' | 'history'>[]): TrailEntry[] {
  const entries = histories.flatMap((h) => workflowTrail(h.workflowId, h.workflowType, h.history));
  // Stable sort: entries of the same instant keep their history order.
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index).map((e) => e.entry);
}

function workflowTrail(workflowId: string, workflowType: string, history: History): TrailEntry[] {
  const trail: TrailEntry[] = [];
  const activities = new Map<string, { type: string; input: unknown }>();
  const updates = new Map<string, string>();
  const matrixFromDecisions: TrailEntry[] = [];
  let completed = false;
  let classifiedByActivity = false;

  for (const event of history.events ?? []) {
    const at = timeOf(event);
    const add = (kind: TrailKind, actor: string, detail: string, evidence?: Record<string, unknown>) =>
      trail.push({ at, workflowId, kind, actor, detail, evidence: { ...evidence, eventId: Number(event.eventId ?? 0) } });

    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      const { actor, detail } = startSummary(workflowType, decode(started.input)[0]);
      add('received', actor, detail);
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? 'unknown';
      const input = decode(scheduled.input)[0];
      activities.set(String(event.eventId), { type, input });
      const classification = type === 'publishAlert' ? classificationOf(input) : null;
      if (classification) add('classification', classification.actor, classification.detail);
      classifiedByActivity ||= classification !== null;
    }
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      // A local activity (package 1): its type and its result are recorded, its input is not (docs/performance.md).
      const local = { type: text(decode(marker.details?.['data'])[0], 'activity_type') || 'unknown', input: undefined };
      if (marker.failure) activityFailed(local, marker.failure.cause?.message || marker.failure.message || 'failed', add);
      else activityDone(local, decode(marker.details?.['result'])[0], add);
    }
    const done = event.activityTaskCompletedEventAttributes;
    if (done) {
      const activity = activities.get(String(done.scheduledEventId));
      if (activity) activityDone(activity, decode(done.result)[0], add);
    }
    const failure = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (failure) {
      const activity = activities.get(String(failure.scheduledEventId));
      if (activity) activityFailed(activity, failure.failure?.cause?.message || failure.failure?.message || 'failed', add);
    }
    const timer = event.timerStartedEventAttributes;
    if (timer) {
      const ms = Number(timer.startToFireTimeout?.seconds ?? 0) * 1000 + Math.round((timer.startToFireTimeout?.nanos ?? 0) / 1e6);
      add('wait', 'system', `Waiting up to ${duration(ms)}, until ${new Date(Date.parse(at) + ms).toISOString()} at the latest`, { timerId: timer.timerId });
    }
    if (event.timerFiredEventAttributes) add('wait', 'system', 'The wait ran out (timer fired)', { timerId: event.timerFiredEventAttributes.timerId });
    if (event.timerCanceledEventAttributes) add('wait', 'system', 'The wait ended before its time (what it waited for happened)', { timerId: event.timerCanceledEventAttributes.timerId });
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (accepted) {
      const name = accepted.input?.name ?? 'unknown';
      updates.set(accepted.meta?.updateId ?? '', name);
      const summary = updateSummary(name, decode(accepted.input?.args)[0]);
      add(summary.kind, summary.actor, summary.detail, { ...summary.evidence, update: name });
    }
    const updated = event.workflowExecutionUpdateCompletedEventAttributes;
    if (updated) {
      const name = updates.get(updated.meta?.updateId ?? '') ?? 'unknown';
      if (updated.outcome?.failure) add('decision', 'system', `Update ${name} failed: ${clip(updated.outcome.failure.message ?? '')}`);
      const record = decode(updated.outcome?.success)[0];
      const matrix = name === 'decideAction' ? field(record, 'matrix') : undefined;
      if (matrix) {
        matrixFromDecisions.push({ at, workflowId, kind: 'matrix_check', actor: 'system', detail: matrixText(record, matrix), evidence: { digest: text(record, 'digest'), allowed: field(matrix, 'allowed') } });
      }
    }
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName === 'playbookRunState') {
      const args = decode(signal.input)[0];
      add('playbook', 'system', `Playbook ${text(args, 'runId')} is now ${text(args, 'state')}`);
    } else if (signal?.signalName === 'finishRun') add('playbook', 'system', 'The alert closed: the run finishes');
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) add('playbook', 'system', `Started ${child.workflowType?.name ?? 'a child workflow'} ${child.workflowId ?? ''}`, { childWorkflowId: child.workflowId });
    if (event.childWorkflowExecutionCompletedEventAttributes) {
      add('playbook', 'system', `${event.childWorkflowExecutionCompletedEventAttributes.workflowExecution?.workflowId ?? 'A child workflow'} completed`);
    }
    const finished = event.workflowExecutionCompletedEventAttributes;
    if (finished) {
      completed = true;
      const result = decode(finished.result)[0];
      recorded(result, workflowId, trail, classifiedByActivity ? RECORDED_KINDS : WITH_CLASSIFICATION);
      add('finished', 'system', `${workflowType} completed in state '${text(result, 'state')}'`);
    }
    const ended = event.workflowExecutionFailedEventAttributes ?? event.workflowExecutionTimedOutEventAttributes ?? event.workflowExecutionTerminatedEventAttributes;
    if (ended) add('finished', 'system', `${workflowType} ended without completing: ${clip(text(ended, 'failure', 'message') || text(ended, 'reason') || 'timed out')}`);
  }
  // A finished run records every matrix check in its result; a running one shows those its decisions returned.
  if (!completed) trail.push(...matrixFromDecisions);
  return trail;
}

type Add = (kind: TrailKind, actor: string, detail: string, evidence?: Record<string, unknown>) => void;

function activityDone(activity: { type: string; input: unknown }, result: unknown, add: Add): void {
  const { type, input } = activity;
  if (type === 'sendNotification') {
    add('notification', 'system', `${text(result, 'channel')} to ${text(result, 'recipient')}: ${clip(text(input, 'subject'), 200)}`, {
      delivered: true,
      messageId: field(result, 'messageId') ?? null,
      provider: field(result, 'provider') ?? null,
      acceptedAt: field(result, 'acceptedAt') ?? null,
    });
  } else if (type === 'analyseAlert') {
    const rules = field(result, 'matchedRules');
    const titles = Array.isArray(rules) ? rules.map((r) => `${text(r, 'title')} (${text(r, 'level')})`) : [];
    add('classification', 'system', titles.length ? `Detection rules matched: ${clip(titles.join('; '))}` : 'No detection rule matched', { ruleSetVersion: field(result, 'ruleSetVersion') });
  } else if (type === 'lookUpTarget') {
    const groups = field(result, 'groups');
    add('activity', 'system', `Looked up ${target(field(input, 'target'))}: ${field(result, 'found') ? `found, groups/tags [${Array.isArray(groups) ? groups.join(', ') : ''}]` : 'not known to the vendor'}`);
  } else if (text(input, 'action') && text(input, 'requestKey')) {
    const undo = text(input, 'requestKey').endsWith('/undo');
    add(undo ? 'undo' : 'action', 'system', `${text(input, 'action')} on ${target(field(input, 'target'))}: ${text(result, 'outcome')} (${clip(text(result, 'detail'), 200)})`, {
      requestKey: text(input, 'requestKey'),
      vendorReference: field(result, 'vendorReference') ?? null,
    });
  } else if (type === 'publishAlert') {
    add('activity', 'system', `Published to the dashboard and to ${text(result, 'file')}`);
  } else {
    add('activity', 'system', `${type} done`);
  }
}

function activityFailed(activity: { type: string; input: unknown }, message: string, add: Add): void {
  const { type, input } = activity;
  if (type === 'sendNotification') {
    add('notification', 'system', `${text(input, 'channel')} to ${text(input, 'to')} not delivered: ${clip(message)}`, { delivered: false });
  } else if (text(input, 'action') && text(input, 'requestKey')) {
    const undo = text(input, 'requestKey').endsWith('/undo');
    add(undo ? 'undo' : 'action', 'system', `${text(input, 'action')} on ${target(field(input, 'target'))} failed: ${clip(message)}`, { requestKey: text(input, 'requestKey') });
  } else {
    add('activity', 'system', `${type} failed: ${clip(message)}`);
  }
}

/** Decisions the workflow made in pure code appear only in its own record, returned as its result. */
function recorded(result: unknown, workflowId: string, trail: TrailEntry[], kinds: Record<string, TrailKind>): void {
  const timeline = field(result, 'timeline');
  if (!Array.isArray(timeline)) return;
  for (const entry of timeline) {
    const kind = kinds[text(entry, 'kind')];
    if (kind) trail.push({ at: text(entry, 'at'), workflowId, kind, actor: text(entry, 'actor') || 'system', detail: clip(text(entry, 'detail'), 500), evidence: { recordedAs: text(entry, 'kind') } });
  }
}

function matrixText(record: unknown, matrix: unknown): string {
  const verdict = field(matrix, 'allowed') ? `allowed${field(matrix, 'requiresApproval') ? ', approval required' : ''}` : 'denied';
  return `${text(record, 'action')} on ${target(field(record, 'target'))}: ${verdict} (${clip(text(matrix, 'reason'))})`;
}

function timeOf(event: HistoryEvent): string {
  const seconds = Number(event.eventTime?.seconds ?? 0);
  const nanos = event.eventTime?.nanos ?? 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

function duration(ms: number): string {
  if (ms >= 86_400_000) return `${(ms / 86_400_000).toFixed(1)} d`;
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 1000).toFixed(1)} s`;
}
