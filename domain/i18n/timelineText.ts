/**
 * A timeline entry's text as a catalogue key (`timeline.*`) with its parameters, so the dashboard shows it in the
 * reader's language; the entry's `detail` keeps the English rendering (the API, the decision trail). Parameters named
 * `…At` are instants (ISO 8601) shown in Berlin time; `severity`, `verdict`, `window` and `state` are codes shown in
 * words; a parameter may itself be a text (a reason given by the response policy). Pure: workflows record the key and
 * the English text together.
 */
import { berlinTime, message, type Language } from './messages';

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
  return message(language, `timeline.${text.key}`, params);
}
