/**
 * Starts one alert workflow by its business key, the same way for every intake (the API's alert routes and the
 * scheduled Graph pull): the tenant's terms in force now, the source's product, the time of receipt.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { NormalisedAlert } from '../domain/alert';
import { alertIdFor } from '../domain/alertIdentity';
import type { Tenant, TenantSource } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import type { TrustedCallerKeys } from '../domain/callerAssertion';
import type { WebhookTarget } from '../domain/webhooks/webhookTargets';
import { alertWorkflow, type AlertWorkflowInput } from '../workflows/alertWorkflow';
import { alertStartOptions, withStartDeadline } from './alertStartOptions';

export interface AlertStarterDeps {
  client: Client;
  taskQueue: string;
  /** The tenant's terms as a workflow sees them (escalation targets resolved, package changes applied). */
  policyFor: (tenant: Tenant) => Promise<TenantPolicy>;
  now: () => Date;
  /** The public keys of the API's caller assertions, handed to every alert (workflows/signedCaller.ts). */
  /** undefined only where a test drives workflows with raw Updates, as clients did before signed callers. */
  callerKeys: TrustedCallerKeys | undefined;
  /** How long a start may take before it fails as unavailable (default START_DEADLINE_MS). */
  startDeadlineMs?: number | undefined;
  /** The webhook targets of the tenant's alerts, handed to the workflow in its input (it then needs no look-up of its own). */
  webhookTargetsFor?: ((tenant: Tenant) => WebhookTarget[]) | undefined;
}

export interface StartedAlert {
  alertId: string;
  /** The business key already has a workflow (running, or closed and still kept): nothing new was started. */
  duplicate: boolean;
}

export class AlertStarter {
  constructor(private readonly deps: AlertStarterDeps) {}

  async start(alert: NormalisedAlert, tenant: Tenant, source: TenantSource): Promise<StartedAlert> {
    const alertId = alertIdFor(alert);
    const input: AlertWorkflowInput = {
      alertId,
      alert,
      tenant: await this.deps.policyFor(tenant),
      sourceProduct: source.product,
      receivedAt: this.deps.now().toISOString(),
      ...(this.deps.callerKeys ? { callerKeys: this.deps.callerKeys } : {}),
      ...(this.deps.webhookTargetsFor ? { webhookTargets: this.deps.webhookTargetsFor(tenant) } : {}),
    };
    try {
      const { client, taskQueue } = this.deps;
      await withStartDeadline(client, () => client.workflow.start(alertWorkflow, alertStartOptions(taskQueue, input)), this.deps.startDeadlineMs);
      return { alertId, duplicate: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { alertId, duplicate: true };
      throw error;
    }
  }
}
