/**
 * `GET /v1/queue`: what analysts should work on now, across tenants. Only alerts in service (R5) are in it;
 * ordered by the fixed SOC contact first (R11), then severity, then age (oldest first).
 */
import type { Client } from '@temporalio/client';
import { ASSIGNED_ANALYST, ALERT_STATE } from '../../domain/searchAttributes';
import { severityRank } from '../../domain/severity';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import { may, type Principal } from '../auth/roles';
import { summarise, type AlertSummary } from './alertSummary';
import { ForbiddenError } from './errors';
import { listAll } from './visibility';

export interface QueueItem extends AlertSummary {
  assignedAnalyst: string | null;
  /** The tenant's fixed SOC contact (R11), when it has one. */
  routedTo: string | null;
}

const QUEUED_STATES = ['awaiting_triage', 'in_triage', 'ready_for_response'];
const MAX_SCAN = 1000;

export class AnalystQueue {
  constructor(private readonly deps: { client: Client; namespace: string; tenants: TenantCatalog }) {}

  async list(principal: Principal, limit: number): Promise<{ items: QueueItem[] }> {
    if (!may(principal, 'readQueue')) throw new ForbiddenError(`Role '${principal.role}' has no analyst queue`);
    const { client, namespace, tenants } = this.deps;
    const query = `WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Running' AND ${ALERT_STATE.name} IN (${QUEUED_STATES.map((s) => `'${s}'`).join(', ')})`;
    const items: QueueItem[] = (await listAll(client, namespace, query, MAX_SCAN)).map((info) => {
      const summary = summarise(info);
      return {
        ...summary,
        assignedAnalyst: info.typedSearchAttributes.get(ASSIGNED_ANALYST) ?? null,
        routedTo: tenants.get(summary.tenantId)?.options.fixedSocContact?.analyst ?? null,
      };
    });
    const me = principal.keyId;
    // R11: this analyst's fixed-contact tenants first; alerts routed to someone else after the unrouted ones.
    const routing = (item: QueueItem) => (item.routedTo === me ? 0 : item.routedTo === null ? 1 : 2);
    items.sort(
      (a, b) =>
        routing(a) - routing(b) ||
        severityRank(b.severity ?? 'low') - severityRank(a.severity ?? 'low') ||
        Date.parse(a.receivedAt) - Date.parse(b.receivedAt),
    );
    return { items: items.slice(0, limit) };
  }
}
