/** The dashboard's read model: one row per published alert, in SQLite (node:sqlite, built into Node 24). */
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from './sqliteFile';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { BillableWorkOrder } from '../../domain/workOrder';

export interface DashboardRow {
  alertId: string;
  tenantId: string;
  source: string;
  title: string;
  severity: string;
  state: string;
  decidedBy: string;
  observedAt: string;
  receivedAt: string;
  publishedAt: string;
}

const SELECT_ROW = `SELECT alert_id AS alertId, tenant_id AS tenantId, source, title, severity, state, decided_by AS decidedBy,
  observed_at AS observedAt, received_at AS receivedAt, published_at AS publishedAt FROM dashboard_alerts`;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS dashboard_alerts (
    alert_id     TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    state        TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    recommendation TEXT,
    observed_at  TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    published_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dashboard_alerts_by_tenant
    ON dashboard_alerts (tenant_id, severity, received_at DESC);
  CREATE TABLE IF NOT EXISTS work_orders (
    work_order_id TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    alert_id      TEXT,
    requested_by  TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    description   TEXT NOT NULL,
    reason        TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS work_orders_by_tenant ON work_orders (tenant_id, requested_at);
  CREATE TABLE IF NOT EXISTS alert_hosts (
    alert_id    TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    hostname    TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, hostname)
  );
  CREATE INDEX IF NOT EXISTS alert_hosts_by_host ON alert_hosts (tenant_id, hostname, received_at);
`;

export class AlertReadModel {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = openSqlite(file, SCHEMA);
    this.migrate();
  }

  /** Files made by an earlier version lack later columns: add them in place. */
  private migrate(): void {
    const columns = this.db.prepare('PRAGMA table_info(dashboard_alerts)').all().map((c) => c.name);
    if (!columns.includes('recommendation')) this.db.exec('ALTER TABLE dashboard_alerts ADD COLUMN recommendation TEXT');
  }

  find(alertId: string): DashboardRow | undefined {
    const row = this.db
      .prepare(
        `${SELECT_ROW} WHERE alert_id = ?`,
      )
      .get(alertId);
    return row ? toRow(row) : undefined;
  }

  /** Inserts or refreshes the alert's row; publishing the same alert twice leaves one row. */
  upsert(status: AlertStatus, publishedAt: string, hostnames: readonly string[] = []): void {
    if (!status.severity || !status.classification) throw new Error(`alert ${status.alertId} is not classified yet`);
    this.db
      .prepare(
        `INSERT INTO dashboard_alerts (alert_id, tenant_id, source, title, severity, state, decided_by, observed_at, received_at, published_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (alert_id) DO UPDATE SET severity = excluded.severity, state = excluded.state,
           decided_by = excluded.decided_by, title = excluded.title`,
      )
      .run(
        status.alertId,
        status.tenantId,
        status.source,
        status.title,
        status.severity,
        'published',
        JSON.stringify(status.classification.decidedBy),
        status.observedAt,
        status.receivedAt,
        publishedAt,
      );
    const host = this.db.prepare('INSERT OR IGNORE INTO alert_hosts (alert_id, tenant_id, hostname, received_at) VALUES (?, ?, ?, ?)');
    for (const hostname of hostnames) host.run(status.alertId, status.tenantId, hostname.toLowerCase(), status.receivedAt);
  }

  /** Other alerts of the tenant on any of these hosts received since then (R11: corroboration for the isolation score). */
  countAlertsOnHosts(tenantId: string, hostnames: readonly string[], since: string, exceptAlertId: string): number {
    if (hostnames.length === 0) return 0;
    const marks = hostnames.map(() => '?').join(', ');
    const row = this.db
      .prepare(
        `SELECT COUNT(DISTINCT alert_id) AS n FROM alert_hosts
         WHERE tenant_id = ? AND hostname IN (${marks}) AND received_at >= ? AND alert_id <> ?`,
      )
      .get(tenantId, ...hostnames.map((h) => h.toLowerCase()), since, exceptAlertId);
    return Number(row?.['n'] ?? 0);
  }

  /** After an analyst's decision: the dashboard shows the current state, severity and recommendation (R6). */
  refresh(status: AlertStatus): void {
    if (!status.severity || !status.classification) return;
    this.db
      .prepare(`UPDATE dashboard_alerts SET state = ?, severity = ?, decided_by = ?, recommendation = ? WHERE alert_id = ?`)
      .run(status.state, status.severity, JSON.stringify(status.classification.decidedBy), status.triage.recommendation, status.alertId);
  }

  recommendationOf(alertId: string): string | null {
    const row = this.db.prepare('SELECT recommendation FROM dashboard_alerts WHERE alert_id = ?').get(alertId);
    return typeof row?.recommendation === 'string' ? row.recommendation : null;
  }

  /** A tenant's alerts, most severe first, then newest first. */
  listForTenant(tenantId: string, limit: number): DashboardRow[] {
    return this.db
      .prepare(
        `${SELECT_ROW} WHERE tenant_id = ?
          ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, received_at DESC
          LIMIT ?`,
      )
      .all(tenantId, limit)
      .map(toRow);
  }

  /** Records a billable work order once; recording it again changes nothing. */
  recordWorkOrder(order: BillableWorkOrder): void {
    this.db
      .prepare(
        `INSERT INTO work_orders (work_order_id, tenant_id, alert_id, requested_by, requested_at, description, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (work_order_id) DO NOTHING`,
      )
      .run(order.workOrderId, order.tenantId, order.alertId, order.requestedBy, order.requestedAt, order.description, order.reason);
  }

  /**
   * R14: deletes the tenant's dashboard rows and host entries of alerts received before `receivedBefore`, except the
   * alerts in `keepAlertIds` (still open). Work orders are billing records and stay. Returns how many rows went.
   */
  purgeTenant(tenantId: string, receivedBefore: string, keepAlertIds: readonly string[] = []): { dashboardAlerts: number; alertHosts: number } {
    const keep = JSON.stringify(keepAlertIds);
    const where = 'tenant_id = ? AND received_at < ? AND alert_id NOT IN (SELECT value FROM json_each(?))';
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const hosts = this.db.prepare(`DELETE FROM alert_hosts WHERE ${where}`).run(tenantId, receivedBefore, keep);
      const alerts = this.db.prepare(`DELETE FROM dashboard_alerts WHERE ${where}`).run(tenantId, receivedBefore, keep);
      this.db.exec('COMMIT');
      return { dashboardAlerts: Number(alerts.changes), alertHosts: Number(hosts.changes) };
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** How many rows the tenant has in each table (R14 checks). */
  rowCounts(tenantId: string): { dashboardAlerts: number; alertHosts: number; workOrders: number } {
    const count = (table: string) => Number(this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`).get(tenantId)?.['n'] ?? 0);
    return { dashboardAlerts: count('dashboard_alerts'), alertHosts: count('alert_hosts'), workOrders: count('work_orders') };
  }

  /** Published alerts per tenant received in [from, to) (R15: handled incidents per month). */
  incidentCounts(from: string, to: string): Map<string, number> {
    const rows = this.db
      .prepare('SELECT tenant_id AS tenantId, COUNT(*) AS n FROM dashboard_alerts WHERE received_at >= ? AND received_at < ? GROUP BY tenant_id')
      .all(from, to);
    return new Map(rows.map((row) => [String(row['tenantId']), Number(row['n'])]));
  }

  /** The tenant's alerts received in [from, to), oldest first, with the analyst's recommendation (R3, R11 reports). */
  alertsBetween(tenantId: string, from: string, to: string): (DashboardRow & { recommendation: string | null })[] {
    return this.db
      .prepare(`${SELECT_ROW.replace(' FROM ', ', recommendation FROM ')} WHERE tenant_id = ? AND received_at >= ? AND received_at < ? ORDER BY received_at, alert_id`)
      .all(tenantId, from, to)
      .map((row) => ({ ...toRow(row), recommendation: typeof row['recommendation'] === 'string' ? row['recommendation'] : null }));
  }

  /** The tenant's billable work orders requested in [from, to), oldest first. */
  workOrdersBetween(tenantId: string, from: string, to: string): { workOrderId: string; requestedAt: string; description: string; reason: string }[] {
    return this.db
      .prepare(
        `SELECT work_order_id AS workOrderId, requested_at AS requestedAt, description, reason FROM work_orders
         WHERE tenant_id = ? AND requested_at >= ? AND requested_at < ? ORDER BY requested_at`,
      )
      .all(tenantId, from, to)
      .map((row) => ({ workOrderId: String(row['workOrderId']), requestedAt: String(row['requestedAt']), description: String(row['description']), reason: String(row['reason']) }));
  }

  workOrderCount(tenantId: string): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM work_orders WHERE tenant_id = ?').get(tenantId);
    return typeof row?.n === 'number' ? row.n : 0;
  }

  close(): void {
    this.db.close();
  }
}

function toRow(row: Record<string, unknown>): DashboardRow {
  const text = (key: keyof DashboardRow) => {
    const value = row[key];
    if (typeof value !== 'string') throw new Error(`read model column ${key} is not text`);
    return value;
  };
  return {
    alertId: text('alertId'),
    tenantId: text('tenantId'),
    source: text('source'),
    title: text('title'),
    severity: text('severity'),
    state: text('state'),
    decidedBy: text('decidedBy'),
    observedAt: text('observedAt'),
    receivedAt: text('receivedAt'),
    publishedAt: text('publishedAt'),
  };
}
