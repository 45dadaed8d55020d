/**
 * The alert list (tiered by severity, critical first; filtered and paged server-side through Temporal visibility) and
 * one alert's page: state, next wake-up, recommendation, timeline, playbook runs, and the analyst's actions on it.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { ALERT_STATES, type AlertStatus } from '../../domain/alertLifecycle';
import { SEVERITIES, type Severity } from '../../domain/severity';
import { message } from '../../domain/i18n/messages';
import { may } from '../../domain/access/roles';
import { listAlertsQuerySchema } from '../alerts/alertSchemas';
import { parseOrRefuse } from '../http/validate';
import type { AlertQueries } from '../alerts/alertQueries';
import type { AlertSummary } from '../alerts/alertSummary';
import type { PlaybookRuns } from '../playbooks/playbookRuns';
import type { DashboardSession } from './dashboardSessions';
import { page, postForm, say, severityCell, stateLabel, when, type DashboardView } from './dashboardLayout';
import { timelineDetail } from './timelineText';
import { html, query, type Html } from './html';
import { approvalForms, waitingActions } from './waitingApprovals';
import { evidenceSection } from './evidenceSection';
import { enrichmentSection } from './enrichmentSection';
import { notesTable, triageForms } from './triageForms';
import { requireTenantInScope } from '../../domain/access/tenantScope';

/** Rows of a filtered page, and of each severity tier on the unfiltered first page (4 tiers: 40 rows). */
export const PAGE_SIZE = 25;
export const TIER_SIZE = 10;
const CRITICAL_FIRST = [...SEVERITIES].reverse();

export const alertFilterSchema = listAlertsQuerySchema.omit({ limit: true });
export type AlertFilter = z.output<typeof alertFilterSchema>;

/** HTML forms send an unset select as an empty value: absent, for the schema. */
export function withoutEmpty(values: Request['query']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}

interface Section {
  title: string;
  items: AlertSummary[];
  more: string | null;
}

export async function alertListPage(deps: { queries: AlertQueries; tenantIds: string[] }, session: DashboardView, request: Request): Promise<Html> {
  const filter = parseOrRefuse(alertFilterSchema, withoutEmpty(request.query));
  const { principal } = session;
  if (filter.tenantId !== undefined) requireTenantInScope(principal, filter.tenantId); // another tenant: the 404 page (R17)
  const keep = { tenantId: filter.tenantId, state: filter.state };
  let sections: Section[];
  if (filter.severity || filter.cursor) {
    const found = await deps.queries.list(principal, { ...filter, limit: PAGE_SIZE });
    const more = found.nextCursor ? `/dashboard/alerts${query({ ...keep, severity: filter.severity, cursor: found.nextCursor })}` : null;
    sections = [{ title: filter.severity ? severityName(session, filter.severity) : say(session, 'alerts'), items: found.items, more }];
  } else {
    sections = await Promise.all(
      CRITICAL_FIRST.map(async (severity: Severity) => {
        const found = await deps.queries.list(principal, { ...keep, severity, limit: TIER_SIZE });
        return { title: severityName(session, severity), items: found.items, more: found.nextCursor ? `/dashboard/alerts${query({ ...keep, severity })}` : null };
      }),
    );
  }
  const wakes = await nextWakes(deps.queries, session, sections.flatMap((s) => s.items));
  const crossTenant = principal.tenantId === null;
  const option = (value: string, selected: string | undefined, label = value) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
  const filters = html`<form method="get" action="/dashboard/alerts">
${crossTenant ? html`<label>${say(session, 'alert.tenant')} <select name="tenantId"><option value="">${say(session, 'list.all')}</option>${deps.tenantIds.map((t) => option(t, filter.tenantId))}</select></label>` : ''}
<label>${say(session, 'alert.severity')} <select name="severity"><option value="">${say(session, 'list.allTiered')}</option>${CRITICAL_FIRST.map((s) => option(s, filter.severity, severityName(session, s)))}</select></label>
<label>${say(session, 'alert.state')} <select name="state"><option value="">${say(session, 'list.all')}</option>${ALERT_STATES.map((s) => option(s, filter.state, stateLabel(s, session)))}</select></label>
<button type="submit">${say(session, 'list.show')}</button></form>`;
  const table = (section: Section) => html`<section class="tier"><h2>${section.title}</h2>
${
  section.items.length === 0
    ? html`<p class="note">${say(session, 'list.noneHere')}</p>`
    : html`<table><thead><tr><th>${say(session, 'alert.severity')}</th><th>${say(session, 'list.alert')}</th>${crossTenant ? html`<th>${say(session, 'alert.tenant')}</th>` : ''}<th>${say(session, 'alert.state')}</th><th>${say(session, 'list.nextWake')}</th><th>${say(session, 'list.received')}</th></tr></thead><tbody>
${section.items.map(
  (a) => html`<tr><td>${severityCell(a.severity, session)}</td><td><a href="/dashboard/alerts/${encodeURIComponent(a.alertId)}">${a.title || a.alertId}</a></td>${
    crossTenant ? html`<td>${a.tenantId}</td>` : ''
  }<td data-state="${a.state ?? ''}">${stateLabel(a.state, session)}</td><td>${when(wakes.get(a.alertId), session)}</td><td>${when(a.receivedAt, session)}</td></tr>`,
)}</tbody></table>`
}
${section.more ? html`<p><a class="more" href="${section.more}">${say(session, 'list.more')}: ${section.title} →</a></p>` : ''}</section>`;
  return page(say(session, 'alerts'), session, html`${filters}${sections.map(table)}`);
}

