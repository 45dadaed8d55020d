/**
 * Analyst triage as Updates (R2, R6, R7, R8): claim, assess, IoCs, recommendation, close. Each validator refuses
 * what does not fit the alert's state or the caller, and a refused update leaves no trace in history.
 */
import { timelineText } from '../../domain/i18n/timelineText';
import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import { localWork } from '../activityProfiles';
import type { AlertState, ServiceFigures } from '../../domain/alertLifecycle';
import { nextServiceOpening } from '../../domain/calendar/serviceCalendar';
import { serviceMsBetween } from '../../domain/calendar/serviceTime';
import { responseDecision } from '../../domain/response/responsePolicy';
import { findingsMessage } from '../../domain/i18n/customerMessages';
import { languageOf } from '../../domain/i18n/language';
import { deliveryFailedPage, socLanguageOf } from '../../domain/i18n/socMessages';
import type { AlertRecord } from '../alertRecord';
import {
  addNoteUpdate,
  assessAlertUpdate,
  reassignAlertUpdate,
  releaseAlertUpdate,
  claimAlertUpdate,
  closeAlertUpdate,
  recommendUpdate,
  recordIocsUpdate,
  type Actor,
} from '../messages';
import { notifyPerson } from './notifyPeople';
import { announce } from './announce';

const { refreshDashboard } = proxyActivities<AlertActivities>(localWork);

const DAY_MS = 86_400_000;
/** Patch: a recommendation given outside service hours leads to response when service opens (R9). */
const READY_WHEN_SERVICE_OPENS = 'ready-for-response-when-service-opens';

/** Thrown by a validator: the update is refused with this message. */
class RefusedError extends Error {
  override name = 'RefusedError';
}

/** Internal service figures (no SLA): seconds in the tenant's service hours since the alert came in, set once per step. */
export function countServiceTime(alert: AlertRecord, step: keyof ServiceFigures): void {
  const figures = (alert.status.serviceFigures ??= { toClaimSeconds: null, toRecommendationSeconds: null, toCloseSeconds: null });
  if (figures[step] !== null) return;
  const ms = serviceMsBetween(alert.input.tenant.terms, new Date(alert.status.receivedAt), new Date(), alert.status.severity ?? 'medium');
  figures[step] = Math.round(ms / 1000);
}

function requireState(alert: AlertRecord, allowed: readonly AlertState[], action: string): void {
  if (!allowed.includes(alert.state)) throw new RefusedError(`Cannot ${action}: the alert is '${alert.state}' (allowed in ${allowed.join(', ')})`);
}

function requireAssignee(alert: AlertRecord, analyst: Actor): void {
  const assigned = alert.status.triage.assignedAnalyst;
  if (assigned !== analyst.id) throw new RefusedError(`Only the assigned analyst (${assigned ?? 'nobody'}) may do this`);
}

function requireText(value: string, field: string, max: number): void {
  if (value.trim().length === 0 || value.length > max) throw new RefusedError(`${field} must be 1-${max} characters`);
}

const WORKING: readonly AlertState[] = ['in_triage', 'ready_for_response'];
/** Bounds the record (and the history) of a long case. */
const MAX_NOTES = 200;

