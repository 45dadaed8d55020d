/** The SOC's pages: the cross-tenant work queue (R11 routing first), escalations in progress (R19), billable work orders (R3) and fair use (R15). */
import type { Request } from 'express';
import { z } from 'zod';
import { berlinMonthOf } from '../../domain/calendar/berlinTime';
import { listAlertsQuerySchema } from '../alerts/alertSchemas';
import { workOrderListQuerySchema } from '../workOrders/workOrderSchemas';
import { fairUseQuerySchema } from '../tenants/tenantAccountSchemas';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../alerts/alertQueries';
import type { AnalystQueue } from '../triage/analystQueue';
import type { FairUse } from '../tenants/fairUse';
import type { WorkOrders } from '../workOrders/workOrders';
import { num, page, say, severityCell, stateLabel, when, type DashboardView } from './dashboardLayout';
import { timelineDetail } from './timelineText';
import { message } from '../../domain/i18n/messages';
import { html, query, type Html } from './html';
import { withoutEmpty } from './alertPages';

export const QUEUE_SIZE = 50;
export const ESCALATION_PAGE_SIZE = 20;

const alertLink = (alertId: string, title: string) => html`<a href="/dashboard/alerts/${encodeURIComponent(alertId)}">${title || alertId}</a>`;

export async function queuePage(queue: AnalystQueue, session: DashboardView): Promise<Html> {
  const { items } = await queue.list(session.principal, QUEUE_SIZE);
  const me = session.principal.keyId;
  const t = (key: string, params: Record<string, string | number> = {}) => say(session, `queue.${key}`, params);
  const a = (key: string) => say(session, `alert.${key}`);
  return page(
    t('title'),
    session,
    html`<p class="note">${t('note', { count: QUEUE_SIZE })}</p>
${
  items.length === 0
    ? html`<p class="note">${t('empty')}</p>`
    : html`<table class="queue"><thead><tr><th>${a('severity')}</th><th>${a('tenant')}</th><th>${a('id')}</th><th>${a('state')}</th><th>${a('analyst')}</th><th>${t('routedTo')}</th><th>${a('received')}</th></tr></thead><tbody>
${items.map(
  (item) => html`<tr><td>${severityCell(item.severity, session)}</td><td>${item.tenantId}</td><td>${alertLink(item.alertId, item.title)}</td><td data-state="${item.state ?? ''}">${stateLabel(item.state, session)}</td><td>${item.assignedAnalyst ?? ''}</td><td>${
    item.routedTo === me ? html`<strong>${t('you')}</strong>` : (item.routedTo ?? '')
  }</td><td>${when(item.receivedAt, session)}</td></tr>`,
)}</tbody></table>`
}`,
  );
}

const pageQuerySchema = listAlertsQuerySchema.pick({ cursor: true });

/** R19: critical incidents nobody has claimed are escalating along the on-call chain; the latest step from each one's timeline. */
export async function escalationsPage(queries: AlertQueries, session: DashboardView, request: Request): Promise<Html> {
  const { cursor } = parseOrRefuse(pageQuerySchema, request.query);
  const { principal } = session;
  const found = await queries.list(principal, { severity: 'critical', state: 'awaiting_triage', limit: ESCALATION_PAGE_SIZE, cursor });
  const alerts = await Promise.all(found.items.map((item) => queries.get(principal, item.alertId)));
  const t = (key: string) => say(session, `escalations.${key}`);
  const a = (key: string) => say(session, `alert.${key}`);
  const next = found.nextCursor ? html`<p><a class="more" href="/dashboard/escalations${query({ cursor: found.nextCursor })}">${say(session, 'list.more')} →</a></p>` : '';
  return page(
    t('title'),
    session,
    html`<p class="note">${t('note')}</p>
${
  alerts.length === 0
    ? html`<p class="note">${t('none')}</p>`
    : html`<table class="escalations"><thead><tr><th>${a('tenant')}</th><th>${a('id')}</th><th>${t('steps')}</th><th>${t('latest')}</th><th>${a('received')}</th></tr></thead><tbody>
${alerts.map((alert) => {
  const steps = alert.timeline.filter((e) => e.kind === 'escalated');
  const latest = steps.at(-1);
  return html`<tr><td>${alert.tenantId}</td><td>${alertLink(alert.alertId, alert.title)}</td><td>${num(steps.length, session)}</td><td>${latest ? `${when(latest.at, session)}: ${timelineDetail(latest, session)}` : t('notPaged')}</td><td>${when(alert.receivedAt, session)}</td></tr>`;
})}</tbody></table>`
}${next}`,
  );
}

