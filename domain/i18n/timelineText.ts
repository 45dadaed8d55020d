/**
 * A timeline entry's text as a catalogue key (`timeline.*`) with its parameters, so the dashboard shows it in the
 * reader's language; the entry's `detail` keeps the English rendering (the API, the decision trail). Parameters named
 * `…At` are instants (ISO 8601) shown in Berlin time; `severity`, `verdict`, `window` and `state` are codes shown in
 * words; a parameter may itself be a text (a reason given by the response policy). Pure: workflows record the key and
 * the English text together.
 */
import type * as Catalogues from './messages';
import type { Language } from './language';
import en from './en.json';

/**
 * i18next and the catalogues load on the first text rendered for a reader (the API's and dashboard's side): a workflow
 * records the English detail from the catalogue's data alone (`en.json` is preloaded once per worker thread), so a
 * workflow that writes its timeline never loads i18next (issue 18: memory per cached workflow).
 */
let catalogues: typeof Catalogues | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded = (): typeof Catalogues => (catalogues ??= require('./messages') as typeof Catalogues);
const message = (...args: Parameters<typeof Catalogues.message>) => loaded().message(...args);
const berlinTime = (...args: Parameters<typeof Catalogues.berlinTime>) => loaded().berlinTime(...args);

/** The English template of `timeline.<key>`, as i18next would look it up; a missing key throws like `message`. */
function englishTemplate(key: string): string {
  let node: unknown = en.timeline;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  if (typeof node !== 'string') throw new Error(`No English timeline text 'timeline.${key}'`);
  return node;
}

/** `{{name}}` replaced as i18next does with escapeValue off (an unknown name stays as it is written). */
function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type TimelineParam = string | number | TimelineText;

export interface TimelineText {
  key: string;
  params: Record<string, TimelineParam>;
}

/** The entry's English detail (exactly the wording entries had before they carried keys) and its key. */
export function timelineText(key: string, params: Record<string, TimelineParam> = {}): { detail: string; text: TimelineText } {
  const text = { key, params };
  return { detail: render('en', text, false), text };
}

const IN_WORDS: Readonly<Record<string, string>> = { severity: 'severity', verdict: 'verdict', window: 'serviceWindow', state: 'dashboard.runState' };

/** The text in `language`: times in Berlin time with the zone, codes in words. */
export function renderTimelineText(language: Language, text: TimelineText): string {
  return render(language, text, true);
}

/** `forReaders`: times and codes in words; without, as recorded (the English detail keeps ISO times and codes). */
function render(language: Language, text: TimelineText, forReaders: boolean): string {
  const params = Object.fromEntries(
    Object.entries(text.params).map(([name, value]) => {
      if (typeof value === 'object') return [name, render(language, value, forReaders)];
      if (!forReaders) return [name, name === 'window' ? String(value).replace(/_/g, ' ') : value];
      if (name.endsWith('At') && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return [name, berlinTime(value, language)];
      const catalogue = IN_WORDS[name];
      return [name, catalogue ? message(language, `${catalogue}.${value}`) : value];
    }),
  );
  if (!forReaders && language === 'en') return interpolate(englishTemplate(text.key), params);
  return message(language, `timeline.${text.key}`, params);
}
