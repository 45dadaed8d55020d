/**
 * Replay stops the SDK's per-promise stack traces in its own lanes (infra/audit/untrackedPromises.ts; issue 18), and
 * that changes no verdict.
 */
import { join } from 'node:path';
import { historyFilesAt, readHistoryFile } from '../../infra/audit/historyFiles';
import { Replayer } from '../../infra/audit/replayer';
import { runScript } from '../support/runScript';
import { REPO, testTemporal } from '../support/testEnv';
import { tamper } from './tamper';

test('the SDK records a stack per workflow promise until replay stops it; the source-mapped stack formatter stays and a later replay worker does not restart it', async () => {
  const probe = await runScript('test/audit/promiseStackProbe.ts', []);
  expect(probe).toMatchObject({ code: 0 });
  expect(JSON.parse(probe.stdout)).toEqual({ installed: 2, stopped: 0, reinstalled: 0, formatterKept: true, stackTracesEnabled: false });
}, 60_000);

test('R18 without promise stacks, replay in this thread still passes every golden history and reports the tampered one as non-deterministic', async () => {
  const golden = historyFilesAt(join(REPO, 'test/fixtures/histories')).flatMap(readHistoryFile);
  const packageOne = golden.find((h) => h.source.includes('package-1.json#alert.'));
  if (!packageOne) throw new Error('no package-1 golden history');
  const inputs = [...golden, { ...packageOne, history: tamper(packageOne.history) }];
  const outcomes = await new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath } }).replayAll(inputs);
  expect(outcomes.slice(0, golden.length).filter((o) => !o.deterministic)).toEqual([]);
  expect(outcomes[golden.length]).toMatchObject({ deterministic: false, divergence: expect.stringMatching(/publishAlert|nondetermin/i) });
}, 120_000);
