/** The dashboard's read model: one row per published alert, with the hosts it named (R11 corroboration). */
import type { AlertStatus } from '../domain/alertLifecycle';

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

export interface AlertReadModel {
  find(alertId: string): Promise<DashboardRow | undefined>;
  /** Inserts or refreshes the alert's row; publishing the same alert twice leaves one row. */
  upsert(status: AlertStatus, publishedAt: string, hostnames?: readonly string[]): Promise<void>;
  /** Other alerts of the tenant on any of these hosts received since then (R11: corroboration for the isolation score). */
  countAlertsOnHosts(tenantId: string, hostnames: readonly string[], since: string, exceptAlertId: string): Promise<number>;
  /** After an analyst's decision: the dashboard shows the current state, severity and recommendation (R6). */
  refresh(status: AlertStatus): Promise<void>;
  recommendationOf(alertId: string): Promise<string | null>;
  /** A tenant's alerts, most severe first, then newest first. */
  listForTenant(tenantId: string, limit: number): Promise<DashboardRow[]>;
  /**
   * R14: deletes the tenant's dashboard rows and host entries of alerts received before `receivedBefore`, except the
   * alerts in `keepAlertIds` (still open). Returns how many rows went.
   */
  purgeTenant(tenantId: string, receivedBefore: string, keepAlertIds?: readonly string[]): Promise<{ dashboardAlerts: number; alertHosts: number }>;
  /** How many rows the tenant has in each table (R14 checks). */
  rowCounts(tenantId: string): Promise<{ dashboardAlerts: number; alertHosts: number }>;
  /** Published alerts per tenant received in [from, to) (R15: handled incidents per month). */
  incidentCounts(from: string, to: string): Promise<Map<string, number>>;
  /** The tenant's alerts received in [from, to), oldest first, with the analyst's recommendation (R3, R11 reports). */
  alertsBetween(tenantId: string, from: string, to: string): Promise<(DashboardRow & { recommendation: string | null })[]>;
}

/** Reads a row whose columns are named as DashboardRow's fields, refusing one that is not all text. */
export function dashboardRowOf(row: Record<string, unknown>): DashboardRow {
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

/** The columns of a dashboard row, named as DashboardRow's fields (the same SQL in SQLite and PostgreSQL). */
export const DASHBOARD_COLUMNS = `alert_id AS "alertId", tenant_id AS "tenantId", source, title, severity, state, decided_by AS "decidedBy",
  observed_at AS "observedAt", received_at AS "receivedAt", published_at AS "publishedAt"`;

/** Most severe first, then newest first. */
export const SEVERITY_ORDER = `CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;
