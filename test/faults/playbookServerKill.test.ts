/**
 * The Temporal server killed with SIGKILL in the middle of a playbook (issue 8, R8, R18): the engine's own server
 * (SQLite file) dies while the worker follows a Defender isolation and comes back on the same file and port. The
 * run finishes, the customer was told once, and every vendor action happened exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { PlaybookHarness } from '../playbooks/playbookHarness';
import { expectFinishedOnce, isolationBeingFollowed } from '../playbooks/isolationUnderFault';
import { REPO, alwaysInService, startTestEngine, type TestEngine } from '../support/testEngine';
import { startKillableTemporal, type KillableTemporal } from '../support/killableTemporal';
import { testTemporal } from '../support/testEnv';
import { startVendorFakes, writeVendorTestTenants, type VendorFakes } from '../support/vendors';

const NAMESPACE = 'soar-faults-playbook';
const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

let server: KillableTemporal;
let engine: TestEngine;
let smtp: RunningSmtpServer;
let fakes: VendorFakes;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  const dir = mkdtempSync(join(testTemporal().workDir, 'faults-playbook-'));
  server = await startKillableTemporal(dir, NAMESPACE, log);
  fakes = await startVendorFakes();
  smtp = await startSmtpTestServer({ startTls: false });
  const { tenantsDir, env } = writeVendorTestTenants(dir, fakes, join(REPO, 'config/tenants'));
  engine = await startTestEngine({
    temporal: { address: server.address, namespace: NAMESPACE },
    tenantsDir,
    rulesDir: join(REPO, 'test/fixtures/rules'),
    notifications: { smtpPort: smtp.port },
    vendors: { endpoints: fakes.endpoints, secretEnv: env },
    policy: (policy: TenantPolicy) => alwaysInService(policy),
  });
}, 300_000);
afterAll(async () => {
  await engine?.stop();
  await server?.stop();
  await smtp?.close();
  await fakes?.close();
});

test('R8 R18 the Temporal server killed with SIGKILL while Defender isolates a device: after its restart the playbook finishes and every vendor action happened once', async () => {
  const isolation = await isolationBeingFollowed(harness, fakes);
  // The worker is following the MachineAction when the server dies.
  // The isolation ends at Defender while the server is down.
  await server.killAndRestart(2_000, () => isolation.finish());
  await expectFinishedOnce(harness, fakes, smtp, isolation);
}, 400_000);
