/** The SOC's pages: the cross-tenant work queue (R11 routing first), escalations in progress (R19), billable work orders (R3) and fair use (R15). */
import type { Request } from 'express';
import { z } from 'zod';
import { berlinMonthOf } from '../../domain/calendar/berlinTime';
import { listAlertsQuerySchema, workOrderListQuerySchema } from '../http/schemas';
import { fairUseQuerySchema } from '../http/tenantAccountSchemas';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../services/alertQueries';
import type { AnalystQueue } from '../services/analystQueue';
import type { FairUse } from '../services/fairUse';
import type { WorkOrders } from '../services/workOrders';
import type { DashboardSession } from './dashboardSessions';
import { page, severityCell, when, type DashboardView } from './dashboardLayout';
import { message } from '../../domain/i18n/messages';
import { html, query, type Html } from './html';
import { withoutEmpty } from './alertPages';

export const QUEUE_SIZE = 50;
export const ESCALATION_PAGE_SIZE = 20;

const alertLink = (alertId: string, title: string) => html`<a href="/dashboard/alerts/${encodeURIComponent(alertId)}">${title || alertId}</a>`;

export async function queuePage(queue: AnalystQueue, session: DashboardSession): Promise<Html> {
  const { items } = await queue.list(session.principal, QUEUE_SIZE);
  const me = session.principal.keyId;
  return page(
    'Work queue',
    session,
    html`<p class="note">Alerts in service across all tenants: routed to you first (R11), then by severity, then oldest first. The first ${QUEUE_SIZE}.</p>
${
  items.length === 0
    ? html`<p class="note">The queue is empty.</p>`
    : html`<table class="queue"><thead><tr><th>Severity</th><th>Tenant</th><th>Alert</th><th>State</th><th>Analyst</th><th>Routed to</th><th>Received</th></tr></thead><tbody>
${items.map(
  (a) => html`<tr><td>${severityCell(a.severity)}</td><td>${a.tenantId}</td><td>${alertLink(a.alertId, a.title)}</td><td>${a.state ?? ''}</td><td>${a.assignedAnalyst ?? ''}</td><td>${
    a.routedTo === me ? html`<strong>you</strong>` : (a.routedTo ?? '')
  }</td><td>${when(a.receivedAt)}</td></tr>`,
)}</tbody></table>`
}`,
  );
}

const pageQuerySchema = listAlertsQuerySchema.pick({ cursor: true });

/** R19: critical incidents nobody has claimed are escalating along the on-call chain; the latest step from each one's timeline. */
export async function escalationsPage(queries: AlertQueries, session: DashboardSession, request: Request): Promise<Html> {
  const { cursor } = parseOrRefuse(pageQuerySchema, request.query);
  const { principal } = session;
  const found = await queries.list(principal, { severity: 'critical', state: 'awaiting_triage', limit: ESCALATION_PAGE_SIZE, cursor });
  const alerts = await Promise.all(found.items.map((item) => queries.get(principal, item.alertId)));
  const next = found.nextCursor ? html`<p><a class="more" href="/dashboard/escalations${query({ cursor: found.nextCursor })}">More →</a></p>` : '';
  return page(
    'Escalations in progress',
    session,
    html`<p class="note">Critical incidents not yet acknowledged by an analyst (R19).</p>
${
  alerts.length === 0
    ? html`<p class="note">No escalation in progress.</p>`
    : html`<table class="escalations"><thead><tr><th>Tenant</th><th>Alert</th><th>Steps so far</th><th>Latest step</th><th>Received</th></tr></thead><tbody>
${alerts.map((a) => {
  const steps = a.timeline.filter((e) => e.kind === 'escalated');
  const latest = steps.at(-1);
  return html`<tr><td>${a.tenantId}</td><td>${alertLink(a.alertId, a.title)}</td><td>${steps.length}</td><td>${latest ? `${when(latest.at)}: ${latest.detail}` : 'not paged yet'}</td><td>${when(a.receivedAt)}</td></tr>`;
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
${items.map((o) => html`<tr><td>${when(o.requestedAt, session.language)}</td><td>${o.tenantId}</td><td>${o.description}</td><td>${o.reason}</td><td>${o.requestedBy}</td><td>${o.alertId ? alertLink(o.alertId, o.alertId) : ''}</td></tr>`)}
</tbody></table>`
}`,
  );
}

const fairUsePageSchema = z.object({ month: fairUseQuerySchema.shape.month.optional() }).strict();

export async function fairUsePage(fairUse: FairUse, session: DashboardSession, request: Request, now: Date): Promise<Html> {
  const { month: asked } = parseOrRefuse(fairUsePageSchema, withoutEmpty(request.query));
  const report = await fairUse.report(session.principal, asked ?? monthNow(now));
  return page(
    'Fair use',
    session,
    html`<form method="get" action="/dashboard/fair-use"><label>Month <input name="month" value="${report.month}"></label><button type="submit">Show</button></form>
<p class="note">Incidents per tenant in ${report.month} (German calendar month); above ${report.factor} times the package baseline is flagged for the SOC's management (R15).</p>
<table class="fair-use"><thead><tr><th>Tenant</th><th>Incidents</th><th>Baseline</th><th>Ratio</th><th>Flag</th></tr></thead><tbody>
${report.items.map(
  (row) => html`<tr class="${row.flagged ? 'flagged' : ''}"><td>${row.tenantId}</td><td>${row.incidents}</td><td>${row.baseline}</td><td>${row.ratio}</td><td>${row.flagged ? 'FLAGGED' : ''}</td></tr>`,
)}</tbody></table>`,
  );
}
