/**
 * The decision trail in the reader's language (R18): every entry the committed golden histories give has a catalogue
 * text that renders in German and English, and the printable page of each reads German without the English wording
 * of the JSON form's details, which stays as it was.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { historyFilesAt } from '../../infra/audit/historyFiles';
import { historyFromJson } from '../../infra/audit/historyJson';
import { decisionTrail, trailForJson } from '../../infra/audit/decisionTrail';
import { renderTimelineText } from '../../domain/i18n/timelineText';
import { renderTrailHtml } from '../../api/audit/trailHtml';
import { GOLDEN_DIR } from './goldenFiles';

/** A golden file: the audit export of one alert's workflow tree. */
const goldenSchema = z.object({ histories: z.array(z.object({ workflowId: z.string(), workflowType: z.string(), history: z.unknown() })) });

const trails = historyFilesAt(GOLDEN_DIR).map((file) => {
  const { histories } = goldenSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return { file, entries: decisionTrail(histories.map((h) => ({ ...h, history: historyFromJson(h.history) }))) };
});

test('R18 every trail entry of the golden histories renders from the catalogues in German and in English; the JSON form carries no catalogue keys', () => {
  expect(trails.length).toBeGreaterThanOrEqual(5);
  let keyed = 0;
  for (const { file, entries } of trails) {
    for (const entry of entries) {
      if (!entry.text) continue;
      keyed++;
      expect([file, renderTimelineText('de', entry.text)]).toEqual([file, expect.any(String)]);
      expect([file, renderTimelineText('en', entry.text)]).toEqual([file, expect.any(String)]);
    }
    expect(trailForJson(entries).every((e) => !('text' in e))).toBe(true);
  }
  // Only the workflow-recorded entries without a key (playbook steps) keep their English detail alone.
  const all = trails.reduce((n, t) => n + t.entries.length, 0);
  expect(keyed / all).toBeGreaterThan(0.8);
});

// An entry a workflow recorded before its timeline carried keys (an old history) keeps its English detail.
test("R18 the German page of every golden trail shows none of the English details' own wording where the entry has its text", () => {
  const english = /<td>(Alert '|Classified |Assessed |Approved |Rejected |Published to|Looked up|Waiting up to|The wait |Detection rules matched|No detection rule matched|Claimed and|Case note|Recommended:|Closed:|Started playbook|Requested the undo|Playbook \S+ is now)/;
  for (const { file, entries } of trails) {
    const page = renderTrailHtml(file, entries.filter((e) => e.text), new Date('2026-12-04T12:00:00Z'), 'de');
    expect([file, english.exec(page)?.[0] ?? null]).toEqual([file, null]);
  }
});
