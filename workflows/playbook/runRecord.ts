/** A playbook run's record inside its workflow: the Query reads it, and every change tells the alert the run's state. */
import { getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import { timelineEntry, type TimelineDetail, type TimelineKind } from '../../domain/alertLifecycle';
import type { ActionRecord, PlaybookRunStatus, RunState } from '../../domain/response/playbookRun';
import type { NotificationLog } from '../lifecycle/notifyPeople';
import { playbookRunStateSignal } from '../messages';
import type { PlaybookRunInput } from './playbookRunInput';

export class PlaybookRunRecord implements NotificationLog {
  readonly status: PlaybookRunStatus;
  undoRequest: { by: string; reason: string } | null = null;
  finishRequested = false;
  /** A dry-run (set once at the start, behind its patch): every engine step, no vendor change, test notices to the SOC. */
  dryRun = false;

  constructor(readonly input: PlaybookRunInput) {
    const { playbook } = input;
    this.status = {
      runId: input.runId,
      workflowId: workflowInfo().workflowId,
      alertId: input.alertId,
      tenantId: input.tenant.id,
      playbook: { id: playbook.id, version: playbook.version, title: playbook.title, digest: playbook.digest, ...(playbook.revision ? { revision: playbook.revision } : {}) },
      ...(input.tenant.response.releaseMatrixRevision ? { releaseMatrix: input.tenant.response.releaseMatrixRevision } : {}),
      ...(input.shadowOf ? { shadowOf: input.shadowOf } : {}),
      trigger: input.trigger,
      ...(input.mode === 'dry-run' ? { mode: input.mode } : {}),
      startedBy: input.startedBy,
      startedAt: new Date().toISOString(),
      state: 'running',
      nextWakeAt: null,
      isolation: input.isolation,
      actions: [],
      notifications: [],
      timeline: [],
    };
  }

  notificationKey(sequence: number): string {
    return `${this.status.workflowId}/n${sequence}`;
  }

  record(kind: TimelineKind, actor: string, detail: TimelineDetail): void {
    this.status.timeline.push(timelineEntry(new Date().toISOString(), kind, actor, detail));
  }

  async enter(state: RunState): Promise<void> {
    if (this.status.state === state) return;
    this.status.state = state;
    await getExternalWorkflowHandle(this.input.parentWorkflowId).signal(playbookRunStateSignal, { runId: this.input.runId, state });
  }

  wakeAt(at: Date | null): void {
    this.status.nextWakeAt = at ? at.toISOString() : null;
  }

  add(action: ActionRecord): ActionRecord {
    this.status.actions.push(action);
    return action;
  }

  /** The action waiting for a decision on this digest, if any. */
  awaitingDecision(digest: string): ActionRecord | undefined {
    return this.status.actions.find((a) => a.digest === digest && a.state === 'awaiting_approval');
  }
}
