/** Analyst decisions on an alert (R2, R6-R8), each sent as a Temporal Update; the analyst's identity comes from the API key. */
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ALERT_ID_PATTERN } from '../../domain/alertIdentity';
import type { AlertStatus, IocCheck, Verdict } from '../../domain/alertLifecycle';
import type { Severity } from '../../domain/severity';
import {
  addNoteUpdate,
  reassignAlertUpdate,
  releaseAlertUpdate,
  assessAlertUpdate,
  claimAlertUpdate,
  closeAlertUpdate,
  recommendUpdate,
  recordIocsUpdate,
  alertStatusQuery,
  playbookRunQuery,
  type Actor,
  type Signed,
} from '../../workflows/messages';
import type { UpdateDefinition } from '@temporalio/common';
import type { CallerSigner } from '../../infra/crypto/callerSigner';
import { runActive } from '../../domain/response/playbookRun';
import { may, type Principal } from '../../domain/access/roles';
import { ConflictError, ForbiddenError } from '../../domain/refusals';
import { noAlert, requireAlertInScope } from '../../domain/access/tenantScope';
import { queryWorkflow } from '../alerts/workflowQuery';

/** How long a close waits for the signals of runs that have ended (they arrive within moments). */
const RUN_SIGNAL_WAIT_MS = 5_000;

export class AlertTriage {
  constructor(private readonly deps: { client: Client; signer: CallerSigner }) {}

  claim(principal: Principal, alertId: string): Promise<AlertStatus> {
    return this.send(principal, alertId, claimAlertUpdate, (analyst) => ({ analyst }));
  }

  release(principal: Principal, alertId: string): Promise<AlertStatus> {
    return this.send(principal, alertId, releaseAlertUpdate, (analyst) => ({ analyst }));
  }

  /** `to` is the key id of an analyst (checked by the caller against the key registry). */
  reassign(principal: Principal, alertId: string, to: string): Promise<AlertStatus> {
    return this.send(principal, alertId, reassignAlertUpdate, (analyst) => ({ analyst, to }));
  }

  addNote(principal: Principal, alertId: string, text: string): Promise<AlertStatus> {
    return this.send(principal, alertId, addNoteUpdate, (analyst) => ({ analyst, text }));
  }

  assess(principal: Principal, alertId: string, body: { severity: Severity; verdict: Verdict; rationale: string }): Promise<AlertStatus> {
    return this.send(principal, alertId, assessAlertUpdate, (analyst) => ({ analyst, ...body }));
  }

  recordIocs(principal: Principal, alertId: string, iocs: IocCheck[]): Promise<AlertStatus> {
    return this.send(principal, alertId, recordIocsUpdate, (analyst) => ({ analyst, iocs }));
  }

  recommend(principal: Principal, alertId: string, recommendation: string): Promise<AlertStatus> {
    return this.send(principal, alertId, recommendUpdate, (analyst) => ({ analyst, recommendation }));
  }

  /**
   * A run tells its alert by signal that it ended, so for a moment after the run's own view says so the alert still
   * counts it as active and refuses to close. When every run the alert counts as active has in fact ended, the close
   * waits for those signals (a few seconds at most) and is sent again, instead of answering 409.
   */
  async close(principal: Principal, alertId: string, summary: string): Promise<AlertStatus> {
    const attempt = () => this.send(principal, alertId, closeAlertUpdate, (analyst) => ({ analyst, summary }));
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError) || !(await this.runSignalsArriving(alertId))) throw error;
      return attempt();
    }
  }

  /**
   * True once the alert has heard that its runs ended, when it counted runs as active that had in fact all ended (it
   * waits up to 5 s for that). False when the alert has no runs, a run is really active, or the alert cannot be read.
   */
  private async runSignalsArriving(alertId: string): Promise<boolean> {
    return this.waitForRunSignals(alertId).catch(() => false);
  }

  private async waitForRunSignals(alertId: string): Promise<boolean> {
    const { client } = this.deps;
    const deadline = Date.now() + RUN_SIGNAL_WAIT_MS;
    for (;;) {
      const runs = (await queryWorkflow(client.workflow.getHandle(alertId), alertStatusQuery)).response.runs;
      const active = runs.filter((r) => runActive(r.state));
      // No run active (any more): try again if runs were the reason; without runs the 409 was about something else.
      if (active.length === 0) return runs.length > 0;
      if (Date.now() > deadline) return false;
      const ended = await Promise.all(active.map((run) => this.runEnded(run.workflowId)));
      if (!ended.every(Boolean)) return false; // a run really is still active: the 409 stands
      await sleep(200);
    }
  }

  private async runEnded(workflowId: string): Promise<boolean> {
    const handle = this.deps.client.workflow.getHandle(workflowId);
    if ((await handle.describe()).status.name !== 'RUNNING') return true;
    return !runActive((await queryWorkflow(handle, playbookRunQuery)).state);
  }

  /** Sends the Update with the caller's signed assertion (domain/callerAssertion.ts): the alert refuses it otherwise. */
  private async send<A extends object>(principal: Principal, alertId: string, definition: UpdateDefinition<AlertStatus, [Signed<A>]>, argument: (analyst: Actor) => A): Promise<AlertStatus> {
    requireAlertInScope(principal, alertId);
    if (!may(principal, 'triageAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not triage alerts`);
    if (!ALERT_ID_PATTERN.test(alertId)) throw noAlert(alertId);
    const handle = this.deps.client.workflow.getHandle(alertId);
    try {
      const caller = { principal: principal.keyId, role: principal.role, tenant: principal.tenantId };
      return await handle.executeUpdate(definition, this.deps.signer.update(caller, alertId, definition, argument({ id: principal.keyId })));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new ConflictError(error.cause?.message ?? error.message);
      if (error instanceof WorkflowNotFoundError) {
        const exists = await handle.describe().then(
          () => true,
          () => false,
        );
        throw exists ? new ConflictError('The alert is closed: its workflow has finished') : noAlert(alertId);
      }
      throw error;
    }
  }
}
