/** Workflows write the timeline's English detail without i18next (issue 18); it must read exactly as i18next renders it. */
import en from '../../domain/i18n/en.json';
import { message } from '../../domain/i18n/messages';
import { timelineText } from '../../domain/i18n/timelineText';

function leaves(node: unknown, prefix: string): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

const keys = leaves(en.timeline, '');

test('the catalogue has timeline texts to compare', () => {
  expect(keys.length).toBeGreaterThan(30);
});

test.each(keys)('timeline.%s: the English detail a workflow records equals i18next rendering', (key) => {
  const template = message('en', `timeline.${key}`, {});
  const names = [...template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string);
  const params = Object.fromEntries(names.map((name, i) => [name, `value-${i} & <${name}>`]));
  expect(timelineText(key, params).detail).toBe(message('en', `timeline.${key}`, params));
});

test('an unknown timeline key is refused, as the catalogue refuses it', () => {
  expect(() => timelineText('noSuchEntry', {})).toThrow(/timeline.noSuchEntry/);
});
