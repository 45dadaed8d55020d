/** Per-tenant reports from the read model: alerts by severity, state and source (R3), and the weekly review report (R11). */
import type { AlertReadModel } from '../../stores/alertReadModel';
import type { WorkOrderStore } from '../../stores/workOrderStore';
import { berlinLocalToUtc } from '../../domain/calendar/berlinTime';
import { SEVERITIES } from '../../domain/severity';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import { isBooked } from '../../domain/tenant/tenantOptionsSchema';
import type { TenantOn } from '../../stores/tenantLedger';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import { may, type Principal } from '../../domain/access/roles';
import { berlinTime, message } from '../../domain/i18n/messages';
import { toCsv } from '../http/csv';
import { escapeHtml } from '../audit/trailHtml';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../domain/refusals';
import { noTenant, requireTenantInScope } from '../../domain/access/tenantScope';

export interface AlertGroup {
  severity: string;
  state: string;
  source: string;
  count: number;
}

export interface AlertReport {
  tenantId: string;
  from: string;
  to: string;
  total: number;
  bySeverity: Record<string, number>;
  byState: Record<string, number>;
  bySource: Record<string, number>;
  groups: AlertGroup[];
}

const DAY_MS = 86_400_000;
const severityRank = (s: string) => {
  const index = (SEVERITIES as readonly string[]).indexOf(s);
  return index === -1 ? -1 : index;
};

/** 00:00 Berlin time of a `YYYY-MM-DD` day. */
function berlinMidnight(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(berlinLocalToUtc(year, month, date, 0));
}

export class TenantReports {
  constructor(
    private readonly deps: {
      readModel: AlertReadModel;
      workOrders: WorkOrderStore;
      tenants: TenantCatalog;
      now: () => Date;
      /** The tenant with its R11 options in force at an instant (booked with a date, R16); the file's when absent. */
      tenantOn?: TenantOn;
    },
  ) {}

