/** The languages customers are written to in: German (the contract's, and the default) and English. */
export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'de';

/** The language of a record made before tenants named one (old histories): German. */
export function languageOf(value: Language | undefined): Language {
  return value ?? DEFAULT_LANGUAGE;
}
