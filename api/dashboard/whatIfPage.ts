/** The what-if page for analysts and admins: a proposed playbook or tenant file, re-decided over a tenant's recorded alerts. */
import { z } from 'zod';
import type { WhatIfQuestions } from '../whatIf/whatIfQuestions';
import type { WhatIfReport } from '../../whatIf/whatIfReport';
import { reportFile } from '../../whatIf/whatIfReport';
import type { DashboardSession } from './dashboardSessions';
import { page } from './dashboardLayout';
import { html, type Html } from './html';

/** The form's fields (rule sets are folders: the command line and POST /v1/what-if take those). */
export const whatIfFormSchema = z.strictObject({
  _csrf: z.string(),
  tenantId: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'a tenant id like mueller-logistik'),
  since: z.string().regex(/^[1-9]\d{0,2}[dh]$/, 'a period like 30d or 12h'),
  kind: z.enum(['playbook', 'tenant']),
  name: z.string().max(70).default(''),
  content: z.string().min(1, 'paste the proposed file').max(15_000),
});

export function whatIfFormPage(session: DashboardSession, tenantIds: readonly string[], report: WhatIfReport | null = null): Html {
  const result = report
    ? html`<h2>${report.alertsDiffering} of ${report.alertsConsidered} recorded alerts would be decided differently</h2>
<table><thead><tr><th>Alert</th><th>Received</th><th>What changes</th></tr></thead><tbody>
${report.differences.map((d) => html`<tr><td><a href="/dashboard/alerts/${encodeURIComponent(d.alertId)}">${d.alertId}</a></td><td>${d.receivedAt}</td><td>${changesOf(d)}</td></tr>`)}
</tbody></table>
<h3>The report file (attach it to the change)</h3><pre class="what-if-report">${reportFile(report)}</pre>`
    : '';
  return page(
    'What-if over recorded alerts',
    session,
    html`<p class="note">Re-decides a tenant's recorded alerts with a proposed playbook or tenant file, without touching any vendor; only differences are listed.</p>
<form method="post" action="/dashboard/what-if"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<p><label>Tenant <select name="tenantId">${tenantIds.map((id) => html`<option value="${id}">${id}</option>`)}</select></label>
<label>Period <input name="since" value="30d" size="5"></label>
<label>Change <select name="kind"><option value="playbook">playbook file</option><option value="tenant">tenant file</option></select></label>
<label>Playbook file name <input name="name" placeholder="block-attacker-ip.yaml" size="30"></label></p>
<p><textarea name="content" rows="16" cols="100" required></textarea></p>
<p><button type="submit">Re-decide</button></p></form>${result}`,
  );
}

function changesOf(d: WhatIfReport['differences'][number]): Html {
  const lines: string[] = [];
  if (d.classification) lines.push(`severity ${d.classification.old.severity} → ${d.classification.new.severity} (${d.classification.new.decidedBy})`);
  if (d.response) lines.push(`response: ${d.response.old} → ${d.response.new}`);
  for (const m of d.measures ?? []) lines.push(`${m.measure}: ${m.old} → ${m.new}`);
  for (const n of d.notifications ?? []) lines.push(`${n.purpose}: ${n.old} → ${n.new}`);
  return html`${lines.map((line) => html`${line}<br>`)}`;
}

export async function askFromForm(whatIf: WhatIfQuestions, session: DashboardSession, form: z.output<typeof whatIfFormSchema>): Promise<WhatIfReport> {
  const change = form.kind === 'playbook' ? { kind: 'playbook' as const, name: form.name, content: form.content } : { kind: 'tenant' as const, content: form.content };
  return whatIf.ask(session.principal, { tenantId: form.tenantId, since: form.since, change });
}
