/**
 * The alert's side of playbooks (R8, R11): an analyst starts a predefined playbook once the alert is ready for
 * response; the R11 isolation starts its playbook by itself. Each run is a child workflow; the alert keeps a
 * summary of each, and when the alert closes its runs finish too.
 */
import { timelineText } from '../../domain/i18n/timelineText';
import { ParentClosePolicy, getExternalWorkflowHandle, patched, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { PlaybookDefinition } from '../../domain/playbook/playbookDefinition';
import { runActive, type IsolationReasoning, type PlaybookRunStatus, type PlaybookRunSummary, type RunMode } from '../../domain/response/playbookRun';
import { responseDecision } from '../../domain/response/responsePolicy';
import type { AlertRecord } from '../alertRecord';
import { finishRunSignal, playbookRunStateSignal, startPlaybookUpdate } from '../messages';
import { playbookRunWorkflow } from '../playbookRunWorkflow';

/** Patch: a live start may bring a shadow revision, started beside it as a dry-run. */
const SHADOW_RUNS = 'shadow-playbook-runs';

const FINAL: readonly PlaybookRunSummary['state'][] = ['completed', 'completed_with_handoffs', 'failed', 'undone', 'closed'];

export class ResponseRuns {
  private readonly children: Promise<void>[] = [];

  constructor(private readonly alert: AlertRecord) {}

  get runs(): PlaybookRunSummary[] {
    return this.alert.status.response.runs;
  }

  /** True while a run is still carrying out or undoing measures (the alert may not close then); a dry-run carries out none. */
  busy(): boolean {
    return this.runs.some((r) => r.mode !== 'dry-run' && runActive(r.state));
  }

  register(): void {
    const { alert } = this;
    setHandler(playbookRunStateSignal, ({ runId, state }) => {
      const run = this.runs.find((r) => r.runId === runId);
      if (run) run.state = state;
    });
    setHandler(
      startPlaybookUpdate,
      async ({ analyst, playbook, mode, shadow }) => {
        const started = await this.start(playbook, 'analyst', `analyst:${analyst.id}`, null, mode);
        // A shadow revision proves itself beside the live run, as a dry-run; only new Updates carry one.
        if (shadow && mode !== 'dry-run' && patched(SHADOW_RUNS)) await this.start(shadow, 'analyst', `analyst:${analyst.id}`, null, 'dry-run', started.runId);
        return started;
      },
      {
        validator: ({ analyst, playbook }) => {
          if (alert.state === 'in_triage' && alert.status.triage.recommendation !== null) {
            const decision = responseDecision(alert.input.tenant, alert.severity, new Date(), alert.customerOrder);
            if (!decision.allowed) throw new Error(`Cannot start a playbook: ${decision.reason}`);
          }
          if (alert.state !== 'ready_for_response') {
            throw new Error(`Cannot start a playbook: the alert is '${alert.state}'; playbooks run only on an alert ready for response (R7, R8)`);
          }
          if (alert.status.triage.assignedAnalyst !== analyst.id) throw new Error(`Only the assigned analyst (${alert.status.triage.assignedAnalyst ?? 'nobody'}) may start a playbook`);
          if (this.busy()) throw new Error('Another playbook run of this alert is still carrying out measures');
          if (playbook.steps.length === 0) throw new Error('The playbook has no steps');
        },
      },
    );
  }

  async start(playbook: PlaybookDefinition, trigger: PlaybookRunStatus['trigger'], startedBy: string, isolation: IsolationReasoning | null, mode?: RunMode, shadowOf?: string): Promise<PlaybookRunSummary> {
    const dryRun = mode === 'dry-run';
    const { alert } = this;
    const runId = `run-${this.runs.length + 1}`;
    const workflowId = `${alert.status.alertId}.${runId}`;
    const summary: PlaybookRunSummary = {
      runId,
      workflowId,
      playbookId: playbook.id,
      version: playbook.version,
      ...(playbook.revision ? { revision: playbook.revision } : {}),
      trigger,
      ...(dryRun ? { mode } : {}),
      ...(shadowOf ? { shadowOf } : {}),
      startedBy,
      startedAt: new Date().toISOString(),
      state: 'running',
    };
    this.runs.push(summary);
    alert.record('playbook_started', startedBy, timelineText(shadowOf ? 'playbookStartedShadow' : dryRun ? 'playbookStartedDryRun' : 'playbookStarted', { playbook: playbook.id, version: playbook.version, runId, ...(shadowOf ? { shadowOf } : {}) }));
    const child = await startChild(playbookRunWorkflow, {
      workflowId,
      // A run carrying out measures is never cut short by its alert's end; it finishes or undoes on its own.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // Only dry-runs carry a memo and a summary (what Temporal's UI lists), so older start commands stay as they were.
      ...(dryRun ? { memo: { mode }, staticSummary: `DRY-RUN of playbook ${playbook.id} v${playbook.version}` } : {}),
      args: [
        {
          runId,
          alertId: alert.status.alertId,
          parentWorkflowId: alert.status.alertId,
          tenant: alert.input.tenant,
          alert: { source: alert.input.alert.source, externalId: alert.input.alert.externalId, title: alert.input.alert.title, entities: alert.input.alert.entities },
          severity: alert.severity,
          playbook,
          trigger,
          startedBy,
          isolation,
          customerOrder: alert.customerOrder,
          ...(dryRun ? { mode } : {}),
          ...(alert.input.callerKeys ? { callerKeys: alert.input.callerKeys } : {}),
          ...(shadowOf ? { shadowOf } : {}),
        },
      ],
    });
    this.children.push(this.follow(summary, child));
    return { ...summary };
  }

  /** Tells every run the alert is closed and waits until each has finished. */
  async finishAll(): Promise<void> {
    for (const run of this.runs) {
      // A run an operator terminated is gone already; the others finish on this signal.
      await getExternalWorkflowHandle(run.workflowId)
        .signal(finishRunSignal)
        .catch(() => undefined);
    }
    await Promise.all(this.children);
  }

  private async follow(summary: PlaybookRunSummary, child: ChildWorkflowHandle<typeof playbookRunWorkflow>): Promise<void> {
    try {
      const final = await child.result();
      summary.state = FINAL.includes(final.state) ? final.state : 'closed';
      this.alert.record('playbook_finished', 'system', timelineText('playbookEnded', { runId: summary.runId, playbook: summary.playbookId, state: summary.state }));
    } catch (error) {
      // Terminated or failed by an operator: recorded, never blocking the alert's end.
      summary.state = 'failed';
      this.alert.record('playbook_finished', 'system', timelineText('playbookAbnormal', { runId: summary.runId, playbook: summary.playbookId, error: error instanceof Error ? error.message : String(error) }));
    }
  }
}
