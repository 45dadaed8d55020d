/**
 * The texts customers receive, in their tenant's language: findings and advice (R6, R8), the final escalation to the
 * management (R19: it asks for a call back and admits nothing), notices before and on reversal of measures (R8),
 * and new leak-check findings (R4). Pure: workflows render them, so the history keeps what was sent.
 */
import type { IocCheck, Verdict } from '../alertLifecycle';
import type { Severity } from '../severity';
import type { Language } from './language';
import { berlinTime, letter, message } from './lazyMessages';

export interface RenderedMessage {
  subject: string;
  body: string;
  language: Language;
}

/** SMS stay short: one provider message of concatenated parts at most. */
const SMS_LIMIT = 600;
const sms = (text: string) => text.slice(0, SMS_LIMIT);

export function findingsMessage(
  language: Language,
  alert: { title: string; alertId: string; receivedAt: string; severity: Severity; verdict: Verdict | null; iocs: readonly IocCheck[]; recommendation: string },
): RenderedMessage & { sms: string } {
  const t = (key: string, params: Record<string, string | number> = {}) => message(language, key, params);
  const severity = t(`severity.${alert.severity}`);
  const iocs = alert.iocs.map((i) => `${i.type} ${i.value} (${t(`iocFinding.${i.finding}`)})`).join('; ');
  const paragraphs = [
    t('findings.intro', { title: alert.title, alertId: alert.alertId, receivedAt: berlinTime(alert.receivedAt, language), severity }),
    ...(alert.verdict ? [t('findings.verdict', { verdict: t(`verdict.${alert.verdict}`) })] : []),
    iocs ? t('findings.iocs', { iocs }) : t('findings.noIocs'),
    t(alert.severity === 'critical' ? 'findings.containment' : 'findings.recommendation', { recommendation: alert.recommendation }),
  ];
  return {
    language,
    subject: t('findings.subject', { severity: severity.toUpperCase(), title: alert.title }),
    body: letter(language, paragraphs),
    sms: sms(t('findings.sms', { severity, title: alert.title, recommendation: alert.recommendation })),
  };
}

/** R19's last step, to the customer's management mobile: a request to call back, no statement about who did what. */
export function managementEscalationMessage(language: Language, alert: { title: string; alertId: string; receivedAt?: string | undefined }): RenderedMessage {
  const params = { title: alert.title, alertId: alert.alertId, receivedAt: alert.receivedAt ? berlinTime(alert.receivedAt, language) : '' };
  const text = message(language, alert.receivedAt ? 'managementEscalation.sms' : 'managementEscalation.smsUndated', params);
  return { language, subject: message(language, 'managementEscalation.subject', params), body: sms(text) };
}

export function measureNoticeMessage(
  language: Language,
  notice: { title: string; alertId: string; severity: Severity; measure: string; playbook: string; version: number; digest: string },
): RenderedMessage & { sms: string } {
  const t = (key: string, params: Record<string, string | number> = {}) => message(language, key, params);
  const severity = t(`severity.${notice.severity}`);
  return {
    language,
    subject: t('measureNotice.subject', { alertId: notice.alertId, measure: notice.measure }),
    body: letter(language, [
      t('measureNotice.intro', { title: notice.title, alertId: notice.alertId, severity }),
      t('measureNotice.measure', { measure: notice.measure }),
      t('measureNotice.playbook', { playbook: notice.playbook, version: notice.version, digest: notice.digest }),
    ]),
    sms: sms(t('measureNotice.sms', { alertId: notice.alertId, measure: notice.measure })),
  };
}

export function undoNoticeMessage(language: Language, notice: { alertId: string; reason: string; measures: readonly string[] }): RenderedMessage {
  return {
    language,
    subject: message(language, 'undoNotice.subject', { alertId: notice.alertId }),
    body: letter(language, [message(language, 'undoNotice.intro', { alertId: notice.alertId, reason: notice.reason }), ...notice.measures.map((m) => `- ${m}`)]),
  };
}

export function leakCheckMessage(language: Language, check: { domain: string; findings: readonly { address: string; breach: string }[] }): RenderedMessage {
  const count = check.findings.length;
  return {
    language,
    subject: message(language, 'leakCheck.subject', { count, domain: check.domain }),
    body: letter(language, [
      message(language, 'leakCheck.intro', { count, domain: check.domain }),
      '',
      ...check.findings.map((f) => `- ${f.address}: ${f.breach}`),
      '',
      message(language, 'leakCheck.advice'),
    ]),
  };
}
