/** The dashboard read model and the work orders in PostgreSQL. */
import type { Pool } from 'pg';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { BillableWorkOrder } from '../../domain/workOrder';
import { DASHBOARD_COLUMNS, SEVERITY_ORDER, dashboardRowOf, type AlertReadModel, type DashboardRow } from '../alertReadModel';
import { WORK_ORDER_COLUMNS, workOrderOf, workOrderWhere, type WorkOrderFilter, type WorkOrderStore } from '../workOrderStore';
import { inTransaction } from './postgresStores';

export class PostgresReadModel implements AlertReadModel {
  constructor(private readonly pool: Pool) {}

  async find(alertId: string): Promise<DashboardRow | undefined> {
    const { rows } = await this.pool.query(`SELECT ${DASHBOARD_COLUMNS} FROM dashboard_alerts WHERE alert_id = $1`, [alertId]);
    return rows[0] ? dashboardRowOf(rows[0]) : undefined;
  }

  async upsert(status: AlertStatus, publishedAt: string, hostnames: readonly string[] = []): Promise<void> {
    if (!status.severity || !status.classification) throw new Error(`alert ${status.alertId} is not classified yet`);
    const { severity, classification } = status;
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO dashboard_alerts (alert_id, tenant_id, source, title, severity, state, decided_by, observed_at, received_at, published_at)
         VALUES ($1, $2, $3, $4, $5, 'published', $6, $7, $8, $9)
         ON CONFLICT (alert_id) DO UPDATE SET severity = excluded.severity, state = excluded.state,
           decided_by = excluded.decided_by, title = excluded.title`,
        [status.alertId, status.tenantId, status.source, status.title, severity, JSON.stringify(classification.decidedBy), status.observedAt, status.receivedAt, publishedAt],
      );
      if (hostnames.length > 0) {
        await db.query(
          `INSERT INTO alert_hosts (alert_id, tenant_id, hostname, received_at)
           SELECT $1, $2, h, $3 FROM unnest($4::text[]) AS h ON CONFLICT DO NOTHING`,
          [status.alertId, status.tenantId, status.receivedAt, [...new Set(hostnames.map((h) => h.toLowerCase()))]],
        );
      }
    });
  }

  async countAlertsOnHosts(tenantId: string, hostnames: readonly string[], since: string, exceptAlertId: string): Promise<number> {
    if (hostnames.length === 0) return 0;
    const { rows } = await this.pool.query(
      `SELECT COUNT(DISTINCT alert_id) AS n FROM alert_hosts
       WHERE tenant_id = $1 AND hostname = ANY($2::text[]) AND received_at >= $3 AND alert_id <> $4`,
      [tenantId, hostnames.map((h) => h.toLowerCase()), since, exceptAlertId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async refresh(status: AlertStatus): Promise<void> {
    if (!status.severity || !status.classification) return;
    await this.pool.query('UPDATE dashboard_alerts SET state = $1, severity = $2, decided_by = $3, recommendation = $4 WHERE alert_id = $5', [
      status.state,
      status.severity,
      JSON.stringify(status.classification.decidedBy),
      status.triage.recommendation,
      status.alertId,
    ]);
  }

  async recommendationOf(alertId: string): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT recommendation FROM dashboard_alerts WHERE alert_id = $1', [alertId]);
    const value: unknown = rows[0]?.recommendation;
    return typeof value === 'string' ? value : null;
  }

  async listForTenant(tenantId: string, limit: number): Promise<DashboardRow[]> {
    const { rows } = await this.pool.query(
      `SELECT ${DASHBOARD_COLUMNS} FROM dashboard_alerts WHERE tenant_id = $1 ORDER BY ${SEVERITY_ORDER}, received_at DESC, alert_id LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map(dashboardRowOf);
  }

  async purgeTenant(tenantId: string, receivedBefore: string, keepAlertIds: readonly string[] = []): Promise<{ dashboardAlerts: number; alertHosts: number }> {
    const where = 'tenant_id = $1 AND received_at < $2 AND NOT (alert_id = ANY($3::text[]))';
    return inTransaction(this.pool, async (db) => {
      const hosts = await db.query(`DELETE FROM alert_hosts WHERE ${where}`, [tenantId, receivedBefore, keepAlertIds]);
      const alerts = await db.query(`DELETE FROM dashboard_alerts WHERE ${where}`, [tenantId, receivedBefore, keepAlertIds]);
      return { dashboardAlerts: alerts.rowCount ?? 0, alertHosts: hosts.rowCount ?? 0 };
    });
  }

  async rowCounts(tenantId: string): Promise<{ dashboardAlerts: number; alertHosts: number }> {
    const count = async (table: string) => Number((await this.pool.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0]?.n ?? 0);
    return { dashboardAlerts: await count('dashboard_alerts'), alertHosts: await count('alert_hosts') };
  }

  async incidentCounts(from: string, to: string): Promise<Map<string, number>> {
    const { rows } = await this.pool.query(
      'SELECT tenant_id AS "tenantId", COUNT(*) AS n FROM dashboard_alerts WHERE received_at >= $1 AND received_at < $2 GROUP BY tenant_id',
      [from, to],
    );
    return new Map(rows.map((row: Record<string, unknown>) => [String(row['tenantId']), Number(row['n'])]));
  }

  async alertsBetween(tenantId: string, from: string, to: string): Promise<(DashboardRow & { recommendation: string | null })[]> {
    const { rows } = await this.pool.query(
      `SELECT ${DASHBOARD_COLUMNS}, recommendation FROM dashboard_alerts WHERE tenant_id = $1 AND received_at >= $2 AND received_at < $3 ORDER BY received_at, alert_id`,
      [tenantId, from, to],
    );
    return rows.map((row: Record<string, unknown>) => ({ ...dashboardRowOf(row), recommendation: typeof row['recommendation'] === 'string' ? row['recommendation'] : null }));
  }
}

export class PostgresWorkOrders implements WorkOrderStore {
  constructor(private readonly pool: Pool) {}

  async record(order: BillableWorkOrder): Promise<{ order: BillableWorkOrder; created: boolean }> {
    const inserted = await this.pool.query(
      `INSERT INTO work_orders (work_order_id, tenant_id, alert_id, requested_by, requested_at, description, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (work_order_id) DO NOTHING`,
      [order.workOrderId, order.tenantId, order.alertId, order.requestedBy, order.requestedAt, order.description, order.reason],
    );
    if ((inserted.rowCount ?? 0) > 0) return { order, created: true };
    const existing = await this.find(order.workOrderId);
    if (!existing) throw new Error(`work order ${order.workOrderId} vanished while it was recorded`);
    return { order: existing, created: false };
  }

  async find(workOrderId: string): Promise<BillableWorkOrder | undefined> {
    const { rows } = await this.pool.query(`SELECT ${WORK_ORDER_COLUMNS} FROM work_orders WHERE work_order_id = $1`, [workOrderId]);
    return rows[0] ? workOrderOf(rows[0]) : undefined;
  }

  async list(filter: WorkOrderFilter): Promise<BillableWorkOrder[]> {
    const { where, values } = workOrderWhere(filter, (n) => `$${n}`);
    const { rows } = await this.pool.query(`SELECT ${WORK_ORDER_COLUMNS} FROM work_orders ${where} ORDER BY requested_at, work_order_id`, values);
    return rows.map(workOrderOf);
  }

  async count(tenantId: string): Promise<number> {
    const { rows } = await this.pool.query('SELECT COUNT(*) AS n FROM work_orders WHERE tenant_id = $1', [tenantId]);
    return Number(rows[0]?.n ?? 0);
  }
}
