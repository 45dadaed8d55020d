/**
 * Safe deploys (R18): `npm run deploy-check` replays a namespace's open and recent histories against the new workflow
 * code before a deploy. A change that alters the commands of recorded histories without patched() is refused, naming
 * the diverging workflows; the same change behind patched() passes. Histories come from a real Temporal server.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benignAlert } from '../support/alerts';
import { runScript } from '../support/runScript';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import { PlaybookHarness, quietDeviceAlert } from '../playbooks/playbookHarness';

let engine: TestEngine;
const harness = new PlaybookHarness(() => engine);
/** Copies of the workflow code live inside the repository's ignored .data folder, so they resolve node_modules. */
const copies = join(REPO, '.data', `deploy-check-${randomUUID()}`);

beforeAll(async () => {
  engine = await startTestEngine({ ownNamespace: true, rulesDir: join(REPO, 'test/fixtures/rules') });
});
afterAll(async () => {
  await engine?.stop();
  rmSync(copies, { recursive: true, force: true });
});

/** The workflow code with one edit to the alert workflow, as a developer's next version would be. */
function nextVersion(name: string, edit: (alertWorkflow: string) => string): string {
  const root = join(copies, name);
  mkdirSync(root, { recursive: true });
  for (const folder of ['workflows', 'domain']) cpSync(join(REPO, folder), join(root, folder), { recursive: true });
  const file = join(root, 'workflows/alertWorkflow.ts');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return join(root, 'workflows/index.ts');
}

const deployCheck = (workflows: string) =>
  runScript('scripts/replay.ts', ['--deploy-check', '--since', '1d', '--workflows', workflows], {
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: testTemporal().address,
    TEMPORAL_NAMESPACE: engine.client.options.namespace,
    SOAR_PAYLOAD_KEYS_FILE: testTemporal().payloadKeysFile,
  });

test('R18 the deploy check refuses a workflow change without patched() that would break open and recent alerts, and passes the same change behind patched()', async () => {
  // One alert still open (package 3, waiting for triage) and one finished (package 1).
  const open = await harness.submit(quietDeviceAlert(`deploy-${randomUUID()}`));
  await harness.untilAwaitingTriage(open);
  const closed = await harness.submit(benignAlert());
  await waitFor(() => engine.client.workflow.getHandle(closed).describe(), (d) => d.status.name === 'COMPLETED', 'the package-1 alert to finish');

  // A timer more before the analysis: every recorded alert would diverge on the new code.
  const unpatched = nextVersion('unpatched', (code) => code.replace("  alert.enter('analysing');", "  await sleep(1000);\n  alert.enter('analysing');"));
  const refused = await deployCheck(unpatched);
  expect(refused.stderr).not.toContain('failed');
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain('deploy REFUSED');
  expect(refused.stdout).toMatch(new RegExp(`${open} DIVERGED`));
  expect(refused.stdout).toMatch(new RegExp(`${closed} DIVERGED`));

  // The same change for new alerts only, behind patched(): old histories keep their commands.
  const guarded = nextVersion('patched', (code) => code.replace("  alert.enter('analysing');", "  if (patched('deploy-check-example-timer')) await sleep(1000);\n  alert.enter('analysing');"));
  const passed = await deployCheck(guarded);
  expect(passed.code).toBe(0);
  expect(passed.stdout).toContain('deploy check passed');
  expect(passed.stdout).toMatch(new RegExp(`${open} deterministic`));
  expect(passed.stdout).toMatch(/\d+ deterministic, 0 diverged, 0 unreadable/);
}, 600_000);
