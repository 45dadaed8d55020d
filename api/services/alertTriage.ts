/** Analyst decisions on an alert (R2, R6-R8), each sent as a Temporal Update; the analyst's identity comes from the API key. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ALERT_ID_PATTERN } from '../../domain/alertIdentity';
import type { AlertStatus, IocCheck, Verdict } from '../../domain/alertLifecycle';
import type { Severity } from '../../domain/severity';
import {
  assessAlertUpdate,
  claimAlertUpdate,
  closeAlertUpdate,
  recommendUpdate,
  recordIocsUpdate,
  type Actor,
} from '../../workflows/messages';
import { may, type Principal } from '../auth/roles';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';

export class AlertTriage {
  constructor(private readonly deps: { client: Client }) {}

  claim(principal: Principal, alertId: string): Promise<AlertStatus> {
    return this.send(principal, alertId, (analyst, handle) => handle.executeUpdate(claimAlertUpdate, { args: [{ analyst }] }));
  }

  assess(principal: Principal, alertId: string, body: { severity: Severity; verdict: Verdict; rationale: string }): Promise<AlertStatus> {
    return this.send(principal, alertId, (analyst, handle) => handle.executeUpdate(assessAlertUpdate, { args: [{ analyst, ...body }] }));
  }

  recordIocs(principal: Principal, alertId: string, iocs: IocCheck[]): Promise<AlertStatus> {
    return this.send(principal, alertId, (analyst, handle) => handle.executeUpdate(recordIocsUpdate, { args: [{ analyst, iocs }] }));
  }

  recommend(principal: Principal, alertId: string, recommendation: string): Promise<AlertStatus> {
    return this.send(principal, alertId, (analyst, handle) => handle.executeUpdate(recommendUpdate, { args: [{ analyst, recommendation }] }));
  }

  close(principal: Principal, alertId: string, summary: string): Promise<AlertStatus> {
    return this.send(principal, alertId, (analyst, handle) => handle.executeUpdate(closeAlertUpdate, { args: [{ analyst, summary }] }));
  }

  private async send(
    principal: Principal,
    alertId: string,
    update: (analyst: Actor, handle: ReturnType<Client['workflow']['getHandle']>) => Promise<AlertStatus>,
  ): Promise<AlertStatus> {
    if (!may(principal, 'triageAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not triage alerts`);
    if (!ALERT_ID_PATTERN.test(alertId)) throw new NotFoundError(`No alert '${alertId}'`);
    const handle = this.deps.client.workflow.getHandle(alertId);
    try {
      return await update({ id: principal.keyId }, handle);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new ConflictError(error.cause?.message ?? error.message);
      if (error instanceof WorkflowNotFoundError) {
        const exists = await handle.describe().then(
          () => true,
          () => false,
        );
        throw exists ? new ConflictError('The alert is closed: its workflow has finished') : new NotFoundError(`No alert '${alertId}'`);
      }
      throw error;
    }
  }
}
