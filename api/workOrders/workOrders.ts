/** Billable work orders (R3, R7, R10): a customer's or analyst's request for work outside the package, recorded durably and listed. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { berlinMonthBounds } from '../../domain/calendar/berlinTime';
import { SEVERITY, TENANT_ID } from '../../domain/searchAttributes';
import { severitySchema } from '../../domain/severitySchema';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import { billingReason, type BillableWorkOrder } from '../../domain/workOrder';
import type { WorkOrderStore } from '../../stores/workOrderStore';
import { customerOrderUpdate } from '../../workflows/messages';
import { billableWorkOrderWorkflow } from '../../workflows/workOrderWorkflow';
import { may, type Principal } from '../../domain/access/roles';
import { ConflictError, ForbiddenError, UnknownTenantError } from '../../domain/refusals';
import { noAlert, requireAlertInScope, tenantInScope } from '../../domain/access/tenantScope';
import type { CallerSigner } from '../../infra/crypto/callerSigner';

export class WorkOrders {
  constructor(
    private readonly deps: {
      client: Client;
      namespace: string;
      taskQueue: string;
      tenants: TenantCatalog;
      now: () => Date;
      /** The tenant's package and R11 options in force now (R16: changes take effect on their date); the tenant file when absent. */
      tenantNow?: (tenant: Tenant) => Promise<Tenant>;
      /** Where the orders are kept as billing records. */
      store: WorkOrderStore;
      /** Signs the order's Update to its alert (domain/callerAssertion.ts). */
      signer: CallerSigner;
    },
  ) {}

  async request(
    principal: Principal,
    body: { tenantId?: string | undefined; alertId?: string | undefined; description: string; requestId?: string | undefined },
  ): Promise<{ order: BillableWorkOrder; duplicate: boolean }> {
    // R17 before the role: another tenant, or its alert, is absent to this key.
    const scoped = tenantInScope(principal, body.tenantId);
    if (body.alertId !== undefined) requireAlertInScope(principal, body.alertId);
    if (!may(principal, 'requestWorkOrders')) throw new ForbiddenError(`Role '${principal.role}' may not request work orders`);
    const tenantId = this.tenantNamed(scoped);
    const severity = body.alertId ? await this.severityOfAlert(tenantId, body.alertId) : null;
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw new UnknownTenantError(tenantId, 'tenantId');
    const booked = (await this.deps.tenantNow?.(tenant)) ?? tenant;
    const reason = billingReason(booked.package, severity, booked.options);
    if (reason === null) {
      throw new ConflictError(`R11: handling of every severity is booked (allSeverities): measures on this ${severity} alert are included, not billable work`);
    }
    const workOrderId = `workorder.${tenantId}.${body.requestId ?? randomUUID()}`;
    const requested: BillableWorkOrder = {
      workOrderId,
      tenantId,
      alertId: body.alertId ?? null,
      requestedBy: `${principal.role}:${principal.keyId}`,
      requestedAt: this.deps.now().toISOString(),
      description: body.description,
      reason,
    };
    // The billing record first: it outlives the workflow (retention, deletion); a repeated request finds it.
    const { order, created } = await this.deps.store.record(requested);
    try {
      // The workflow is the auditable trail of the order; started again after a crash between the two steps.
      await this.deps.client.workflow.start(billableWorkOrderWorkflow, {
        taskQueue: this.deps.taskQueue,
        workflowId: workOrderId,
        args: [order],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [{ key: TENANT_ID, value: tenantId }],
        memo: { ...order },
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    // Told again on a repeated request: the update id makes it once.
    if (order.alertId !== null) await this.tellAlert(order, principal);
    return { order, duplicate: !created };
  }

  /** The orders as billing records (the engine's database), oldest first; a month is a German calendar month. */
  async list(principal: Principal, filter: { tenantId?: string | undefined; month?: string | undefined }): Promise<{ items: BillableWorkOrder[] }> {
    const tenantId = tenantInScope(principal, filter.tenantId);
    if (!may(principal, 'readWorkOrders')) throw new ForbiddenError(`Role '${principal.role}' may not read work orders`);
    // Billing months are German calendar months of the recorded `requestedAt`.
    const month = filter.month === undefined ? null : berlinMonthBounds(filter.month);
    return { items: await this.deps.store.list({ tenantId, ...(month ? { from: month.from.toISOString(), to: month.to.toISOString() } : {}) }) };
  }

  /** R10: the alert learns of the customer's order; one closed meanwhile keeps the order as a billing record only. */
  private async tellAlert(order: BillableWorkOrder, principal: Principal): Promise<void> {
    if (order.alertId === null) return;
    try {
      await this.deps.client.workflow
        .getHandle(order.alertId)
        .executeUpdate(
          customerOrderUpdate,
          this.deps.signer.update(
            { principal: principal.keyId, role: principal.role, tenant: principal.tenantId },
            order.alertId,
            customerOrderUpdate,
            { workOrderId: order.workOrderId, requestedBy: order.requestedBy },
            `order-${order.workOrderId}`,
          ),
        );
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  /** The order's tenant (already in the key's scope): a key not bound to a tenant must name a known one. */
  private tenantNamed(requested: string | undefined): string {
    if (!requested) throw new ForbiddenError('Name the tenant (tenantId) for a key not bound to one', 'tenantId');
    if (!this.deps.tenants.get(requested)) throw new UnknownTenantError(requested, 'tenantId');
    return requested;
  }

  /** The alert's current severity; another tenant's alert is reported as absent (R17). */
  private async severityOfAlert(tenantId: string, alertId: string) {
    try {
      const description = await this.deps.client.workflow.getHandle(alertId).describe();
      if (description.typedSearchAttributes.get(TENANT_ID) !== tenantId) throw noAlert(alertId);
      return severitySchema.safeParse(description.typedSearchAttributes.get(SEVERITY)).data ?? null;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw noAlert(alertId);
      throw error;
    }
  }
}
