/**
 * The API process killed with SIGKILL in the middle of a playbook (issue 8, R8, R18). The API and the worker are the
 * production entries in processes of their own (the package-3 tenant is in service around the clock, so no test
 * policy is needed). The API dies while an approval request is under way, and again while the worker follows a
 * Defender isolation; each time it is started again on the same port. The client re-sends the approval and gets the
 * first decision's answer; the run finishes with every vendor action done once and the customer told once.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../infra/freePort';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { PlaybookHarness } from '../playbooks/playbookHarness';
import { expectFinishedOnce, isolationBeingFollowed } from '../playbooks/isolationUnderFault';
import type { EngineProcess } from '../support/engineProcess';
import { devKeyOf, loadDevKeys } from '../support/devKeys';
import { REPO, testTemporal } from '../support/testEnv';
import { startVendorFakes, vendorEngineProcessEnv, writeVendorTestTenants, type VendorFakes } from '../support/vendors';
import { startApiProcess, startWorkerProcess } from '../support/workerProcess';

const devKeys = loadDevKeys();
const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

let smtp: RunningSmtpServer;
let fakes: VendorFakes;
let worker: EngineProcess | undefined;
let api: (EngineProcess & { url: string }) | undefined;
let apiEnv: Record<string, string>;

const harness = new PlaybookHarness(() => ({
  app: api?.url ?? 'http://127.0.0.1:9', // nothing listens there while the API is down
  key: (role: string, tenantId?: string, keyId?: string) => devKeyOf(devKeys, role, tenantId, keyId),
}));

/** kill -9 of the API, `whileDown` (what the world does meanwhile), then the API again on the same port. */
async function restartApi(whileDown?: () => void): Promise<void> {
  await api?.kill();
  api = undefined;
  whileDown?.();
  api = await startApiProcess(apiEnv);
}

beforeAll(async () => {
  const { address, namespace, workDir } = testTemporal();
  fakes = await startVendorFakes();
  smtp = await startSmtpTestServer({ startTls: false });
  const dir = mkdtempSync(join(workDir, 'api-kill-'));
  const { tenantsDir, env } = writeVendorTestTenants(dir, fakes, join(REPO, 'config/tenants'));
  const temporal = { address, namespace, taskQueue: `api-kill-${randomUUID()}` };
  const engineEnv = vendorEngineProcessEnv({ temporal, dir, tenantsDir, secretEnv: env, fakes, smtpPort: smtp.port, rulesDir: join(REPO, 'test/fixtures/rules') });
  apiEnv = { ...engineEnv, API_PORT: String(await freePort()) };
  worker = await startWorkerProcess(engineEnv);
  api = await startApiProcess(apiEnv);
}, 300_000);
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await smtp?.close();
  await fakes?.close();
});

test('R8 R18 the API process killed with SIGKILL during an approval and while Defender isolates a device: the re-sent approval answers like the first, the playbook finishes and every vendor action happened once', async () => {
  const isolation = await isolationBeingFollowed(harness, fakes, async (alertId, digest) => {
    const decision = { digest, decision: 'approve' as const, reason: 'Confirmed with the customer by phone' };
    // The API dies while the approval is under way: the client may or may not have had an answer.
    const first = harness.decide(alertId, 'run-1', decision).then(
      (response) => response.status,
      () => 0,
    );
    await sleep(25);
    await restartApi();
    log(`approval before the kill answered ${await first} (0: no answer)`);
    // The client does not know whether the approval counted and sends it again: same decision, same answer.
    const resent = await harness.decide(alertId, 'run-1', decision);
    expect(resent.status).toBe(200);
    expect(resent.body.approval).toMatchObject({ decision: 'approve', by: 'analyst:a.schmidt', digest });
  });
  // The worker follows the MachineAction; the API dies, the isolation ends while it is down, and it comes back.
  await restartApi(() => isolation.finish());
  await expectFinishedOnce(harness, fakes, smtp, isolation);
  const run = await harness.run(isolation.alertId, 'run-1');
  expect(run.actions[1]?.approval).toMatchObject({ decision: 'approve', by: 'analyst:a.schmidt' });
}, 400_000);
