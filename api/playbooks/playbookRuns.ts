/**
 * Playbooks through the API (R8): the catalogue of predefined playbooks, starting one on an alert, reading a run,
 * deciding an approval bound to an action's digest, and undoing a run. Each decision is a Temporal Update.
 */
import { customerRunView } from './customerRunView';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { PlaybookDefinition } from '../../domain/playbook/playbookDefinition';
import type { ActionRecord, PlaybookRunStatus, PlaybookRunSummary, RunMode } from '../../domain/response/playbookRun';
import { decideActionUpdate, playbookRunQuery, startPlaybookUpdate, undoRunUpdate } from '../../workflows/messages';
import { may, type Permission, type Principal } from '../../domain/access/roles';
import type { CallerSigner } from '../../infra/crypto/callerSigner';
import type { AlertQueries } from '../alerts/alertQueries';
import { notAnswering, queryWorkflow } from '../alerts/workflowQuery';
import { ConflictError, EngineUnavailableError, ForbiddenError, NotFoundError } from '../../domain/refusals';
import { requireAlertInScope } from '../../domain/access/tenantScope';
import type { ConfigVersions } from '../versions/configVersions';

/** The loaded playbooks, as the loader's catalogue offers them. */
export interface PlaybookSource {
  get(id: string): PlaybookDefinition | undefined;
  all(): PlaybookDefinition[];
}

const RUN_ID = /^run-\d{1,4}$/;

export class PlaybookRuns {
  /** `versions`: revisions put in force at run time (absent: the files as loaded). */
  constructor(private readonly deps: { client: Client; queries: AlertQueries; playbooks: PlaybookSource; signer: CallerSigner; versions?: ConfigVersions }) {}

  /** The Update's options with the caller's signed assertion (domain/callerAssertion.ts): the workflow refuses it otherwise. */
  private signed<A extends object>(principal: Principal, workflowId: string, update: { name: string }, argument: A, updateId?: string) {
    return this.deps.signer.update({ principal: principal.keyId, role: principal.role, tenant: principal.tenantId }, workflowId, update, argument, updateId);
  }

  /** Every playbook as it is in force now. */
  async catalogue(principal: Principal): Promise<PlaybookDefinition[]> {
    this.require(principal, 'readPlaybooks', 'read playbooks');
    return Promise.all(this.deps.playbooks.all().map(async (p) => (await this.deps.versions?.playbookInForce(p.id))?.active ?? p));
  }

  /** `dry-run`: every engine step, test notices to the SOC only, no vendor change (never a measure). */
  async start(principal: Principal, alertId: string, playbookId: string, mode: RunMode = 'live'): Promise<PlaybookRunSummary> {
    requireAlertInScope(principal, alertId);
    this.require(principal, 'runPlaybooks', 'start playbooks');
    await this.deps.queries.get(principal, alertId); // 404 for an unknown alert before anything else
    const inForce = this.deps.versions ? await this.deps.versions.playbookInForce(playbookId) : undefined;
    const playbook = inForce?.active ?? this.deps.playbooks.get(playbookId);
    if (!playbook) {
      const known = this.deps.playbooks.all().map((p) => p.id).join(', ');
      throw new NotFoundError(`R8: only predefined playbooks may run, and there is no playbook '${playbookId}' (known: ${known})`);
    }
    const handle = this.deps.client.workflow.getHandle(alertId);
    return this.updating(alertId, () =>
      handle.executeUpdate(
        startPlaybookUpdate,
        this.signed(principal, alertId, startPlaybookUpdate, {
          analyst: { id: principal.keyId },
          playbook,
          ...(mode === 'dry-run' ? { mode } : {}),
          ...(inForce?.shadow && mode === 'live' ? { shadow: inForce.shadow } : {}),
        }),
      ),
    );
  }

