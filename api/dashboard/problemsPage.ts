/** Failed and stuck workflows in one place, with the reason (issue 8): the dashboard's view of GET /v1/operations/problems. */
import type { Request } from 'express';
import { problemsQuerySchema } from '../operations/operationsOpenApi';
import { parseOrRefuse } from '../http/validate';
import type { WorkflowProblems } from '../operations/workflowProblems';
import { num, page, say, when, type DashboardView } from './dashboardLayout';
import { html, query, type Html } from './html';

export const PROBLEM_PAGE_SIZE = 25;

const pageQuerySchema = problemsQuerySchema.pick({ cursor: true });

/** An alert's workflow links to its page; a playbook run (`<alertId>.run-<n>`) to its alert's. */
const alertOf = (workflowId: string) => (workflowId.startsWith('alert.') ? workflowId.replace(/\.run-\d+$/, '') : null);

export async function problemsPage(problems: WorkflowProblems, session: DashboardView, request: Request): Promise<Html> {
  const { cursor } = parseOrRefuse(pageQuerySchema, request.query);
  const found = await problems.list(session.principal, { limit: PROBLEM_PAGE_SIZE, cursor });
  const t = (key: string, params: Record<string, string | number> = {}) => say(session, `problems.${key}`, params);
  const next = found.nextCursor ? html`<p><a class="more" href="/dashboard/problems${query({ cursor: found.nextCursor })}">${say(session, 'list.more')} →</a></p>` : '';
  return page(
    t('title'),
    session,
    html`<p class="note">${t('note', { count: num(found.scanned, session) })}</p>
${
  found.items.length === 0
    ? html`<p class="note">${t('none')}</p>`
    : html`<table class="problems"><thead><tr><th>${t('kind')}</th><th>${say(session, 'alert.tenant')}</th><th>${t('workflow')}</th><th>${t('reason')}</th><th>${t('activity')}</th><th>${t('since')}</th></tr></thead><tbody>
${found.items.map((p) => {
  const alertId = alertOf(p.workflowId);
  const workflow = alertId ? html`<a href="/dashboard/alerts/${encodeURIComponent(alertId)}">${p.workflowId}</a>` : p.workflowId;
  const activity = p.activityType ? t('attempt', { activity: p.activityType, attempt: p.attempt ?? '?' }) : '';
  return html`<tr><td data-kind="${p.kind}">${say(session, `problemKind.${p.kind}`)}</td><td>${p.tenantId ?? ''}</td><td>${workflow}</td><td>${p.reason}</td><td>${activity}</td><td>${when(p.since, session)}</td></tr>`;
})}</tbody></table>`
}${next}`,
  );
}
