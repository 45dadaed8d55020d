/** The dashboard read model and the work orders in SQLite. */
import type { DatabaseSync } from 'node:sqlite';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { BillableWorkOrder } from '../../domain/workOrder';
import { DASHBOARD_COLUMNS, SEVERITY_ORDER, dashboardRowOf, type AlertReadModel, type DashboardRow } from '../alertReadModel';
import { WORK_ORDER_COLUMNS, workOrderOf, workOrderWhere, type WorkOrderFilter, type WorkOrderStore } from '../workOrderStore';
import { inTransaction } from './sqliteStores';

export class SqliteReadModel implements AlertReadModel {
  constructor(private readonly db: DatabaseSync) {}

  async find(alertId: string): Promise<DashboardRow | undefined> {
    const row = this.db.prepare(`SELECT ${DASHBOARD_COLUMNS} FROM dashboard_alerts WHERE alert_id = ?`).get(alertId);
    return row ? dashboardRowOf(row) : undefined;
  }

  async upsert(status: AlertStatus, publishedAt: string, hostnames: readonly string[] = []): Promise<void> {
    if (!status.severity || !status.classification) throw new Error(`alert ${status.alertId} is not classified yet`);
    const { severity, classification } = status;
    inTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO dashboard_alerts (alert_id, tenant_id, source, title, severity, state, decided_by, observed_at, received_at, published_at)
           VALUES (?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)
           ON CONFLICT (alert_id) DO UPDATE SET severity = excluded.severity, state = excluded.state,
             decided_by = excluded.decided_by, title = excluded.title`,
        )
        .run(status.alertId, status.tenantId, status.source, status.title, severity, JSON.stringify(classification.decidedBy), status.observedAt, status.receivedAt, publishedAt);
      const host = this.db.prepare('INSERT OR IGNORE INTO alert_hosts (alert_id, tenant_id, hostname, received_at) VALUES (?, ?, ?, ?)');
      for (const hostname of hostnames) host.run(status.alertId, status.tenantId, hostname.toLowerCase(), status.receivedAt);
    });
  }

  async countAlertsOnHosts(tenantId: string, hostnames: readonly string[], since: string, exceptAlertId: string): Promise<number> {
    if (hostnames.length === 0) return 0;
    const row = this.db
      .prepare(
        `SELECT COUNT(DISTINCT alert_id) AS n FROM alert_hosts
         WHERE tenant_id = ? AND hostname IN (SELECT value FROM json_each(?)) AND received_at >= ? AND alert_id <> ?`,
      )
      .get(tenantId, JSON.stringify(hostnames.map((h) => h.toLowerCase())), since, exceptAlertId);
    return Number(row?.['n'] ?? 0);
  }

  async refresh(status: AlertStatus): Promise<void> {
    if (!status.severity || !status.classification) return;
    this.db
      .prepare('UPDATE dashboard_alerts SET state = ?, severity = ?, decided_by = ?, recommendation = ? WHERE alert_id = ?')
      .run(status.state, status.severity, JSON.stringify(status.classification.decidedBy), status.triage.recommendation, status.alertId);
  }

  async recommendationOf(alertId: string): Promise<string | null> {
    const row = this.db.prepare('SELECT recommendation FROM dashboard_alerts WHERE alert_id = ?').get(alertId);
    return typeof row?.['recommendation'] === 'string' ? row['recommendation'] : null;
  }

  async listForTenant(tenantId: string, limit: number): Promise<DashboardRow[]> {
    return this.db
      .prepare(`SELECT ${DASHBOARD_COLUMNS} FROM dashboard_alerts WHERE tenant_id = ? ORDER BY ${SEVERITY_ORDER}, received_at DESC, alert_id LIMIT ?`)
      .all(tenantId, limit)
      .map(dashboardRowOf);
  }

  async purgeTenant(tenantId: string, receivedBefore: string, keepAlertIds: readonly string[] = []): Promise<{ dashboardAlerts: number; alertHosts: number }> {
    const keep = JSON.stringify(keepAlertIds);
    const where = 'tenant_id = ? AND received_at < ? AND alert_id NOT IN (SELECT value FROM json_each(?))';
    return inTransaction(this.db, () => {
      const hosts = this.db.prepare(`DELETE FROM alert_hosts WHERE ${where}`).run(tenantId, receivedBefore, keep);
      const alerts = this.db.prepare(`DELETE FROM dashboard_alerts WHERE ${where}`).run(tenantId, receivedBefore, keep);
      return { dashboardAlerts: Number(alerts.changes), alertHosts: Number(hosts.changes) };
    });
  }

  async rowCounts(tenantId: string): Promise<{ dashboardAlerts: number; alertHosts: number }> {
    const count = (table: string) => Number(this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`).get(tenantId)?.['n'] ?? 0);
    return { dashboardAlerts: count('dashboard_alerts'), alertHosts: count('alert_hosts') };
  }

  async incidentCounts(from: string, to: string): Promise<Map<string, number>> {
    const rows = this.db
      .prepare('SELECT tenant_id AS "tenantId", COUNT(*) AS n FROM dashboard_alerts WHERE received_at >= ? AND received_at < ? GROUP BY tenant_id')
      .all(from, to);
    return new Map(rows.map((row) => [String(row['tenantId']), Number(row['n'])]));
  }

  async alertsBetween(tenantId: string, from: string, to: string): Promise<(DashboardRow & { recommendation: string | null })[]> {
    return this.db
      .prepare(`SELECT ${DASHBOARD_COLUMNS}, recommendation FROM dashboard_alerts WHERE tenant_id = ? AND received_at >= ? AND received_at < ? ORDER BY received_at, alert_id`)
      .all(tenantId, from, to)
      .map((row) => ({ ...dashboardRowOf(row), recommendation: typeof row['recommendation'] === 'string' ? row['recommendation'] : null }));
  }
}

export class SqliteWorkOrders implements WorkOrderStore {
  constructor(private readonly db: DatabaseSync) {}

  async record(order: BillableWorkOrder): Promise<{ order: BillableWorkOrder; created: boolean }> {
    const inserted = this.db
      .prepare(
        `INSERT INTO work_orders (work_order_id, tenant_id, alert_id, requested_by, requested_at, description, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (work_order_id) DO NOTHING`,
      )
      .run(order.workOrderId, order.tenantId, order.alertId, order.requestedBy, order.requestedAt, order.description, order.reason);
    if (Number(inserted.changes) > 0) return { order, created: true };
    const existing = await this.find(order.workOrderId);
    if (!existing) throw new Error(`work order ${order.workOrderId} vanished while it was recorded`);
    return { order: existing, created: false };
  }

  async find(workOrderId: string): Promise<BillableWorkOrder | undefined> {
    const row = this.db.prepare(`SELECT ${WORK_ORDER_COLUMNS} FROM work_orders WHERE work_order_id = ?`).get(workOrderId);
    return row ? workOrderOf(row) : undefined;
  }

  async list(filter: WorkOrderFilter): Promise<BillableWorkOrder[]> {
    const { where, values } = workOrderWhere(filter, () => '?');
    return this.db.prepare(`SELECT ${WORK_ORDER_COLUMNS} FROM work_orders ${where} ORDER BY requested_at, work_order_id`).all(...values).map(workOrderOf);
  }

  async count(tenantId: string): Promise<number> {
    return Number(this.db.prepare('SELECT COUNT(*) AS n FROM work_orders WHERE tenant_id = ?').get(tenantId)?.['n'] ?? 0);
  }
}
