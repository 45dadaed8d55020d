/**
 * What customers receive and read, in their tenant's language: the message catalogues `de.json` and `en.json`
 * (i18next), times in Europe/Berlin with the zone shown (Intl). Pure and synchronous, so workflows render their
 * notifications themselves and the history records the exact text that was sent (R18).
 */
import i18next, { type i18n } from 'i18next';
import de from './de.json';
import en from './en.json';
import type { Language } from './language';

export { DEFAULT_LANGUAGE, LANGUAGES, languageOf, type Language } from './language';

export const CATALOGUES: Readonly<Record<Language, object>> = { de, en };
/** The Intl locale of each language (dates and numbers). */
export const LOCALES: Readonly<Record<Language, string>> = { de: 'de-DE', en: 'en-GB' };

/** Thrown when a message key is in neither catalogue of the language: a coding error, caught by the catalogue test. */
export class MissingMessageError extends Error {
  constructor(
    readonly language: Language,
    readonly key: string,
  ) {
    super(`No message '${key}' in the '${language}' catalogue`);
  }
}

function createTranslator(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    lng: language,
    fallbackLng: false,
    resources: { [language]: { translation: CATALOGUES[language] } },
    // Plain text for mail, SMS and voice; HTML pages escape what they interpolate themselves.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

const translators = new Map<Language, i18n>();

export type MessageParams = Record<string, string | number>;

/** The message `key` in `language`; throws MissingMessageError for a key the catalogue lacks. */
export function message(language: Language, key: string, params: MessageParams = {}): string {
  let translator = translators.get(language);
  if (!translator) {
    translator = createTranslator(language);
    translators.set(language, translator);
  }
  if (!translator.exists(key)) throw new MissingMessageError(language, key);
  return translator.t(key, params);
}

const berlinFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as German customers read it: Europe/Berlin, with the zone (`04.12.2026, 13:30 MEZ`; `04/12/2026, 13:30 CET`).
 * `seconds` for records where the order of events within a minute matters (the auditor's trail: `13:30:05 MEZ`).
 */
export function berlinTime(iso: string, language: Language, precision: 'minutes' | 'seconds' = 'minutes'): string {
  const cacheKey = `${language}/${precision}`;
  let format = berlinFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(precision === 'seconds' ? { second: '2-digit' } : {}),
      timeZoneName: 'short',
    });
    berlinFormats.set(cacheKey, format);
  }
  return format.format(new Date(iso));
}

/** A letter: greeting, paragraphs, the closing; in the language's catalogue. */
export function letter(language: Language, paragraphs: readonly string[]): string {
  return [message(language, 'letter.greeting'), '', ...paragraphs, '', message(language, 'letter.closing')].join('\n');
}
