/**
 * The alert's side of playbooks (R8, R11): an analyst starts a predefined playbook once the alert is ready for
 * response; the R11 isolation starts its playbook by itself. Each run is a child workflow; the alert keeps a
 * summary of each, and when the alert closes its runs finish too.
 */
import { ParentClosePolicy, getExternalWorkflowHandle, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { PlaybookDefinition } from '../../domain/playbook/playbookDefinition';
import { runActive, type IsolationReasoning, type PlaybookRunStatus, type PlaybookRunSummary } from '../../domain/response/playbookRun';
import { responseDecision } from '../../domain/responsePolicy';
import type { AlertRecord } from '../alertRecord';
import { finishRunSignal, playbookRunStateSignal, startPlaybookUpdate } from '../messages';
import { playbookRunWorkflow } from '../playbookRunWorkflow';
import { announce } from './announce';

const FINAL: readonly PlaybookRunSummary['state'][] = ['completed', 'completed_with_handoffs', 'failed', 'undone', 'closed'];

export class ResponseRuns {
  private readonly children: Promise<void>[] = [];

  constructor(private readonly alert: AlertRecord) {}

  get runs(): PlaybookRunSummary[] {
    return this.alert.status.response.runs;
  }

  /** True while a run is still carrying out or undoing measures (the alert may not close then). */
  busy(): boolean {
    return this.runs.some((r) => runActive(r.state));
  }

  register(): void {
    const { alert } = this;
    setHandler(playbookRunStateSignal, ({ runId, state }) => {
      const run = this.runs.find((r) => r.runId === runId);
      if (run) run.state = state;
    });
    setHandler(
      startPlaybookUpdate,
      ({ analyst, playbook }) => this.start(playbook, 'analyst', `analyst:${analyst.id}`, null),
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

  async start(playbook: PlaybookDefinition, trigger: PlaybookRunStatus['trigger'], startedBy: string, isolation: IsolationReasoning | null): Promise<PlaybookRunSummary> {
    const { alert } = this;
    const runId = `run-${this.runs.length + 1}`;
    const workflowId = `${alert.status.alertId}.${runId}`;
    const summary: PlaybookRunSummary = {
      runId,
      workflowId,
      playbookId: playbook.id,
      version: playbook.version,
      trigger,
      startedBy,
      startedAt: new Date().toISOString(),
      state: 'running',
    };
    this.runs.push(summary);
    alert.record('playbook_started', startedBy, `Playbook ${playbook.id} v${playbook.version} started as ${runId}`);
    const child = await startChild(playbookRunWorkflow, {
      workflowId,
      // A run carrying out measures is never cut short by its alert's end; it finishes or undoes on its own.
      parentClosePolicy: ParentClosePolicy.ABANDON,
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
      this.alert.record('playbook_finished', 'system', `${summary.runId} (${summary.playbookId}) ended ${summary.state}`);
      announce(this.alert, 'alert.measure_taken', { runId: summary.runId, playbook: summary.playbookId, outcome: summary.state });
    } catch (error) {
      // Terminated or failed by an operator: recorded, never blocking the alert's end.
      summary.state = 'failed';
      this.alert.record('playbook_finished', 'system', `${summary.runId} (${summary.playbookId}) ended abnormally: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
