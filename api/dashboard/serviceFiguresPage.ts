/**
 * Internal service figures on the analysts' page (R5 calendar, nothing promised to customers: the contract has no SLA):
 * the rows of api/alerts/serviceFigures.ts, which the API's /metrics also serves (`soar_service_hours_median_seconds`);
 * the worker records the same per alert as `soar_service_hours_to_step_seconds`.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../alerts/alertQueries';
import { MAX_CLOSED_ALERTS, SERVICE_FIGURE_DAYS, serviceFigureRows } from '../alerts/serviceFigures';
import { num, page, say, type DashboardView } from './dashboardLayout';
import { html, type Html } from './html';

const querySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(SERVICE_FIGURE_DAYS) });

/** Minutes, or hours and minutes, in the viewer's words and number format. */
function duration(seconds: number | null, view: DashboardView): string {
  if (seconds === null) return '–';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return say(view, 'serviceFigures.minutes', { minutes: num(minutes, view) });
  return say(view, 'serviceFigures.hours', { hours: num(Math.floor(minutes / 60), view), minutes: num(minutes % 60, view) });
}

export async function serviceFiguresPage(queries: AlertQueries, session: DashboardView, request: Request, now: Date): Promise<Html> {
  const { days } = parseOrRefuse(querySchema, request.query);
  const closed = await queries.closedSince(session.principal, new Date(now.getTime() - days * 86_400_000), MAX_CLOSED_ALERTS);
  const rows = serviceFigureRows(closed);
  const t = (key: string, params: Record<string, string | number> = {}) => say(session, `serviceFigures.${key}`, params);
  return page(
    t('title'),
    session,
    html`<p class="note">${t('note', { days: num(days, session), max: num(MAX_CLOSED_ALERTS, session) })}</p>
${
  rows.length === 0
    ? html`<p class="note">${t('none')}</p>`
    : html`<table class="service-figures"><thead><tr><th>${say(session, 'alert.tenant')}</th><th>${t('analyst')}</th><th>${t('alerts')}</th><th>${t('toClaim')}</th><th>${t('toRecommendation')}</th><th>${t('toClose')}</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.tenantId}</td><td>${r.analyst}</td><td>${num(r.alerts, session)}</td><td>${duration(r.toClaim, session)}</td><td>${duration(r.toRecommendation, session)}</td><td>${duration(r.toClose, session)}</td></tr>`,
)}</tbody></table>`
}`,
  );
}
