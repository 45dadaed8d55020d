/**
 * `GET /v1/queue`: what analysts should work on now, across tenants. Only alerts in service (R5) are in it;
 * ordered over all open alerts by `queueOrderFor` (R11: the fixed SOC contact's own tenants first on Werktage,
 * then severity, then age), keeping only the best `limit` while it reads the visibility pages.
 */
import type { Client } from '@temporalio/client';
import { ASSIGNED_ANALYST, ALERT_STATE } from '../../domain/searchAttributes';
import { queueOrderFor, routedAnalystAt } from '../../domain/soc/queueOrder';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import { may, type Principal } from '../../domain/access/roles';
import { summarise, type AlertSummary } from '../alerts/alertSummary';
import { ForbiddenError } from '../../domain/refusals';
import { listPage } from '../alerts/visibility';

export interface QueueItem extends AlertSummary {
  assignedAnalyst: string | null;
  /** The tenant's fixed SOC contact (R11), when it has one. */
  routedTo: string | null;
}

const QUEUED_STATES = ['awaiting_triage', 'in_triage', 'ready_for_response'];

export class AnalystQueue {
  constructor(
    private readonly deps: {
      client: Client;
      namespace: string;
      tenants: TenantCatalog;
      now?: () => Date;
      pageSize?: number;
      /** The tenant with its R11 options in force now (an option booked or cancelled with a date, R16); the file's when absent. */
      tenantNow?: (tenant: Tenant) => Promise<Tenant>;
    },
  ) {}

  async list(principal: Principal, limit: number): Promise<{ items: QueueItem[] }> {
    if (!may(principal, 'readQueue')) throw new ForbiddenError(`Role '${principal.role}' has no analyst queue`);
    const { client, namespace, tenants } = this.deps;
    const query = `WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Running' AND ${ALERT_STATE.name} IN (${QUEUED_STATES.map((s) => `'${s}'`).join(', ')})`;
    const now = (this.deps.now ?? (() => new Date()))();
    const order = queueOrderFor(principal.keyId);
    const fixedContacts = new Map<string, string | null>();
    for (const tenant of tenants.all()) {
      const booked = this.deps.tenantNow ? await this.deps.tenantNow(tenant) : tenant;
      fixedContacts.set(tenant.id, booked.options.fixedSocContact?.analyst ?? null);
    }
    let best: QueueItem[] = [];
    let token: Uint8Array | undefined;
    do {
      const page = await listPage(client, namespace, query, this.deps.pageSize ?? 500, token);
      const items = page.executions.map((info): QueueItem => {
        const summary = summarise(info);
        return {
          ...summary,
          assignedAnalyst: info.typedSearchAttributes.get(ASSIGNED_ANALYST) ?? null,
          routedTo: routedAnalystAt(fixedContacts.get(summary.tenantId) ?? null, now),
        };
      });
      best = [...best, ...items].sort(order).slice(0, limit);
      token = page.nextPageToken;
    } while (token);
    return { items: best };
  }
}
