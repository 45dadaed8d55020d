/**
 * R18: the decision trail of a package-1 alert analysed, classified and published in one local activity (patch
 * `soar-package1-one-step`) shows the same entries as the lean history's two local activities did, in German and in
 * English: rules matched, classified <severity> by ..., published to ... . Both committed goldens are the
 * same sample alert driven through the API (test/audit/goldenHistories.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { historyFromJson } from '../../infra/audit/historyJson';
import { decisionTrail, type TrailEntry } from '../../infra/audit/decisionTrail';
import { renderTimelineText } from '../../domain/i18n/timelineText';
import { GOLDEN_DIR } from './goldenFiles';

const goldenSchema = z.object({ alertId: z.string(), histories: z.array(z.object({ workflowId: z.string(), workflowType: z.string(), history: z.unknown() })) });

function trailOf(name: string): { alertId: string; entries: TrailEntry[] } {
  const { alertId, histories } = goldenSchema.parse(JSON.parse(readFileSync(join(GOLDEN_DIR, `${name}.json`), 'utf8')));
  return { alertId, entries: decisionTrail(histories.map((h) => ({ ...h, history: historyFromJson(h.history) }))) };
}

/** Each entry as a reader sees it, in both languages, without times, ids and the history event it came from. */
function asRead({ alertId, entries }: { alertId: string; entries: TrailEntry[] }) {
  return entries.map((e) => ({
    kind: e.kind,
    actor: e.actor,
    en: (e.text ? renderTimelineText('en', e.text) : e.detail).replaceAll(alertId, '<alert>'),
    de: (e.text ? renderTimelineText('de', e.text) : e.detail).replaceAll(alertId, '<alert>'),
  }));
}

test('R18 the trail of a one-step package-1 alert shows the same entries as the two local activities did, in German and in English', () => {
  const oneStep = asRead(trailOf('package-1-one-step'));
  const lean = asRead(trailOf('package-1-lean-history'));
  const pipeline = (read: typeof oneStep) => read.filter((e) => e.kind === 'classification' || e.en.startsWith('Published to'));

  // The sample alert (procdump on LSASS) matches the test rules: critical by the most severe rule.
  expect(pipeline(oneStep).map((e) => e.en)).toEqual([
    "Classified critical by rule 'Test rule - LSASS memory dump by procdump'",
    'Detection rules matched: Test rule - LSASS memory dump by procdump (critical); Test rule - procdump seen (medium)',
    'Published to the dashboard and to nordwind-handel/alerts-critical.jsonl',
  ]);
  expect(pipeline(oneStep)).toHaveLength(3);
  // Same entries, same words in both languages (the order within one instant may differ: one marker against two).
  const sorted = (read: typeof oneStep) => [...read].sort((a, b) => a.en.localeCompare(b.en));
  expect(sorted(pipeline(oneStep))).toEqual(sorted(pipeline(lean)));
  expect(pipeline(oneStep).every((e) => e.de !== e.en)).toBe(true);
  // And the trail around them: received and finished as before.
  expect(oneStep.map((e) => e.kind).sort()).toEqual(lean.map((e) => e.kind).sort());
});
