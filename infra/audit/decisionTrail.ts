/**
 * The decision trail of an alert, derived from its stored histories alone (R18): every classification, wait,
 * notification with its delivery proof, matrix check, approval, action and undo, with when and who. Nothing is
 * taken from a live Query, so the trail of a replayed or exported history is the same.
 */
import type { History, WorkflowHistory } from './workflowHistories';
import type { TimelineText } from '../../domain/i18n/timelineText';
import { classificationOf, clip, decode, field, startSummary, target, text, trailText, updateSummary, type TrailText } from './trailSummaries';

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
  /**
   * `detail` as a catalogue key with its parameters, for the printable trail in the reader's language (absent where a
   * recorded entry carries none). Not part of the JSON answer (`trailForJson`).
   */
  text?: TimelineText;
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
 * A run whose publication was a local activity (package 1), or part of the one-step activity `analyseClassifyPublish`,
 * has no activity input naming its classification: the classification is read from its own record, as the decisions
 * above are.
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
    const add = (kind: TrailKind, actor: string, { detail, text: words }: TrailText, evidence?: Record<string, unknown>) =>
      trail.push({ at, workflowId, kind, actor, detail, text: words, evidence: { ...evidence, eventId: Number(event.eventId ?? 0) } });

    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      const { actor, ...summary } = startSummary(workflowType, decode(started.input)[0]);
      add('received', actor, summary);
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? 'unknown';
      const input = decode(scheduled.input)[0];
      activities.set(String(event.eventId), { type, input });
      const classification = type === 'publishAlert' ? classificationOf(input) : null;
      if (classification) add('classification', classification.actor, classification);
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
      add('wait', 'system', trailText('waiting', { duration: duration(ms), untilAt: new Date(Date.parse(at) + ms).toISOString() }), { timerId: timer.timerId });
    }
    if (event.timerFiredEventAttributes) add('wait', 'system', trailText('timerFired'), { timerId: event.timerFiredEventAttributes.timerId });
    if (event.timerCanceledEventAttributes) add('wait', 'system', trailText('timerCanceled'), { timerId: event.timerCanceledEventAttributes.timerId });
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (accepted) {
      const name = accepted.input?.name ?? 'unknown';
      updates.set(accepted.meta?.updateId ?? '', name);
      const summary = updateSummary(name, decode(accepted.input?.args)[0]);
      add(summary.kind, summary.actor, summary, { ...summary.evidence, update: name });
    }
    const updated = event.workflowExecutionUpdateCompletedEventAttributes;
    if (updated) {
      const name = updates.get(updated.meta?.updateId ?? '') ?? 'unknown';
      if (updated.outcome?.failure) add('decision', 'system', trailText('updateFailed', { name, message: clip(updated.outcome.failure.message ?? '') }));
      const record = decode(updated.outcome?.success)[0];
      const matrix = name === 'decideAction' ? field(record, 'matrix') : undefined;
      if (matrix) {
        matrixFromDecisions.push({ at, workflowId, kind: 'matrix_check', actor: 'system', ...matrixText(record, matrix), evidence: { digest: text(record, 'digest'), allowed: field(matrix, 'allowed') } });
      }
    }
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName === 'playbookRunState') {
      const args = decode(signal.input)[0];
      add('playbook', 'system', trailText('runState', { runId: text(args, 'runId'), state: text(args, 'state') }));
    } else if (signal?.signalName === 'finishRun') add('playbook', 'system', trailText('finishRun'));
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) add('playbook', 'system', trailText('childStarted', { workflowType: child.workflowType?.name ?? 'a child workflow', childId: child.workflowId ?? '' }), { childWorkflowId: child.workflowId });
    if (event.childWorkflowExecutionCompletedEventAttributes) {
      add('playbook', 'system', trailText('childCompleted', { childId: event.childWorkflowExecutionCompletedEventAttributes.workflowExecution?.workflowId ?? 'A child workflow' }));
    }
    const finished = event.workflowExecutionCompletedEventAttributes;
    if (finished) {
      completed = true;
      const result = decode(finished.result)[0];
      recorded(result, workflowId, trail, classifiedByActivity ? RECORDED_KINDS : WITH_CLASSIFICATION);
      add('finished', 'system', trailText('completed', { workflowType, finalState: text(result, 'state') }));
    }
    const ended = event.workflowExecutionFailedEventAttributes ?? event.workflowExecutionTimedOutEventAttributes ?? event.workflowExecutionTerminatedEventAttributes;
    if (ended) add('finished', 'system', trailText('ended', { workflowType, reason: clip(text(ended, 'failure', 'message') || text(ended, 'reason') || 'timed out') }));
  }
  // A finished run records every matrix check in its result; a running one shows those its decisions returned.
  if (!completed) trail.push(...matrixFromDecisions);
  return trail;
}

type Add = (kind: TrailKind, actor: string, detail: TrailText, evidence?: Record<string, unknown>) => void;

