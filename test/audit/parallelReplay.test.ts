/** Replay side by side (issue 18, R18): several replay threads on one bundle give the same verdicts as one, in input order. */
import { join } from 'node:path';
import { historyFilesAt, readHistoryFile } from '../../infra/audit/historyFiles';
import { Replayer } from '../../infra/audit/replayer';
import { REPO, testTemporal } from '../support/testEnv';
import { tamper } from './tamper';

const golden = historyFilesAt(join(REPO, 'test/fixtures/histories')).flatMap(readHistoryFile);

test('R18 three replay lanes (this thread and two more) on one bundle find the one tampered history among the golden ones, each outcome at its input', async () => {
  const packageOne = golden.find((h) => h.source.includes('package-1.json#alert.'));
  if (!packageOne) throw new Error('no package-1 golden history');
  // Every golden history three times, one tampered copy in the middle: more histories than workers, in any order.
  const inputs = [...golden, ...golden, { ...packageOne, history: tamper(packageOne.history) }, ...golden];
  const outcomes = await new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath }, concurrency: 3 }).replayAll(inputs);
  expect(outcomes.map((o) => o.workflowId)).toEqual(inputs.map((h) => h.workflowId));
  const tamperedAt = 2 * golden.length;
  expect(outcomes.map((o, i) => (i === tamperedAt ? !o.deterministic : o.deterministic)).every(Boolean)).toBe(true);
  expect(outcomes[tamperedAt]?.divergence).toMatch(/publishAlert|nondetermin/i);
}, 120_000);
