/**
 * A refused form field's message in the reader's language: zod's own wording comes from zod's locale (`z.locales`);
 * a message a schema words itself (a business rule) stays as written.
 */
import { z } from 'zod';
import type { Language } from '../../domain/i18n/language';
import type { FieldIssue, InvalidInputError } from '../../domain/refusals';

type LocaleError = (issue: never) => unknown;
const LOCALES: Readonly<Record<Language, LocaleError>> = { de: z.locales.de().localeError as LocaleError, en: z.locales.en().localeError as LocaleError };

const textOf = (worded: unknown): string | undefined =>
  typeof worded === 'string' ? worded : typeof worded === 'object' && worded !== null && 'message' in worded ? String(worded.message) : undefined;

export function issuesInLanguage(error: InvalidInputError, language: Language): FieldIssue[] {
  return error.issues.map((issue, index) => {
    const source = error.sources[index];
    if (language === 'en' || typeof source !== 'object' || source === null || !('code' in source)) return issue;
    const english = textOf(LOCALES.en(source as never));
    const translated = textOf(LOCALES[language](source as never));
    return english === issue.message && translated ? { ...issue, message: translated } : issue;
  });
}
