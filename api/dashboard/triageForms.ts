/**
 * The analyst's work on one alert in the browser: every decision the REST API has (release, reassign, assessment,
 * IoCs, recommendation, close, playbook start and undo, case notes). Form fields carry the API's field names, so a
 * refusal names the same field in both; the same services (and role checks) decide.
 */
import { z } from 'zod';
import { IOC_FINDINGS, IOC_TYPES, VERDICTS, type AlertStatus } from '../../domain/alertLifecycle';
import type { ActionRecord } from '../../domain/response/playbookRun';
import { SEVERITIES } from '../../domain/severity';
import { may } from '../../domain/access/roles';
import { assessmentSchema, closeSchema, iocsSchema, noteSchema, reassignSchema, recommendationSchema } from '../triage/triageSchemas';
import { languageOfView, postForm, when, type DashboardView } from './dashboardLayout';
import { measureInWords } from '../../domain/i18n/measureWords';
import { message } from '../../domain/i18n/messages';
import { html, type Html } from './html';

const csrf = { _csrf: z.string() };
export const assessmentFormSchema = assessmentSchema.extend(csrf);
export const recommendationFormSchema = recommendationSchema.extend(csrf);
export const closeFormSchema = closeSchema.extend(csrf);
export const noteFormSchema = noteSchema.extend(csrf);
export const reassignFormSchema = reassignSchema.extend(csrf);
/** One indicator per form: the fields of one element of the API's `iocs`. */
export const iocFormSchema = iocsSchema.shape.iocs.element.extend(csrf);
export const playbookFormSchema = z.strictObject({ ...csrf, playbookId: z.string().min(1).max(128) });
export const undoFormSchema = z.strictObject({ ...csrf, reason: z.string().trim().min(1).max(4000) });

/** An action and its target in words, as the analyst approves it (R8): what will be done to what, in the viewer's language. */
export function actionInWords(action: ActionRecord, view: DashboardView): string {
  return measureInWords(languageOfView(view), action);
}

const options = (values: readonly string[], label = (v: string) => v) => values.map((v) => html`<option value="${v}">${label(v)}</option>`);
/** Options whose words come from a catalogue section (`severity`, `verdict`, `iocFinding`); the value stays the API's code. */
const wordOptions = (view: DashboardView, section: string, values: readonly string[]) => options(values, (v) => message(languageOfView(view), `${section}.${v}`));

const WORKING = ['in_triage', 'ready_for_response'];

export function triageForms(session: DashboardView, status: AlertStatus, context: { playbooks: { id: string; title: string }[]; analysts: string[] }): Html | '' {
  if (!may(session.principal, 'triageAlerts') || status.state === 'closed') return '';
  const path = `/dashboard/alerts/${encodeURIComponent(status.alertId)}`;
  const mine = status.triage.assignedAnalyst === session.principal.keyId;
  const working = WORKING.includes(status.state);
  const form = (action: string, body: Html) =>
    html`<form class="triage" method="post" action="${path}/${action}"><input type="hidden" name="_csrf" value="${session.csrfToken}">${body}</form>`;
  const t = (key: string, params: Record<string, string> = {}) => message(session.language ?? 'en', `dashboard.triage.${key}`, params);
  const parts: Html[] = [];
  if (mine && status.state === 'in_triage') parts.push(postForm(session, `${path}/release`, {}, html`<button type="submit">${t('release')}</button>`));
  if (working) {
    const others = context.analysts.filter((a) => a !== status.triage.assignedAnalyst);
    parts.push(form('reassign', html`<label>${t('handTo')} <select name="analyst">${options(others)}</select></label> <button type="submit">${t('reassign')}</button>`));
  }
  if (mine && working) {
    parts.push(
      form(
        'assessment',
        html`<h3>${t('assessment')}</h3><label>${t('finalSeverity')} <select name="severity">${wordOptions(session, 'severity', [...SEVERITIES].reverse())}</select></label>
<label>${t('verdict')} <select name="verdict">${wordOptions(session, 'verdict', VERDICTS)}</select></label><br><label>${t('rationale')}<br><textarea name="rationale" rows="2" cols="80"></textarea></label><br><button type="submit">${t('saveAssessment')}</button>`,
      ),
      form(
        'iocs',
        html`<h3>${t('indicator')}</h3><label>${t('type')} <select name="type">${options(IOC_TYPES)}</select></label> <label>${t('value')} <input name="value" size="40"></label>
<label>${t('finding')} <select name="finding">${wordOptions(session, 'iocFinding', IOC_FINDINGS)}</select></label> <label>${t('note')} <input name="note" size="30"></label> <button type="submit">${t('recordIndicator')}</button>`,
      ),
    );
    if (status.state === 'in_triage') {
      parts.push(form('recommendation', html`<h3>${t('recommendation')}</h3><textarea name="recommendation" rows="3" cols="80"></textarea><br><button type="submit">${t('sendRecommendation')}</button>`));
    }
    if (status.state === 'ready_for_response' && context.playbooks.length > 0) {
      parts.push(
        form('playbooks', html`<h3>${t('playbook')}</h3><select name="playbookId">${context.playbooks.map((p) => html`<option value="${p.id}">${p.title} (${p.id})</option>`)}</select> <button type="submit">${t('startPlaybook')}</button>`),
      );
    }
    parts.push(form('close', html`<h3>${t('close')}</h3><textarea name="summary" rows="2" cols="80"></textarea><br><button type="submit">${t('closeAlert')}</button>`));
  }
  // A dry-run changed nothing: there is nothing to undo.
  for (const run of status.response.runs.filter((r) => r.mode !== 'dry-run' && !['undone', 'undoing', 'closed'].includes(r.state))) {
    if (mine) parts.push(form(`runs/${encodeURIComponent(run.runId)}/undo`, html`<label>${t('undo', { run: run.runId, playbook: run.playbookId })} <input name="reason" size="40"></label> <button type="submit">${t('undoButton', { run: run.runId })}</button>`));
  }
  parts.push(form('notes', html`<h3>${t('caseNote')}</h3><textarea name="text" rows="2" cols="80"></textarea><br><button type="submit">${t('addNote')}</button>`));
  return html`<section class="triage-forms"><h2>${t('title')}</h2>${parts}</section>`;
}

/** The case notes (SOC-internal): shown to the SOC's roles only; a customer's record carries none (R17). */
export function notesTable(status: AlertStatus, session: DashboardView): Html | '' {
  const notes = status.triage.notes ?? [];
  if (notes.length === 0) return '';
  const t = (key: string) => message(session.language ?? 'en', `dashboard.triage.${key}`);
  return html`<h2>${t('notes')}</h2><table class="notes"><thead><tr><th>${t('when')}</th><th>${t('who')}</th><th>${t('note')}</th></tr></thead><tbody>
${notes.map((n) => html`<tr><td>${when(n.at, session)}</td><td>${n.author}</td><td>${n.text}</td></tr>`)}</tbody></table>`;
}