const monthNow = berlinMonthOf;
const workOrderPageSchema = workOrderListQuerySchema.omit({ format: true });

/** Billable work orders of one month (R3, R7, R10); a customer sees its own tenant's only (the service scopes them). */
export async function workOrdersPage(workOrders: WorkOrders, session: DashboardView, request: Request, tenantIds: string[], now: Date): Promise<Html> {
  const filter = parseOrRefuse(workOrderPageSchema, withoutEmpty(request.query));
  const month = filter.month ?? monthNow(now);
  const { items } = await workOrders.list(session.principal, { tenantId: filter.tenantId, month });
  const crossTenant = session.principal.tenantId === null;
  const t = (key: string, params: Record<string, string> = {}) => message(session.language ?? 'en', `dashboard.workOrders.${key}`, params);
  return page(
    t('title'),
    session,
    html`<form method="get" action="/dashboard/work-orders"><label>${t('month')} <input name="month" value="${month}" pattern="\\d{4}-\\d{2}"></label>
${crossTenant ? html`<label>${t('tenant')} <select name="tenantId"><option value="">${t('all')}</option>${tenantIds.map((t) => html`<option${t === filter.tenantId ? html` selected` : ''}>${t}</option>`)}</select></label>` : ''}
<button type="submit">${t('show')}</button></form>
${
  items.length === 0
    ? html`<p class="note">${t('none', { month })}</p>`
    : html`<table class="work-orders"><thead><tr><th>${t('requested')}</th><th>${t('tenant')}</th><th>${t('description')}</th><th>${t('reason')}</th><th>${t('requestedBy')}</th><th>${t('alert')}</th></tr></thead><tbody>
${items.map((o) => html`<tr><td>${when(o.requestedAt, session)}</td><td>${o.tenantId}</td><td>${o.description}</td><td>${o.reason}</td><td>${o.requestedBy}</td><td>${o.alertId ? alertLink(o.alertId, o.alertId) : ''}</td></tr>`)}
</tbody></table>`
}`,
  );
}

const fairUsePageSchema = z.object({ month: fairUseQuerySchema.shape.month.optional() }).strict();

export async function fairUsePage(fairUse: FairUse, session: DashboardView, request: Request, now: Date): Promise<Html> {
  const { month: asked } = parseOrRefuse(fairUsePageSchema, withoutEmpty(request.query));
  const report = await fairUse.report(session.principal, asked ?? monthNow(now));
  const t = (key: string, params: Record<string, string | number> = {}) => say(session, `fairUse.${key}`, params);
  return page(
    t('title'),
    session,
    html`<form method="get" action="/dashboard/fair-use"><label>${t('month')} <input name="month" value="${report.month}"></label><button type="submit">${t('show')}</button></form>
<p class="note">${t('note', { month: report.month, factor: num(report.factor, session) })}</p>
<table class="fair-use"><thead><tr><th>${say(session, 'alert.tenant')}</th><th>${t('incidents')}</th><th>${t('baseline')}</th><th>${t('ratio')}</th><th>${t('flag')}</th></tr></thead><tbody>
${report.items.map(
  (row) =>
    html`<tr class="${row.flagged ? 'flagged' : ''}"><td>${row.tenantId}</td><td>${num(row.incidents, session)}</td><td>${num(row.baseline, session)}</td><td>${num(row.ratio, session)}</td><td>${row.flagged ? t('flagged') : ''}</td></tr>`,
)}</tbody></table>`,
  );
}