function activityDone(activity: { type: string; input: unknown }, result: unknown, add: Add): void {
  const { type, input } = activity;
  if (type === 'sendNotification') {
    add('notification', 'system', trailText('notificationSent', { channel: text(result, 'channel'), recipient: text(result, 'recipient'), subject: clip(text(input, 'subject'), 200) }), {
      delivered: true,
      messageId: field(result, 'messageId') ?? null,
      provider: field(result, 'provider') ?? null,
      acceptedAt: field(result, 'acceptedAt') ?? null,
    });
  } else if (type === 'analyseAlert') {
    analysed(result, add);
  } else if (type === 'analyseClassifyPublish') {
    // Package 1 in one step: the same two entries as its two activities give; the classification is read from the record.
    analysed(field(result, 'analysis'), add);
    published(field(result, 'publication'), add);
  } else if (type === 'lookUpTarget') {
    const groups = field(result, 'groups');
    const looked = target(field(input, 'target'));
    add('activity', 'system', field(result, 'found') ? trailText('lookedUpFound', { target: looked, groups: Array.isArray(groups) ? groups.join(', ') : '' }) : trailText('lookedUpUnknown', { target: looked }));
  } else if (text(input, 'action') && text(input, 'requestKey')) {
    const undo = text(input, 'requestKey').endsWith('/undo');
    add(undo ? 'undo' : 'action', 'system', trailText('actionOutcome', { action: text(input, 'action'), target: target(field(input, 'target')), outcome: text(result, 'outcome'), detail: clip(text(result, 'detail'), 200) }), {
      requestKey: text(input, 'requestKey'),
      vendorReference: field(result, 'vendorReference') ?? null,
    });
  } else if (type === 'publishAlert') {
    published(result, add);
  } else {
    add('activity', 'system', trailText('activityDone', { type }));
  }
}

function analysed(analysis: unknown, add: Add): void {
  const rules = field(analysis, 'matchedRules');
  const titles = Array.isArray(rules) ? rules.map((r) => `${text(r, 'title')} (${text(r, 'level')})`) : [];
  add('classification', 'system', titles.length ? trailText('rulesMatched', { rules: clip(titles.join('; ')) }) : trailText('noRuleMatched'), { ruleSetVersion: field(analysis, 'ruleSetVersion') });
}

function published(publication: unknown, add: Add): void {
  add('activity', 'system', trailText('published', { file: text(publication, 'file') }));
}

function activityFailed(activity: { type: string; input: unknown }, message: string, add: Add): void {
  const { type, input } = activity;
  if (type === 'sendNotification') {
    add('notification', 'system', trailText('notificationFailed', { channel: text(input, 'channel'), recipient: text(input, 'to'), message: clip(message) }), { delivered: false });
  } else if (text(input, 'action') && text(input, 'requestKey')) {
    const undo = text(input, 'requestKey').endsWith('/undo');
    add(undo ? 'undo' : 'action', 'system', trailText('actionFailed', { action: text(input, 'action'), target: target(field(input, 'target')), message: clip(message) }), { requestKey: text(input, 'requestKey') });
  } else {
    add('activity', 'system', trailText('activityFailed', { type, message: clip(message) }));
  }
}

/** Decisions the workflow made in pure code appear only in its own record, returned as its result. */
function recorded(result: unknown, workflowId: string, trail: TrailEntry[], kinds: Record<string, TrailKind>): void {
  const timeline = field(result, 'timeline');
  if (!Array.isArray(timeline)) return;
  for (const entry of timeline) {
    const kind = kinds[text(entry, 'kind')];
    const words = recordedText(field(entry, 'text'));
    if (kind) trail.push({ at: text(entry, 'at'), workflowId, kind, actor: text(entry, 'actor') || 'system', detail: clip(text(entry, 'detail'), 500), ...(words ? { text: words } : {}), evidence: { recordedAs: text(entry, 'kind') } });
  }
}

/** The timeline text a workflow recorded with its entry (its key and parameters), if it has that shape. */
function recordedText(value: unknown): TimelineText | undefined {
  const key = field(value, 'key');
  const params = field(value, 'params');
  return typeof key === 'string' && typeof params === 'object' && params !== null ? { key, params: params as TimelineText['params'] } : undefined;
}

function matrixText(record: unknown, matrix: unknown): TrailText {
  const verdict = field(matrix, 'allowed') ? (field(matrix, 'requiresApproval') ? 'matrixApprovalRequired' : 'matrixAllowed') : 'matrixDenied';
  return trailText(verdict, { action: text(record, 'action'), target: target(field(record, 'target')), reason: clip(text(matrix, 'reason')) });
}

/** The trail as the JSON answer gives it: the entries without their catalogue keys. */
export function trailForJson(entries: TrailEntry[]): TrailEntry[] {
  return entries.map(({ text: _words, ...entry }) => entry);
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
