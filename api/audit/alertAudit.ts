/**
 * The auditor's view of an alert (R18): its workflow histories and those of its playbook runs, exported in the
 * format of `temporal workflow show -o json`, replayed against the current workflow code, and read as a decision
 * trail. Auditor and admin keys only; neither is bound to a tenant.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { decodeHistory } from '../../infra/crypto/historyPayloads';
import { ALERT_ID_PATTERN } from '../../domain/alertIdentity';
import { decisionTrail, type TrailEntry } from '../../infra/audit/decisionTrail';
import type { Replayer } from '../../infra/audit/replayer';
import { exportHistory, fetchWorkflowTree, type ExportedHistory, type WorkflowHistory } from '../../infra/audit/workflowHistories';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError, NotFoundError } from '../../domain/refusals';
import { noAlert, requireAlertInScope } from '../../domain/access/tenantScope';

export interface AlertReplay {
  alertId: string;
  deterministic: boolean;
  workflows: { workflowId: string; runId: string; deterministic: boolean; divergence: string | null }[];
}

export class AlertAudit {
  /** `payloadCodec` is the engine's (the one the worker encrypts with): replay and the trail decode through it. */
  constructor(private readonly deps: { client: Client; replayer: Replayer; payloadCodec: PayloadCodec }) {}

  /**
   * The histories as the Temporal server stores them: payloads encrypted, readable with the codec endpoint
   * (`temporal workflow show --codec-endpoint`). `decode` gives them with every payload decoded instead.
   */
  async histories(principal: Principal, alertId: string, options: { decode?: boolean } = {}): Promise<{ alertId: string; histories: ExportedHistory[] }> {
    const tree = await this.tree(principal, alertId);
    return { alertId, histories: (options.decode ? await this.decoded(tree) : tree).map(exportHistory) };
  }

  /** One workflow of the alert (the alert's own or one of its playbook runs); any other id is absent. */
  async history(principal: Principal, alertId: string, workflowId: string, options: { decode?: boolean } = {}): Promise<unknown> {
    const found = (await this.tree(principal, alertId)).find((h) => h.workflowId === workflowId);
    if (!found) throw new NotFoundError(`Alert '${alertId}' has no workflow '${workflowId}'`);
    return exportHistory(options.decode ? (await this.decoded([found]))[0] ?? found : found).history;
  }

  async replay(principal: Principal, alertId: string): Promise<AlertReplay> {
    const tree = await this.tree(principal, alertId);
    const outcomes = await this.deps.replayer.replayAll(tree.map((h) => ({ workflowId: h.workflowId, history: h.history })));
    const workflows = outcomes.map(({ workflowId, runId, deterministic, divergence }) => ({ workflowId, runId, deterministic, divergence }));
    return { alertId, deterministic: workflows.every((w) => w.deterministic), workflows };
  }

  async trail(principal: Principal, alertId: string): Promise<{ alertId: string; entries: TrailEntry[] }> {
    return { alertId, entries: decisionTrail(await this.decoded(await this.tree(principal, alertId))) };
  }

  /** Throws PayloadKeyUnavailableError naming the key id when a tenant's keys were deleted (crypto-shredded). */
  private decoded(tree: WorkflowHistory[]): Promise<WorkflowHistory[]> {
    return Promise.all(tree.map(async (h) => ({ ...h, history: await decodeHistory(h.history, this.deps.payloadCodec) })));
  }

  private async tree(principal: Principal, alertId: string): Promise<WorkflowHistory[]> {
    requireAlertInScope(principal, alertId);
    if (!may(principal, 'auditAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not audit alerts`);
    if (!ALERT_ID_PATTERN.test(alertId)) throw noAlert(alertId);
    try {
      const tree = await fetchWorkflowTree(this.deps.client, alertId);
      if (tree[0]?.workflowType !== 'alertWorkflow') throw noAlert(alertId);
      return tree;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw noAlert(alertId);
      throw error;
    }
  }
}
