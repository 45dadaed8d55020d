/**
 * Internal service figures (R5 calendar, nothing promised to customers: the contract has no SLA): for the alerts closed
 * in the last days, the median time in service hours from receipt to claim, to recommendation and to close, per tenant
 * and analyst. The same figures go to the worker's /metrics as `soar_service_hours_to_step_seconds`.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { AlertStatus, ServiceFigures } from '../../domain/alertLifecycle';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../services/alertQueries';
import { page } from './dashboardLayout';
import type { DashboardSession } from './dashboardSessions';
import { html, type Html } from './html';

export interface ServiceFigureRow {
  tenantId: string;
  analyst: string;
  alerts: number;
  /** Median seconds in service hours; null when no alert of the row reached the step. */
  toClaim: number | null;
  toRecommendation: number | null;
  toClose: number | null;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
};

/** One row per tenant and analyst (the analyst who held the alert at its close), sorted by tenant, then analyst. */
export function serviceFigureRows(statuses: readonly AlertStatus[]): ServiceFigureRow[] {
  const groups = new Map<string, AlertStatus[]>();
  for (const status of statuses) {
    if (!status.serviceFigures) continue;
    const key = `${status.tenantId}\u0000${status.triage.assignedAnalyst ?? 'none'}`;
    groups.set(key, [...(groups.get(key) ?? []), status]);
  }
  const step = (group: AlertStatus[], name: keyof ServiceFigures) => median(group.flatMap((s) => (s.serviceFigures?.[name] ?? null) ?? []));
  return [...groups.entries()]
    .map(([key, group]) => {
      const [tenantId = '', analyst = ''] = key.split('\u0000');
      return { tenantId, analyst, alerts: group.length, toClaim: step(group, 'toClaimSeconds'), toRecommendation: step(group, 'toRecommendationSeconds'), toClose: step(group, 'toCloseSeconds') };
    })
    .sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.analyst.localeCompare(b.analyst));
}

const querySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) });
const MAX_ALERTS = 500;

const duration = (seconds: number | null) => {
  if (seconds === null) return '–';
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

export async function serviceFiguresPage(queries: AlertQueries, session: DashboardSession, request: Request, now: Date): Promise<Html> {
  const { days } = parseOrRefuse(querySchema, request.query);
  const closed = await queries.closedSince(session.principal, new Date(now.getTime() - days * 86_400_000), MAX_ALERTS);
  const rows = serviceFigureRows(closed);
  return page(
    'Service figures (internal)',
    session,
    html`<p class="note">Alerts closed in the last ${days} day(s) (at most ${MAX_ALERTS}): median time from receipt, counted in the SOC's service hours only. Internal figures for the SOC's management; the contract promises no response time.</p>
${
  rows.length === 0
    ? html`<p class="note">No closed alert in this period.</p>`
    : html`<table class="service-figures"><thead><tr><th>Tenant</th><th>Analyst</th><th>Alerts</th><th>To claim</th><th>To recommendation</th><th>To close</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.tenantId}</td><td>${r.analyst}</td><td>${r.alerts}</td><td>${duration(r.toClaim)}</td><td>${duration(r.toRecommendation)}</td><td>${duration(r.toClose)}</td></tr>`)}</tbody></table>`
}`,
  );
}