export function registerTriageHandlers(alert: AlertRecord, response: { mayClose(): boolean }): void {
  setHandler(
    claimAlertUpdate,
    ({ analyst }) => {
      alert.assign(analyst.id);
      alert.enter('in_triage');
      countServiceTime(alert, 'toClaimSeconds');
      alert.record('claimed', `analyst:${analyst.id}`, timelineText('claimed'));
      return alert.status;
    },
    { validator: ({ analyst }) => requireState(alert, ['awaiting_triage'], `claim (${analyst.id})`) },
  );

  setHandler(
    releaseAlertUpdate,
    ({ analyst }) => {
      alert.unassign();
      alert.enter('awaiting_triage');
      alert.record('released', `analyst:${analyst.id}`, timelineText('released'));
      return alert.status;
    },
    {
      validator: ({ analyst }) => {
        requireState(alert, ['in_triage'], 'release');
        requireAssignee(alert, analyst);
      },
    },
  );

  setHandler(
    reassignAlertUpdate,
    ({ analyst, to }) => {
      const from = alert.status.triage.assignedAnalyst;
      alert.assign(to);
      alert.record('reassigned', `analyst:${analyst.id}`, from === null ? timelineText('reassignedFromNobody', { to }) : timelineText('reassigned', { from, to }));
      return alert.status;
    },
    {
      validator: ({ to }) => {
        requireState(alert, WORKING, 'reassign');
        requireText(to, 'to', 200);
        if (alert.status.triage.assignedAnalyst === to) throw new RefusedError(`The alert is already assigned to ${to}`);
      },
    },
  );

  setHandler(
    addNoteUpdate,
    ({ analyst, text }) => {
      const note = { at: new Date().toISOString(), author: analyst.id, text };
      alert.status.triage.notes = [...(alert.status.triage.notes ?? []), note];
      alert.record('noted', `analyst:${analyst.id}`, text);
      return alert.status;
    },
    {
      validator: ({ text }) => {
        if (alert.state === 'closed') throw new RefusedError('Cannot add a note: the alert is closed');
        requireText(text, 'text', 4000);
        if ((alert.status.triage.notes ?? []).length >= MAX_NOTES) throw new RefusedError(`An alert keeps at most ${MAX_NOTES} notes`);
      },
    },
  );

  setHandler(
    assessAlertUpdate,
    ({ analyst, severity, verdict, rationale }) => {
      const previous = alert.status.classification;
      alert.classify({
        severity,
        decidedBy: { kind: 'analyst', analyst: analyst.id, verdict, rationale },
        matchedRules: previous?.matchedRules ?? [],
        ruleSetVersion: previous?.ruleSetVersion ?? '',
      });
      alert.status.triage.verdict = verdict;
      alert.record('assessed', `analyst:${analyst.id}`, timelineText('assessed', { severity, verdict, rationale }));
      return alert.status;
    },
    {
      validator: ({ analyst, rationale }) => {
        requireState(alert, WORKING, 'assess');
        requireAssignee(alert, analyst);
        requireText(rationale, 'rationale', 4000);
      },
    },
  );

  setHandler(
    recordIocsUpdate,
    ({ analyst, iocs }) => {
      alert.status.triage.iocs.push(...iocs);
      const findings = iocs.map((i) => `${i.type} ${i.value}: ${i.finding}`).join('; ');
      alert.record('iocs_checked', `analyst:${analyst.id}`, timelineText('iocsChecked', { count: iocs.length, findings }));
      return alert.status;
    },
    {
      validator: ({ analyst, iocs }) => {
        requireState(alert, WORKING, 'record IoCs');
        requireAssignee(alert, analyst);
        if (iocs.length === 0 || iocs.length > 200) throw new RefusedError('iocs must list 1-200 checked indicators');
      },
    },
  );

  setHandler(
    recommendUpdate,
    async ({ analyst, recommendation }) => {
      alert.status.triage.recommendation = recommendation;
      countServiceTime(alert, 'toRecommendationSeconds');
      alert.record('recommended', `analyst:${analyst.id}`, recommendation);
      await tellContacts(alert, recommendation);
      const decision = responseDecision(alert.input.tenant, alert.severity, new Date(), alert.customerOrder);
      if (decision.allowed) {
        alert.enter('ready_for_response');
        alert.record('ready_for_response', `analyst:${analyst.id}`, timelineText('readyForResponse', { reason: decision.because }));
      } else if (decision.rule === 'R9' && alert.status.nextWakeAt !== null) {
        alert.record('recommended', 'system', timelineText('alreadyWaiting', { reason: decision.because }));
      } else if (decision.rule === 'R9' && patched(READY_WHEN_SERVICE_OPENS)) {
        // Not awaited: the update answers now; the customer was told once, above, and is not mailed again.
        void readyWhenServiceOpens(alert, analyst.id);
      } else {
        alert.record('recommended', 'system', timelineText('noResponse', { reason: decision.because }));
      }
      await refreshDashboard({ status: { ...alert.status } });
      return alert.status;
    },
    {
      validator: ({ analyst, recommendation }) => {
        requireState(alert, ['in_triage'], 'recommend');
        requireAssignee(alert, analyst);
        if (!alert.status.triage.verdict) throw new RefusedError('Assess the alert (final severity and verdict) before recommending');
        requireText(recommendation, 'recommendation', 8000);
      },
    },
  );

  setHandler(
    closeAlertUpdate,
    async ({ analyst, summary }) => {
      alert.status.triage.summary = summary;
      alert.status.triage.closedAt = new Date().toISOString();
      alert.enter('closed');
      countServiceTime(alert, 'toCloseSeconds');
      alert.record('closed', `analyst:${analyst.id}`, summary);
      announce(alert, 'alert.closed', { verdict: alert.status.triage.verdict, summary });
      await refreshDashboard({ status: { ...alert.status } });
      return alert.status;
    },
    {
      validator: ({ analyst, summary }) => {
        requireState(alert, WORKING, 'close');
        requireAssignee(alert, analyst);
        if (!response.mayClose()) throw new RefusedError('A playbook run is still carrying out or undoing measures: close the alert when it has ended');
        if (!alert.status.triage.verdict) throw new RefusedError('Assess the alert (final severity and verdict) before closing it');
        requireText(summary, 'summary', 8000);
      },
    },
  );
}

