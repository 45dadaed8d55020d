/** Failed and stuck workflows in one place, with the reason (issue 8): the dashboard's view of GET /v1/operations/problems. */
import type { Request } from 'express';
import { problemsQuerySchema } from '../http/operationsOpenApi';
import { parseOrRefuse } from '../http/validate';
import type { WorkflowProblems } from '../services/workflowProblems';
import type { DashboardSession } from './dashboardSessions';
import { page, when } from './dashboardLayout';
import { html, query, type Html } from './html';

export const PROBLEM_PAGE_SIZE = 25;

const pageQuerySchema = problemsQuerySchema.pick({ cursor: true });

/** An alert's workflow links to its page; a playbook run (`<alertId>.run-<n>`) to its alert's. */
const alertOf = (workflowId: string) => (workflowId.startsWith('alert.') ? workflowId.replace(/\.run-\d+$/, '') : null);

export async function problemsPage(problems: WorkflowProblems, session: DashboardSession, request: Request): Promise<Html> {
  const { cursor } = parseOrRefuse(pageQuerySchema, request.query);
  const found = await problems.list(session.principal, { limit: PROBLEM_PAGE_SIZE, cursor });
  const next = found.nextCursor ? html`<p><a class="more" href="/dashboard/problems${query({ cursor: found.nextCursor })}">More →</a></p>` : '';
  return page(
    'Failed and stuck workflows',
    session,
    html`<p class="note">Alerts and playbook runs that failed, were terminated or timed out, then running ones whose activity keeps retrying or whose workflow task keeps failing. ${found.scanned} workflows looked at on this page.</p>
${
  found.items.length === 0
    ? html`<p class="note">No problem on this page.</p>`
    : html`<table class="problems"><thead><tr><th>Kind</th><th>Tenant</th><th>Workflow</th><th>Reason</th><th>Activity</th><th>Since</th></tr></thead><tbody>
${found.items.map((p) => {
  const alertId = alertOf(p.workflowId);
  const workflow = alertId ? html`<a href="/dashboard/alerts/${encodeURIComponent(alertId)}">${p.workflowId}</a>` : p.workflowId;
  const activity = p.activityType ? `${p.activityType} (attempt ${p.attempt ?? '?'})` : '';
  return html`<tr><td>${p.kind}</td><td>${p.tenantId ?? ''}</td><td>${workflow}</td><td>${p.reason}</td><td>${activity}</td><td>${when(p.since)}</td></tr>`;
})}</tbody></table>`
}${next}`,
  );
}
