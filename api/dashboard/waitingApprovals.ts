/**
 * Playbook actions waiting for an analyst's approval (R8), read through PlaybookRuns (roles and tenant scoping stay
 * there). Runs only wait on incidents ready for response, so the approvals page pages through those alerts.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { ActionRecord } from '../../domain/response/playbookRun';
import type { Principal } from '../../domain/access/roles';
import { listAlertsQuerySchema } from '../alerts/alertSchemas';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../alerts/alertQueries';
import type { PlaybookRuns } from '../playbooks/playbookRuns';
import { num, page, say, severityCell, type DashboardView } from './dashboardLayout';
import { html, query, type Html } from './html';
import { actionInWords } from './triageForms';

export interface WaitingAction {
  alert: AlertStatus;
  runId: string;
  playbook: string;
  action: ActionRecord;
}

export const APPROVAL_PAGE_SIZE = 20;

export async function waitingActions(runs: PlaybookRuns, principal: Principal, alert: AlertStatus): Promise<WaitingAction[]> {
  const running = alert.response.runs.filter((r) => r.state === 'running');
  const found = await Promise.all(
    running.map(async (summary) => {
      const run = await runs.get(principal, alert.alertId, summary.runId);
      return run.actions.filter((a) => a.state === 'awaiting_approval').map((action) => ({ alert, runId: run.runId, playbook: run.playbook.title, action }));
    }),
  );
  return found.flat();
}

const approvalsQuerySchema = listAlertsQuerySchema.pick({ cursor: true });

export async function approvalsPage(deps: { queries: AlertQueries; playbookRuns: PlaybookRuns }, session: DashboardView, request: Request): Promise<Html> {
  const { cursor } = parseOrRefuse(approvalsQuerySchema, request.query);
  const { principal } = session;
  const incidents = await deps.queries.list(principal, { state: 'ready_for_response', limit: APPROVAL_PAGE_SIZE, cursor });
  const waiting = (
    await Promise.all(
      incidents.items.map(async (item) => {
        const alert = await deps.queries.get(principal, item.alertId);
        return waitingActions(deps.playbookRuns, principal, alert);
      }),
    )
  ).flat();
  const t = (key: string, params: Record<string, string | number> = {}) => say(session, `approvals.${key}`, params);
  const next = incidents.nextCursor ? html`<p><a class="more" href="/dashboard/approvals${query({ cursor: incidents.nextCursor })}">${t('more')} →</a></p>` : '';
  return page(
    t('title'),
    session,
    html`<p class="note">${t('note', { count: num(incidents.items.length, session) })}</p>
${waiting.length === 0 ? html`<p class="note">${t('none')}</p>` : approvalForms(session, waiting)}${next}`,
  );
}

export const decisionBodySchema = z.strictObject({
  _csrf: z.string(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(4000).default(''),
});

export function approvalForms(session: DashboardView, waiting: WaitingAction[]): Html {
  const t = (key: string) => say(session, `approvals.${key}`);
  const a = (key: string) => say(session, `alert.${key}`);
  return html`<table class="approvals"><thead><tr><th>${a('severity')}</th><th>${a('tenant')}</th><th>${a('id')}</th><th>${t('run')}</th><th>${t('action')}</th><th>${t('target')}</th><th>${t('decision')}</th></tr></thead><tbody>
${waiting.map((w) => {
  const alertPath = `/dashboard/alerts/${encodeURIComponent(w.alert.alertId)}`;
  return html`<tr><td>${severityCell(w.alert.severity, session)}</td><td>${w.alert.tenantId}</td><td><a href="${alertPath}">${w.alert.title}</a></td>
<td>${w.runId} (${w.playbook})</td><td class="action-words">${actionInWords(w.action, session)}<br><small>${w.action.action} · ${w.action.digest}</small></td><td>${JSON.stringify(w.action.target)}</td>
<td><form method="post" action="${alertPath}/runs/${encodeURIComponent(w.runId)}/decision"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<input type="hidden" name="digest" value="${w.action.digest}"><input name="reason" placeholder="${t('reason')}" aria-label="${t('reason')}">
<button type="submit" name="decision" value="approve">${t('approve')}</button> <button type="submit" name="decision" value="reject">${t('reject')}</button></form></td></tr>`;
})}</tbody></table>`;
}
