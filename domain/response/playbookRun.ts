/** The record of one playbook run, kept by its workflow and read through a Query: every check, approval, notice and action (R8, R18). */
import type { NotificationRecord, TimelineEntry } from '../alertLifecycle';
import type { ActionName } from './actionCatalog';
import type { ActionRequest, ActionResult } from './actionContract';
import type { ResolvedTarget } from './targets';

export const ACTION_STATES = [
  'pending',
  /** R9: outside service hours; `nextWakeAt` of the run says when it opens. */
  'waiting_for_service',
  /** Waiting on an analyst's Update bound to this action's digest. */
  'awaiting_approval',
  'running',
  'done',
  /** The vendor already had the change in place (found by the check before the call). */
  'already_done',
  /** Refused before any vendor call (release matrix, R9/R10, unsafe target, no notice delivered); a human takes over. */
  'handed_to_human',
  'rejected',
  'failed',
  /** Not run: a step it depends on did nothing, or the run was undone first. */
  'skipped',
  'undone',
  'undo_failed',
  /** Dry-run: every engine step passed and the vendor change was recorded in `wouldCall`, not made. */
  'would_run',
] as const;
export type ActionState = (typeof ACTION_STATES)[number];

export interface MatrixCheck {
  allowed: boolean;
  reason: string;
  /** Index of the release rule that allowed it. */
  rule: number | null;
  requiresApproval: boolean;
  /** Directory groups or machine tags the decision saw. */
  groups: string[];
}

export interface Approval {
  required: boolean;
  /** Four-eyes principle (release rule `fourEyes`): the analyst who started the run may not approve. Absent in older runs. */
  fourEyes?: boolean;
  /** The digest the decision was bound to (always this action's digest). */
  digest: string;
  decision: 'approve' | 'reject' | null;
  /** `analyst:<id>`, `admin:<id>` or `system:ai-isolation`. */
  by: string | null;
  at: string | null;
  reason: string | null;
  /** How often the approval was asked for: 2 and more after an approval expired across a wait (absent in older runs: 1). */
  asked?: number;
}

export interface ActionRecord {
  /** `<run id>/<step id>/<n>`: unique in the run, the vendor-side request key. */
  key: string;
  stepId: string;
  action: ActionName;
  target: ResolvedTarget;
  subject: ResolvedTarget | null;
  params: Record<string, unknown>;
  /** `sha256:<hex>` over the run, step, action, target, subject and params: what an approval is bound to. */
  digest: string;
  state: ActionState;
  matrix: MatrixCheck | null;
  approval: Approval | null;
  /** Indexes into the run's notifications: the notice the customer got before this action (R8). */
  notices: number[];
  result: ActionResult | null;
  /** Why it was handed over, rejected or failed: the rule or the vendor's message. */
  reason: string | null;
  /** Dry-run only: the vendor activity the run stopped before, with the arguments it would have passed. */
  wouldCall?: { activity: string; request: ActionRequest };
  /** The undo registered when it succeeded, and what became of it. */
  undo: { action: ActionName; state: 'registered' | 'undone' | 'undo_failed'; detail: string | null } | null;
}

/**
 * `live` carries out measures; `dry-run` runs every engine step (look-ups, matrix, approvals, waits, a test notice to
 * the SOC) and stops before each vendor change. A dry-run never counts as a measure.
 */
export const RUN_MODES = ['live', 'dry-run'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const RUN_STATES = ['running', 'completed', 'completed_with_handoffs', 'failed', 'undoing', 'undone', 'closed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** A run in these states is still carrying out or undoing measures: its alert may not close yet. */
export function runActive(state: RunState): boolean {
  return state === 'running' || state === 'undoing';
}

export interface IsolationReasoning {
  model: string;
  confidence: number;
  threshold: number;
  reasons: string[];
}

export interface PlaybookRunStatus {
  runId: string;
  workflowId: string;
  alertId: string;
  tenantId: string;
  /** `revision`: the stored revision that ran (absent: the playbook file as loaded). */
  playbook: { id: string; version: number; title: string; digest: string; revision?: number };
  /** The stored release-matrix revision the run decided with (absent: the tenant file's). */
  releaseMatrix?: { revision: number; digest: string };
  trigger: 'analyst' | 'ai_isolation';
  /** Absent in runs from before dry-runs: live. */
  mode?: RunMode;
  /** A shadow run: the dry-run of a shadow playbook revision beside this live run of the alert. */
  shadowOf?: string;
  startedBy: string;
  startedAt: string;
  state: RunState;
  nextWakeAt: string | null;
  /** R11: the scoring that started an automatic isolation. */
  isolation: IsolationReasoning | null;
  actions: ActionRecord[];
  notifications: NotificationRecord[];
  timeline: TimelineEntry[];
}

/** What the alert keeps of each run it started (the run's own workflow holds the detail). */
export interface PlaybookRunSummary {
  runId: string;
  workflowId: string;
  playbookId: string;
  version: number;
  /** The stored playbook revision (absent: the file as loaded). */
  revision?: number;
  trigger: PlaybookRunStatus['trigger'];
  /** Absent in runs from before dry-runs: live. */
  mode?: RunMode;
  /** A shadow run: the dry-run of a shadow playbook revision beside the live run named here. */
  shadowOf?: string;
  startedBy: string;
  startedAt: string;
  state: RunState;
}