/**
 * R9: a recommendation given after hours (a critical incident at 17:05) leads to response when service opens: the
 * alert waits visibly (nextWakeAt) and enters ready_for_response by itself, unless it is closed or reassessed first.
 */
async function readyWhenServiceOpens(alert: AlertRecord, analystId: string): Promise<void> {
  for (;;) {
    const now = new Date();
    const decision = responseDecision(alert.input.tenant, alert.severity, now, alert.customerOrder);
    if (decision.allowed) {
      alert.wakeAt(null);
      alert.enter('ready_for_response');
      alert.record('ready_for_response', `analyst:${analystId}`, timelineText('readyForResponse', { reason: decision.because }));
      await refreshDashboard({ status: { ...alert.status } });
      return;
    }
    if (decision.rule !== 'R9') {
      alert.wakeAt(null);
      alert.record('recommended', 'system', timelineText('noResponse', { reason: decision.because }));
      return;
    }
    const opens = nextServiceOpening(alert.input.tenant.terms, now, alert.severity) ?? new Date(now.getTime() + DAY_MS);
    if (alert.status.nextWakeAt === null) alert.record('recommended', 'system', timelineText('responseWhenServiceOpens', { reason: decision.because, opensAt: opens.toISOString() }));
    alert.wakeAt(opens);
    await refreshDashboard({ status: { ...alert.status } });
    // A durable timer; closing the alert ends the wait.
    if (await condition(() => alert.state !== 'in_triage', opens.getTime() - now.getTime())) {
      alert.wakeAt(null);
      return;
    }
  }
}

/** R6, R8: findings and the recommendation go to the named contacts for this severity; critical ones also by phone to management. */
async function tellContacts(alert: AlertRecord, recommendation: string): Promise<void> {
  const severity = alert.severity;
  const critical = severity === 'critical';
  const purpose = critical ? 'containment_advice' : 'findings';
  const { status } = alert;
  const text = findingsMessage(languageOf(alert.input.tenant.language), { ...status, severity, verdict: status.triage.verdict, iocs: status.triage.iocs, recommendation });
  const { subject, body, language } = text;
  const failed: string[] = [];
  for (const contact of alert.input.tenant.contacts.filter((c) => c.notify.includes(severity))) {
    if (!(await notifyPerson(alert, { purpose, channel: 'email', to: contact.email, subject, body, language }))) failed.push(contact.email);
  }
  if (critical) {
    for (const contact of alert.input.tenant.contacts.filter((c) => c.role === 'management' && c.mobile && c.phone)) {
      const sms = { purpose, channel: 'sms', to: contact.phone ?? '', subject, body: text.sms, language } as const;
      if (!(await notifyPerson(alert, sms))) failed.push(contact.phone ?? contact.name);
    }
  }
  if (failed.length > 0) await escalateFailedDelivery(alert, failed);
}

/** A notification that finally failed is never dropped: the SOC's first on-call step is told to reach the customer by hand. */
async function escalateFailedDelivery(alert: AlertRecord, recipients: string[]): Promise<void> {
  const first = alert.input.tenant.escalation?.steps[0];
  alert.record('escalated', 'system', first ? timelineText('deliveryFailedTelling', { recipients: recipients.join(', '), name: first.name }) : timelineText('deliveryFailedNoStep', { recipients: recipients.join(', ') }));
  if (!first) return;
  const language = socLanguageOf(alert.input.tenant);
  const { subject, body } = deliveryFailedPage(language, { ...alert.status, recipients });
  await notifyPerson(alert, { purpose: 'escalation', channel: first.channel, to: first.to, subject, body, language });
}
