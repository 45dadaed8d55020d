/**
 * Billable work orders (R3, R7, R10) as billing records: kept in the engine's database, not read back from Temporal's
 * visibility, so they outlive the namespace retention and the deletion of their workflow.
 */
import type { BillableWorkOrder } from '../domain/workOrder';

export interface WorkOrderFilter {
  tenantId?: string | undefined;
  /** Requested in [from, to), ISO-8601. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface WorkOrderStore {
  /** Records an order once: a second record of the same id changes nothing and returns the first (`created: false`). */
  record(order: BillableWorkOrder): Promise<{ order: BillableWorkOrder; created: boolean }>;
  find(workOrderId: string): Promise<BillableWorkOrder | undefined>;
  /** Oldest first. */
  list(filter: WorkOrderFilter): Promise<BillableWorkOrder[]>;
  count(tenantId: string): Promise<number>;
}

export const WORK_ORDER_COLUMNS = `work_order_id AS "workOrderId", tenant_id AS "tenantId", alert_id AS "alertId", requested_by AS "requestedBy",
  requested_at AS "requestedAt", description, reason`;

/** The SQL condition and its values for a filter; `mark(n)` writes the n-th placeholder of the database's dialect. */
export function workOrderWhere(filter: WorkOrderFilter, mark: (n: number) => string): { where: string; values: string[] } {
  const clauses: string[] = [];
  const values: string[] = [];
  const add = (sql: (m: string) => string, value: string | undefined) => {
    if (value === undefined) return;
    values.push(value);
    clauses.push(sql(mark(values.length)));
  };
  add((m) => `tenant_id = ${m}`, filter.tenantId);
  add((m) => `requested_at >= ${m}`, filter.from);
  add((m) => `requested_at < ${m}`, filter.to);
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', values };
}

export function workOrderOf(row: Record<string, unknown>): BillableWorkOrder {
  const text = (key: string) => {
    const value = row[key];
    if (typeof value !== 'string') throw new Error(`work order column ${key} is not text`);
    return value;
  };
  const alertId = row['alertId'];
  return {
    workOrderId: text('workOrderId'),
    tenantId: text('tenantId'),
    alertId: typeof alertId === 'string' ? alertId : null,
    requestedBy: text('requestedBy'),
    requestedAt: text('requestedAt'),
    description: text('description'),
    reason: text('reason'),
  };
}
