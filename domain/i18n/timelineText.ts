/**
 * A timeline entry's text as a catalogue key (`timeline.*`) with its parameters, so the dashboard shows it in the
 * reader's language; the entry's `detail` keeps the English rendering (the API, the decision trail). Parameters named
 * `…At` are instants (ISO 8601) shown in Berlin time; `severity`, `verdict` and `window` are codes shown in words.
 * Pure: workflows record the key and the English text together.
 */
import { berlinTime, message, type Language } from './messages';

export interface TimelineText {
  key: string;
  params: Record<string, string | number>;
}

/** The entry's English detail and its key, for `record(kind, actor, …)`. */
export function timelineText(key: string, params: Record<string, string | number> = {}): { detail: string; text: TimelineText } {
  return { detail: message('en', `timeline.${key}`, params), text: { key, params } };
}

const IN_WORDS: Readonly<Record<string, string>> = { severity: 'severity', verdict: 'verdict', window: 'serviceWindow' };

/** The text in `language`: times in Berlin time with the zone, codes in words. */
export function renderTimelineText(language: Language, text: TimelineText): string {
  const params = Object.fromEntries(
    Object.entries(text.params).map(([name, value]) => {
      if (name.endsWith('At') && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return [name, berlinTime(value, language)];
      const catalogue = IN_WORDS[name];
      return [name, catalogue ? message(language, `${catalogue}.${value}`) : value];
    }),
  );
  return message(language, `timeline.${text.key}`, params);
}
