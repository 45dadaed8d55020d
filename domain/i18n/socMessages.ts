/**
 * Texts the SOC itself receives from the engine, in the SOC's language (SOAR_SOC_LANGUAGE, German by default): the
 * monthly fair-use notice to the SOC's management (R15) and the pages to the on-call chain (R19: a critical incident
 * nobody took, an approval nobody decided, a measure or a customer notification that failed, an alert that expired
 * unworked). Pure: the workflow renders them, so the history keeps what was sent.
 */
import type { RenderedMessage } from './customerMessages';
import { FAIR_USE_FACTOR } from '../fairUse';
import { languageOf, type Language } from './language';
import type { TenantPolicy } from '../tenantPolicy';
import { message } from './lazyMessages';
import { measureInWords } from './measureWords';
import type { ActionName } from '../response/actionCatalog';
import type { ResolvedTarget } from '../response/targets';
import type { Severity } from '../severity';

const LOCALES: Readonly<Record<Language, string>> = { de: 'de-DE', en: 'en-GB' };

/** `2027-01` as `Januar 2027` (`January 2027`). */
function monthName(month: string, language: Language): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(LOCALES[language], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, mon - 1, 15)));
}

export function fairUseNoticeMessage(
  language: Language,
  notice: { tenantId: string; name: string; month: string; incidents: number; baseline: number },
): RenderedMessage {
  const ratio = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 }).format(notice.incidents / notice.baseline);
  const params = { ...notice, ratio, factor: FAIR_USE_FACTOR, monthName: monthName(notice.month, language) };
  const t = (key: string) => message(language, `fairUse.${key}`, params);
  return {
    language,
    subject: t('subject'),
    body: [t('greeting'), '', t('intro'), '', t('policy'), '', t('once'), '', t('closing')].join('\n'),
  };
}

/** The language the SOC's on-call chain is paged in (SOAR_SOC_LANGUAGE); German for inputs recorded before it was kept. */
export function socLanguageOf(tenant: Pick<TenantPolicy, 'escalation'>): Language {
  return languageOf(tenant.escalation?.language);
}

/** A page's subject and body from `socPage.<name>Subject` and `socPage.<name>Body`. */
function page(language: Language, name: string, params: Record<string, string | number>): RenderedMessage {
  return { language, subject: message(language, `socPage.${name}Subject`, params), body: message(language, `socPage.${name}Body`, params) };
}

/** R19: a critical incident nobody has taken yet. */
export function criticalIncidentPage(language: Language, alert: { tenantId: string; alertId: string; title: string }): RenderedMessage {
  return page(language, 'critical', alert);
}

interface PagedMeasure {
  action: ActionName;
  target: ResolvedTarget;
  subject?: ResolvedTarget | null;
}
const inWords = (language: Language, m: PagedMeasure) => measureInWords(language, { action: m.action, target: m.target, subject: m.subject ?? null });

/** R8, R19: a measure waits for an analyst's approval longer than the tenant's approval time. */
export function approvalWaitingPage(language: Language, run: { tenantId: string; alertId: string; playbook: string; digest: string } & PagedMeasure): RenderedMessage {
  const { tenantId, alertId, playbook, digest, action } = run;
  return page(language, 'approval', { tenantId, alertId, playbook, digest, action, measure: inWords(language, run) });
}

/** A vendor refused a measure for good: the first on-call step takes over by hand. */
export function measureFailedPage(language: Language, run: { tenantId: string; alertId: string; reason: string } & PagedMeasure): RenderedMessage {
  const { tenantId, alertId, reason, action } = run;
  return page(language, 'measureFailed', { tenantId, alertId, reason, action, measure: inWords(language, run) });
}

/** R8: a notification to the customer failed for good; the first on-call step reaches the customer by other means. */
export function deliveryFailedPage(language: Language, alert: { tenantId: string; alertId: string; title: string; recipients: readonly string[] }): RenderedMessage {
  return page(language, 'deliveryFailed', { tenantId: alert.tenantId, alertId: alert.alertId, title: alert.title, recipients: alert.recipients.join(', ') });
}

/** R14: an alert nobody closed is past the tenant's retention and was closed for deletion. */
export function expiredUnworkedPage(language: Language, alert: { tenantId: string; alertId: string; title: string; severity: Severity | null; retentionDays: number }): RenderedMessage {
  const { tenantId, alertId, title, retentionDays } = alert;
  return page(language, 'expired', { tenantId, alertId, title, retentionDays, severity: message(language, alert.severity ? `severity.${alert.severity}` : 'socPage.unclassified') });
}