  /** Alerts received from `from` (inclusive) to `to` (exclusive), German calendar days, counted by severity, state and source. */
  async alerts(principal: Principal, tenantId: string, period: { from: string; to: string }): Promise<AlertReport> {
    this.tenantFor(principal, tenantId);
    const from = berlinMidnight(period.from).toISOString();
    const to = berlinMidnight(period.to).toISOString();
    if (from >= to) throw new InvalidInputError([{ field: 'to', message: 'to must be after from' }]);
    const rows = await this.deps.readModel.alertsBetween(tenantId, from, to);
    const count = (key: (row: (typeof rows)[number]) => string) =>
      rows.reduce<Record<string, number>>((acc, row) => ({ ...acc, [key(row)]: (acc[key(row)] ?? 0) + 1 }), {});
    const groups = new Map<string, AlertGroup>();
    for (const row of rows) {
      const id = JSON.stringify([row.severity, row.state, row.source]);
      const group = groups.get(id) ?? { severity: row.severity, state: row.state, source: row.source, count: 0 };
      group.count++;
      groups.set(id, group);
    }
    const sorted = [...groups.values()].sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.state.localeCompare(b.state) || a.source.localeCompare(b.source),
    );
    return { tenantId, from, to, total: rows.length, bySeverity: count((r) => r.severity), byState: count((r) => r.state), bySource: count((r) => r.source), groups: sorted };
  }

  /** The printable weekly review (R11, package 3 option): what happened, what was done, open recommendations. */
  async weeklyReviewHtml(principal: Principal, tenantId: string, week: string): Promise<string> {
    const tenant = this.tenantFor(principal, tenantId);
    const start = berlinMidnight(week);
    if (new Date(`${week}T12:00:00Z`).getUTCDay() !== 1) {
      throw new InvalidInputError([{ field: 'week', message: 'the Monday the week starts on, as YYYY-MM-DD' }]);
    }
    // Booked for that week: an option booked or cancelled with a date counts from its date on (R16).
    const booked = this.deps.tenantOn ? await this.deps.tenantOn(tenant, start) : tenant;
    if (!isBooked(booked.options, 'weeklyReview')) throw new ConflictError(`R11: tenant '${tenantId}' has not booked the weekly review for the week of ${week}`);
    const endDay = new Date(Date.parse(`${week}T12:00:00Z`) + 7 * DAY_MS).toISOString().slice(0, 10);
    const from = start.toISOString();
    const to = berlinMidnight(endDay).toISOString();
    const alerts = await this.deps.readModel.alertsBetween(tenantId, from, to);
    const orders = await this.deps.workOrders.list({ tenantId, from, to });
    const open = alerts.filter((a) => a.recommendation !== null && a.state !== 'closed');
    const language = tenant.language;
    /** Catalogue text with escaped parameters: the page is HTML. */
    const t = (key: string, params: Record<string, string | number> = {}) =>
      escapeHtml(message(language, `weeklyReview.${key}`, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]))));
    const severityName = (severity: string) => escapeHtml(message(language, `severity.${severity}`));
    const bySeverity = SEVERITIES.slice()
      .reverse()
      .map((s) => `<td>${alerts.filter((a) => a.severity === s).length}</td>`)
      .join('');
    const rows = alerts
      .slice()
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.receivedAt.localeCompare(b.receivedAt))
      .map((a) => `<tr><td>${escapeHtml(berlinTime(a.receivedAt, language))}</td><td class="${escapeHtml(a.severity)}">${severityName(a.severity)}</td><td>${escapeHtml(a.state)}</td><td>${escapeHtml(a.source)}</td><td>${escapeHtml(a.title)}</td></tr>`)
      .join('\n');
    const done = orders.map((o) => `<li>${escapeHtml(berlinTime(o.requestedAt, language))}: ${escapeHtml(o.description)} <em>(${escapeHtml(o.reason)})</em></li>`).join('\n');
    const recs = open.map((a) => `<li><strong>${escapeHtml(a.title)}</strong> (${severityName(a.severity)}, ${escapeHtml(a.state)}): ${escapeHtml(a.recommendation ?? '')}</li>`).join('\n');
    const title = t('title', { name: tenant.name });
    return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${title} ${escapeHtml(week)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}.critical{color:#b00;font-weight:bold}@media print{body{margin:0}}</style></head>
<body><h1>${title}</h1>
<p>${t('period', { from: week, to: endDay, generated: berlinTime(this.deps.now().toISOString(), language) })}</p>
<h2>${t('happened')}</h2>
<table><tr>${SEVERITIES.slice().reverse().map((s) => `<th>${severityName(s)}</th>`).join('')}<th>${t('total')}</th></tr><tr>${bySeverity}<td>${alerts.length}</td></tr></table>
<table><tr><th>${t('received')}</th><th>${t('severity')}</th><th>${t('state')}</th><th>${t('source')}</th><th>${t('alertTitle')}</th></tr>
${rows}
</table>
<h2>${t('done')}</h2>
<p>${t('closedCount', { count: alerts.filter((a) => a.state === 'closed').length })}</p>
<ul>${done || `<li>${t('noOrders')}</li>`}</ul>
<h2>${t('open')}</h2>
<ul>${recs || `<li>${t('none')}</li>`}</ul>
</body></html>`;
  }

  private tenantFor(principal: Principal, tenantId: string): Tenant {
    requireTenantInScope(principal, tenantId); // another tenant's reports are absent (R17)
    if (!may(principal, 'readReports')) throw new ForbiddenError(`Role '${principal.role}' may not read reports`);
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw noTenant(tenantId);
    return tenant;
  }
}

/** The groups as CSV, one line per severity, state and source. */
export function alertReportCsv(report: AlertReport): string {
  return toCsv(['severity', 'state', 'source', 'count'], report.groups.map((g) => [g.severity, g.state, g.source, g.count]));
}
