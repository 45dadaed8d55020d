/**
 * Playbook actions waiting for an analyst's approval (R8), read through PlaybookRuns (roles and tenant scoping stay
 * there). Runs only wait on incidents ready for response, so the approvals page pages through those alerts.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { ActionRecord } from '../../domain/response/playbookRun';
import type { Principal } from '../../domain/access/roles';
import { listAlertsQuerySchema } from '../http/schemas';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../services/alertQueries';
import type { PlaybookRuns } from '../services/playbookRuns';
import type { DashboardSession } from './dashboardSessions';
import { page, severityCell } from './dashboardLayout';
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

export async function approvalsPage(deps: { queries: AlertQueries; playbookRuns: PlaybookRuns }, session: DashboardSession, request: Request): Promise<Html> {
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
  const next = incidents.nextCursor ? html`<p><a class="more" href="/dashboard/approvals${query({ cursor: incidents.nextCursor })}">More incidents →</a></p>` : '';
  return page(
    'Approvals waiting',
    session,
    html`<p class="note">Actions of running playbooks on the incidents ready for response (${incidents.items.length} on this page) that wait for an approval bound to their digest (R8).</p>
${waiting.length === 0 ? html`<p class="note">Nothing waits for an approval.</p>` : approvalForms(session, waiting)}${next}`,
  );
}

export const decisionBodySchema = z.strictObject({
  _csrf: z.string(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(4000).default(''),
});

export function approvalForms(session: DashboardSession, waiting: WaitingAction[]): Html {
  return html`<table class="approvals"><thead><tr><th>Severity</th><th>Tenant</th><th>Alert</th><th>Run</th><th>Action</th><th>Target</th><th>Decision</th></tr></thead><tbody>
${waiting.map((w) => {
  const alertPath = `/dashboard/alerts/${encodeURIComponent(w.alert.alertId)}`;
  return html`<tr><td>${severityCell(w.alert.severity)}</td><td>${w.alert.tenantId}</td><td><a href="${alertPath}">${w.alert.title}</a></td>
<td>${w.runId} (${w.playbook})</td><td class="action-words">${actionInWords(w.action)}<br><small>${w.action.action} · ${w.action.digest}</small></td><td>${JSON.stringify(w.action.target)}</td>
<td><form method="post" action="${alertPath}/runs/${encodeURIComponent(w.runId)}/decision"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<input type="hidden" name="digest" value="${w.action.digest}"><input name="reason" placeholder="reason" aria-label="reason">
<button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="reject">Reject</button></form></td></tr>`;
})}</tbody></table>`;
}
