/** A tenant's reports (R3, R11) as downloads and its leak-check findings (R4); a customer's own tenant only (R17). */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { TenantLedger } from '../../stores/tenantLedger';
import { slugSchema } from '../../domain/alert';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import { isBooked } from '../../domain/tenant/tenantOptionsSchema';
import { may } from '../../domain/access/roles';
import { alertReportQuerySchema, weeklyReviewQuerySchema } from '../tenants/tenantAccountSchemas';
import { parseOrRefuse } from '../http/validate';
import { ForbiddenError, NotFoundError } from '../../domain/refusals';
import { tenantInScope } from '../../domain/access/tenantScope';
import { alertReportCsv, type TenantReports } from '../tenants/tenantReports';
import type { DashboardSession } from './dashboardSessions';
import { page, when, type DashboardView } from './dashboardLayout';
import { message } from '../../domain/i18n/messages';
import { html, type Html } from './html';
import { withoutEmpty } from './alertPages';

export interface ReportDeps {
  reports: TenantReports;
  ledger: TenantLedger;
  tenants: TenantCatalog;
}

const tenantQuerySchema = z.strictObject({ tenantId: slugSchema.optional() });

/** The tenant a page shows: a tenant-bound key's own (another one is reported as absent, R17); for the SOC, the chosen or the first one. */
function tenantInView(deps: ReportDeps, session: DashboardSession, requested: string | undefined): string {
  const tenantId = tenantInScope(session.principal, requested) ?? deps.tenants.all()[0]?.id;
  if (!tenantId || !deps.tenants.get(tenantId)) throw new NotFoundError(`No tenant '${requested}'`);
  return tenantId;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The Monday of the week before `now` (the last complete week). */
function lastMonday(now: Date): string {
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7) - 7);
  return day(date);
}

export async function reportsPage(deps: ReportDeps, session: DashboardView, request: Request, now: Date): Promise<Html> {
  const { tenantId: requested } = parseOrRefuse(tenantQuerySchema, withoutEmpty(request.query));
  const tenantId = tenantInView(deps, session, requested);
  const { principal } = session;
  if (!may(principal, 'readReports')) throw new ForbiddenError(`Role '${principal.role}' may not read reports`);
  const tenant = deps.tenants.get(tenantId);
  const findings = may(principal, 'readLeakFindings') ? await deps.ledger.leakFindings(tenantId) : [];
  const firstOfMonth = `${now.toISOString().slice(0, 7)}-01`;
  const tomorrow = day(new Date(now.getTime() + 86_400_000));
  const crossTenant = principal.tenantId === null;
  const t = (key: string, params: Record<string, string> = {}) => message(session.language ?? 'en', `dashboard.reports.${key}`, params);
  return page(
    t('title', { name: tenant?.name ?? tenantId }),
    session,
    html`${
      crossTenant
        ? html`<form method="get" action="/dashboard/reports"><label>${t('tenant')} <select name="tenantId">${deps.tenants
            .all()
            .map((t) => html`<option value="${t.id}"${t.id === tenantId ? html` selected` : ''}>${t.name}</option>`)}</select></label><button type="submit">${t('show')}</button></form>`
        : ''
    }
<h2>${t('alertReport')}</h2>
<p class="note">${t('alertReportNote')}</p>
<form method="get" action="/dashboard/reports/alerts"><input type="hidden" name="tenantId" value="${tenantId}">
<label>${t('from')} <input name="from" type="date" value="${firstOfMonth}"></label><label>${t('to')} <input name="to" type="date" value="${tomorrow}"></label>
<button type="submit" name="format" value="csv">${t('csv')}</button> <button type="submit" name="format" value="json">${t('json')}</button></form>
${
  tenant && isBooked(tenant.options, 'weeklyReview')
    ? html`<h2>${t('weeklyReview')}</h2><form method="get" action="/dashboard/reports/weekly-review"><input type="hidden" name="tenantId" value="${tenantId}">
<label>${t('weekStarting')} <input name="week" type="date" value="${lastMonday(now)}"></label><button type="submit">${t('openReview')}</button></form>`
    : ''
}
<h2>${t('leaks')}</h2>
<p class="note">${t('leaksNote', { tenant: tenantId })}</p>
${
  findings.length === 0
    ? html`<p class="note">${t('noFindings')}</p>`
    : html`<table class="leak-findings"><thead><tr><th>${t('address')}</th><th>${t('breach')}</th><th>${t('found')}</th></tr></thead><tbody>
${findings.map((f) => html`<tr><td>${f.address}</td><td>${f.breach}</td><td>${when(f.foundAt, session)}</td></tr>`)}</tbody></table>`
}`,
  );
}

const alertDownloadSchema = alertReportQuerySchema.extend(tenantQuerySchema.shape);
const weeklyReviewPageSchema = weeklyReviewQuerySchema.extend(tenantQuerySchema.shape);

export async function sendAlertReport(deps: ReportDeps, session: DashboardSession, request: Request, response: Response): Promise<void> {
  const { tenantId: requested, from, to, format } = parseOrRefuse(alertDownloadSchema, withoutEmpty(request.query));
  const tenantId = tenantInView(deps, session, requested);
  const report = await deps.reports.alerts(session.principal, tenantId, { from, to });
  const name = `alerts-${tenantId}-${from}-${to}`;
  if (format === 'json') {
    response.attachment(`${name}.json`).json(report);
    return;
  }
  response.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(alertReportCsv(report));
}

export async function sendWeeklyReview(deps: ReportDeps, session: DashboardSession, request: Request, response: Response): Promise<void> {
  const { tenantId: requested, week } = parseOrRefuse(weeklyReviewPageSchema, withoutEmpty(request.query));
  const tenantId = tenantInView(deps, session, requested);
  response.type('html').send(await deps.reports.weeklyReviewHtml(session.principal, tenantId, week));
}
