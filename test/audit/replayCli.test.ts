/**
 * The `replay` command line (R18): an auditor replays stored histories without the API. It exits 0 when every
 * history replays to the same decisions, and non-zero, naming the file, on a divergence or unreadable input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHistoryFile } from '../../infra/audit/historyFiles';
import { REPO } from '../support/testEngine';
import { runScript, type ScriptOutcome } from '../support/runScript';
import { testTemporal } from '../support/testEnv';
import { tamper } from './tamper';

const GOLDEN_DIR = join(REPO, 'test/fixtures/histories');

function replayCli(...args: string[]): Promise<ScriptOutcome> {
  return runScript('scripts/replay.ts', args);
}

test('R18 the command line replays a folder of stored histories to deterministic and exits 0, showing progress', async () => {
  const result = await replayCli(GOLDEN_DIR);
  expect(result.stderr).not.toContain('unreadable');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^\[1\/\d+\] \S+ deterministic$/m);
  expect(result.stdout).toMatch(/^\[\d+\/\d+\] \S*package-1\.json#alert\.nordwind-handel\.\S+ deterministic$/m);
  expect(result.stdout).toMatch(/\d+ deterministic, 0 diverged, 0 unreadable/);
}, 120_000);

test('R18 the command line exits non-zero on a tampered history and on an unreadable file, naming each file', async () => {
  const dir = mkdtempSync(join(testTemporal().workDir, 'replay-cli-'));
  const [alert] = readHistoryFile(join(GOLDEN_DIR, 'package-1.json'));
  const tampered = join(dir, `${alert?.workflowId}.json`);
  writeFileSync(tampered, JSON.stringify(tamper(alert?.history)));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "events": [ ');
  const result = await replayCli(tampered, broken);
  expect(result.code).not.toBe(0);
  expect(result.stdout).toContain(`${tampered} DIVERGED`);
  expect(result.stderr).toContain(`unreadable: ${broken}`);
  expect(result.stdout).toMatch(/0 deterministic, 1 diverged, 1 unreadable/);
}, 120_000);

test('R18 the command line refuses a --concurrency that is not a whole number of at least 1, replaying nothing', async () => {
  const result = await replayCli('--concurrency=0', GOLDEN_DIR);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--concurrency takes a whole number of at least 1');
  expect(result.stdout).toBe('');
}, 60_000);
