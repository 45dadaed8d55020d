/**
 * A worker process killed with SIGKILL in the middle of a playbook (issue 4, safety under faults): the run
 * finishes after a restart, and every external action happened exactly once. The worker here is the production
 * entry (`engine/workerProcess.ts`) in its own process; the vendors are the HTTPS fakes, which count effective changes.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { REPO, alwaysInService, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { startVendorFakes, vendorEngineProcessEnv, writeVendorTestTenants, type VendorFakes } from '../support/vendors';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';
import { PlaybookHarness } from './playbookHarness';
import { expectFinishedOnce, isolationBeingFollowed } from './isolationUnderFault';

let engine: TestEngine;
let smtp: RunningSmtpServer;
let fakes: VendorFakes;
let worker: WorkerProcess | undefined;
let workerEnv: Record<string, string>;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  const { address, namespace, workDir } = testTemporal();
  fakes = await startVendorFakes();
  smtp = await startSmtpTestServer({ startTls: false });
  const dir = mkdtempSync(join(workDir, 'crash-'));
  const { tenantsDir, env } = writeVendorTestTenants(dir, fakes, join(REPO, 'config/tenants'));
  const taskQueue = `crash-${randomUUID()}`;
  workerEnv = vendorEngineProcessEnv({ temporal: { address, namespace, taskQueue }, dir, tenantsDir, secretEnv: env, fakes, smtpPort: smtp.port, rulesDir: join(REPO, 'test/fixtures/rules') });
  engine = await startTestEngine({ tenantsDir, rulesDir: join(REPO, 'test/fixtures/rules'), externalWorker: { taskQueue }, policy: (p: TenantPolicy) => alwaysInService(p) });
  worker = await startWorkerProcess(workerEnv);
}, 180_000);
afterAll(async () => {
  await worker?.stop();
  await engine?.stop();
  await smtp?.close();
  await fakes?.close();
});

test('a worker killed with SIGKILL while Defender isolates a device: after a restart the playbook finishes and every vendor action happened once', async () => {
  const isolation = await isolationBeingFollowed(harness, fakes);
  // The worker is following the MachineAction when it dies.
  await worker?.kill();
  isolation.finish();
  worker = await startWorkerProcess(workerEnv);
  await expectFinishedOnce(harness, fakes, smtp, isolation);
}, 300_000);
