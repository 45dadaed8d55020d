/**
 * R19: what nobody acts on escalates along the tenant's on-call chain, step by step after each step's timeout, and
 * finally to the customer's management mobile number. Every page is recorded. Used for unacknowledged critical
 * incidents and for playbook approvals that nobody decides.
 */
import { timelineText } from '../../domain/i18n/timelineText';
import { condition } from '@temporalio/workflow';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { managementEscalationMessage, type RenderedMessage } from '../../domain/i18n/customerMessages';
import { languageOf } from '../../domain/i18n/language';
import { criticalIncidentPage, socLanguageOf } from '../../domain/i18n/socMessages';
import type { AlertRecord } from '../alertRecord';
import { notifyPerson, type NotificationLog } from './notifyPeople';
import { tellSoc } from './socChannel';
import { announce } from './announce';

const acknowledged = (alert: AlertRecord) => alert.status.triage.assignedAnalyst !== null || alert.state === 'closed';

export async function escalateUntilAcknowledged(alert: AlertRecord): Promise<void> {
  const { subject, body } = criticalIncidentPage(socLanguageOf(alert.input.tenant), alert.status);
  const toManagement = managementEscalationMessage(languageOf(alert.input.tenant.language), alert.status);
  const classification = alert.status.classification;
  announce(alert, 'alert.escalated');
  tellSoc(alert, { kind: 'critical_incident', severity: alert.status.severity, rules: (classification?.matchedRules ?? []).slice(0, 10).map((r) => r.title) });
  await escalateAlongChain(alert, alert.input.tenant.escalation, () => acknowledged(alert), { subject, body, what: 'acknowledgement', toManagement });
}

/** Pages each on-call step until `settled()` holds; returns when it holds or the whole chain (and management) was told. */
export async function escalateAlongChain(
  log: NotificationLog,
  chain: TenantPolicy['escalation'],
  settled: () => boolean,
  /** `subject` and `body` page the SOC's on-call chain; `toManagement` is the customer's text for its management. */
  message: { subject: string; body: string; what: string; toManagement: RenderedMessage },
): Promise<void> {
  if (!chain) return;
  const { subject, body } = message;
  for (const [index, step] of chain.steps.entries()) {
    if (settled()) return;
    log.record('escalated', 'system', timelineText('escalationStep', { step: index + 1, name: step.name, channel: step.channel }));
    tellSoc(log, { kind: 'escalation', severity: null, rules: [], step: index + 1, stepName: step.name });
    await notifyPerson(log, { purpose: 'escalation', channel: step.channel, to: step.to, subject, body, language: socLanguageOf({ escalation: chain }) });
    // A failed page does not wait out its timeout: the next step is paged at once.
    const last = log.status.notifications.at(-1);
    // Whom an answered call hands the incident to when the person presses 1 (phoneCallbacks.ts).
    if (last?.delivered && step.channel === 'voice') last.onCall = step.contact ?? step.name;
    if (last?.delivered && (await condition(settled, step.timeoutMs))) return;
  }
  if (settled()) return;
  log.record('escalated', 'system', timelineText(message.what === 'decision' ? 'noDecision' : 'noAcknowledgement', { name: chain.management.name }));
  await notifyPerson(log, {
    purpose: 'management_escalation',
    channel: 'sms',
    to: chain.management.phone,
    subject: message.toManagement.subject,
    body: message.toManagement.body,
    language: message.toManagement.language,
  });
}
