/**
 * Texts the SOC itself receives from the engine, in German by default like everything else: the monthly fair-use
 * notice to the SOC's management (R15). Pure: the workflow renders it, so the history keeps what was sent.
 */
import type { RenderedMessage } from './customerMessages';
import { FAIR_USE_FACTOR } from '../fairUse';
import type { Language } from './language';
import { message } from './lazyMessages';

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