  async get(principal: Principal, alertId: string, runId: string): Promise<PlaybookRunStatus> {
    requireAlertInScope(principal, alertId);
    if (principal.role === 'ingest') throw new ForbiddenError('Ingest keys send alerts and events; they do not read playbook runs');
    const run = await this.summary(principal, alertId, runId);
    if (run.mode === 'dry-run' && principal.role === 'customer') throw new NotFoundError(`Alert '${alertId}' has no playbook run '${runId}'`); // the SOC's rehearsal
    const handle = this.deps.client.workflow.getHandle(run.workflowId);
    // The alert lists a run as it starts it; for a moment the run's own workflow is not there yet: retry, not a 500.
    const description = await handle.describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw new EngineUnavailableError(`Playbook run '${runId}' of alert '${alertId}' is starting; retry in a moment`);
      throw error;
    });
    const status = description.status.name === 'COMPLETED' ? await handle.result() : await queryWorkflow(handle, playbookRunQuery);
    // R17: a customer sees its measures, not the SOC's internals (who approved, vendor messages, on-call recipients).
    return principal.role === 'customer' ? customerRunView(status) : status;
  }

  async decide(principal: Principal, alertId: string, runId: string, body: { digest: string; decision: 'approve' | 'reject'; reason: string }): Promise<ActionRecord> {
    requireAlertInScope(principal, alertId);
    this.require(principal, 'approveActions', 'decide approvals');
    const run = await this.summary(principal, alertId, runId);
    const handle = this.deps.client.workflow.getHandle(run.workflowId);
    const approver = { id: principal.keyId, role: principal.role };
    // One update id per approver, action and decision: a client re-sending after a lost answer (or an API process that
    // died mid-request) gets the first decision's answer again instead of a conflict; the decision is taken once.
    // An approval asked for again (the first expired across a wait) is a new decision with an id of its own.
    const asked = (await queryWorkflow(handle, playbookRunQuery)).actions.find((a) => a.digest === body.digest)?.approval?.asked ?? 1;
    const updateId = `decide-${body.digest}-${body.decision}-${principal.keyId}${asked > 1 ? `-asked${asked}` : ''}`;
    return this.updating(run.workflowId, () => handle.executeUpdate(decideActionUpdate, this.signed(principal, run.workflowId, decideActionUpdate, { approver, ...body }, updateId)));
  }

  async undo(principal: Principal, alertId: string, runId: string, reason: string): Promise<PlaybookRunStatus> {
    requireAlertInScope(principal, alertId);
    this.require(principal, 'runPlaybooks', 'undo playbook runs');
    const run = await this.summary(principal, alertId, runId);
    const handle = this.deps.client.workflow.getHandle(run.workflowId);
    return this.updating(run.workflowId, () => handle.executeUpdate(undoRunUpdate, this.signed(principal, run.workflowId, undoRunUpdate, { analyst: { id: principal.keyId }, reason })));
  }

  /** The run as its alert records it; tenant scoping comes from the alert (R17). */
  private async summary(principal: Principal, alertId: string, runId: string): Promise<PlaybookRunSummary> {
    const alert = await this.deps.queries.get(principal, alertId);
    const run = RUN_ID.test(runId) ? alert.response.runs.find((r) => r.runId === runId) : undefined;
    if (!run) throw new NotFoundError(`Alert '${alertId}' has no playbook run '${runId}'`);
    return run;
  }

  private require(principal: Principal, permission: Permission, what: string): void {
    if (!may(principal, permission)) throw new ForbiddenError(`Role '${principal.role}' may not ${what}`);
  }

  private async updating<T>(workflowId: string, update: () => Promise<T>): Promise<T> {
    try {
      return await update();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new ConflictError(error.cause?.message ?? error.message);
      if (error instanceof WorkflowNotFoundError) throw new ConflictError(`'${workflowId}' has finished: its alert is closed`);
      if (error instanceof ServiceError) throw notAnswering(workflowId);
      throw error;
    }
  }
}