/** R5: the next wake-up of the alerts on this page that wait for support hours (read from each one's state; bounded by the page). */
async function nextWakes(queries: AlertQueries, session: DashboardSession, items: AlertSummary[]): Promise<Map<string, string | null>> {
  const waiting = items.filter((a) => a.state === 'awaiting_support_hours');
  const found = await Promise.all(
    waiting.map((a) =>
      queries.get(session.principal, a.alertId).then(
        (status) => [a.alertId, status.nextWakeAt] as const,
        () => [a.alertId, null] as const,
      ),
    ),
  );
  return new Map(found);
}

export async function alertDetailPage(
  deps: { queries: AlertQueries; playbookRuns: PlaybookRuns; keys: { analysts(): string[] } },
  session: DashboardView,
  alertId: string,
): Promise<Html> {
  const status = await deps.queries.detail(session.principal, alertId);
  const { principal } = session;
  const waiting = may(principal, 'approveActions') ? await waitingActions(deps.playbookRuns, principal, status) : [];
  const mayClaim = may(principal, 'triageAlerts') && status.state === 'awaiting_triage' && status.triage.assignedAnalyst === null;
  const path = `/dashboard/alerts/${encodeURIComponent(status.alertId)}`;
  return page(
    status.title || status.alertId,
    session,
    html`<dl>
<dt>${say(session, 'alert.id')}</dt><dd>${status.alertId}</dd>
<dt>${say(session, 'alert.tenant')}</dt><dd>${status.tenantId}</dd>
<dt>${say(session, 'alert.severity')}</dt><dd>${severityCell(status.severity, session)}</dd>
<dt>${say(session, 'alert.state')}</dt><dd class="state" data-state="${status.state}">${stateLabel(status.state, session)}</dd>
<dt>${say(session, 'alert.nextWake')}</dt><dd class="next-wake">${status.nextWakeAt ? when(status.nextWakeAt, session) : say(session, 'alert.none')}</dd>
<dt>${say(session, 'alert.source')}</dt><dd>${status.source}</dd>
<dt>${say(session, 'alert.observed')}</dt><dd>${when(status.observedAt, session)}</dd>
<dt>${say(session, 'alert.received')}</dt><dd>${when(status.receivedAt, session)}</dd>
<dt>${say(session, 'alert.analyst')}</dt><dd class="analyst">${status.triage.assignedAnalyst ?? say(session, 'alert.nobody')}</dd>
</dl>
${mayClaim ? postForm(session, `${path}/claim`, {}, html`<button type="submit">${say(session, 'alert.claim')}</button>`) : ''}
${triageForms(session, status, { playbooks: may(principal, 'runPlaybooks') ? await deps.playbookRuns.catalogue(principal) : [], analysts: deps.keys.analysts() })}
${evidenceSection(status.evidence, session)}
${enrichmentSection(session, status)}
<h2>${say(session, 'alert.recommendation')}</h2>
<p class="recommendation">${status.triage.recommendation ?? say(session, 'alert.noRecommendation')}</p>
${status.triage.summary ? html`<h2>${say(session, 'alert.summary')}</h2><p>${status.triage.summary}</p>` : ''}
${iocTable(status, session)}
${notesTable(status, session)}
${runTable(status, session)}
${waiting.length > 0 ? html`<h2>${say(session, 'alert.waiting')}</h2>${approvalForms(session, waiting)}` : ''}
<h2>${say(session, 'alert.timeline')}</h2>
<table class="timeline"><thead><tr><th>${say(session, 'alert.when')}</th><th>${say(session, 'alert.what')}</th><th>${say(session, 'alert.who')}</th><th>${say(session, 'alert.detail')}</th></tr></thead><tbody>
${status.timeline.map((e) => html`<tr data-kind="${e.kind}"><td>${when(e.at, session)}</td><td>${say(session, `timeline.${e.kind}`)}</td><td>${e.actor}</td><td>${timelineDetail(e, session)}</td></tr>`)}
</tbody></table>`,
  );
}

function iocTable(status: AlertStatus, view: DashboardView): Html | '' {
  if (status.triage.iocs.length === 0) return '';
  const t = (key: string) => say(view, `triage.${key}`);
  const language = view.language ?? 'en';
  return html`<h2>${say(view, 'alert.iocs')}</h2><table class="iocs"><thead><tr><th>${t('type')}</th><th>${t('value')}</th><th>${t('finding')}</th><th>${t('note')}</th></tr></thead><tbody>
${status.triage.iocs.map((i) => html`<tr><td>${i.type}</td><td>${i.value}</td><td data-finding="${i.finding}">${message(language, `iocFinding.${i.finding}`)}</td><td>${i.note}</td></tr>`)}</tbody></table>`;
}

function runTable(status: AlertStatus, view: DashboardView): Html | '' {
  if (status.response.runs.length === 0) return '';
  const t = (key: string) => say(view, `alert.${key}`);
  return html`<h2>${t('runs')}</h2><table class="runs"><thead><tr><th>${t('run')}</th><th>${t('playbook')}</th><th>${t('startedBy')}</th><th>${t('started')}</th><th>${t('state')}</th></tr></thead><tbody>
${status.response.runs.map((r) => html`<tr><td>${r.runId}</td><td>${r.playbookId} v${r.version}${r.mode === 'dry-run' ? html` <strong data-mode="dry-run">${t('dryRun')}</strong>` : ''}</td><td>${r.startedBy}</td><td>${when(r.startedAt, view)}</td><td data-state="${r.state}">${say(view, `runState.${r.state}`)}</td></tr>`)}
</tbody></table>`;
}

/** A severity's name in the viewer's language (the tiers' headings). */
function severityName(session: DashboardView, severity: Severity): string {
  return message(session.language ?? 'en', `severity.${severity}`);
}
