/**
 * A worker process killed with SIGKILL in the middle of a playbook (issue 4, safety under faults): the run
 * finishes after a restart, and every external action happened exactly once. The worker here is the production
 * entry (`workers/worker.ts`) in its own process; the vendors are the HTTPS fakes, which count effective changes.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { REPO, alwaysInService, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { startVendorFakes, writeVendorTestTenants, type VendorFakes } from '../support/vendors';
import { waitFor } from '../support/waitFor';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';
import { PlaybookHarness, quietDeviceAlert } from './playbookHarness';

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
  workerEnv = {
    ...env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SOAR_DATA_DIR: join(dir, 'data'),
    SOAR_TENANTS_DIR: tenantsDir,
    SOAR_RULES_DIR: join(REPO, 'test/fixtures/rules'),
    SOAR_GRAPH_BASE_URL: fakes.endpoints.graphBaseUrl,
    SOAR_ENTRA_AUTHORITY_HOST: fakes.endpoints.authorityHost,
    SOAR_DEFENDER_BASE_URL: fakes.endpoints.defenderBaseUrl,
    SOAR_SMTP_HOST: '127.0.0.1',
    SOAR_SMTP_PORT: String(smtp.port),
    SOAR_SMTP_SECURITY: 'none',
  };
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
  const externalId = `graph-alert-${randomUUID()}`;
  fakes.graph.addAlert(externalId);
  const alertId = await harness.readyForResponse(quietDeviceAlert(externalId));
  const machine = fakes.defender.machine('ws-0042.rheinwerk.local');
  fakes.defender.hold = true; // the isolation stays in progress until the test lets it end

  expect((await harness.startPlaybook(alertId, 'compromised-device')).status).toBe(201);
  const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'the approval', 60_000);
  const digest = waiting.actions.find((a) => a.state === 'awaiting_approval')?.digest ?? '';
  expect((await harness.decide(alertId, 'run-1', { digest, decision: 'approve', reason: 'Confirmed' })).status).toBe(200);

  // The worker is following the MachineAction when it dies.
  const pending = await waitFor(async () => fakes.defender.actions().filter((a) => a.type === 'Isolate' && a.machineId === machine?.id), (a) => a.length > 0 && a[0]!.polls > 0, 'the isolation being followed', 60_000);
  await worker?.kill();
  fakes.defender.finish(pending[0]?.id ?? '', 'Succeeded');
  worker = await startWorkerProcess(workerEnv);

  const finished = await waitFor(() => harness.runIfAnswering(alertId, 'run-1'), (r) => r !== null && r.state !== 'running', 'the run to finish after the restart', 120_000);
  const run = finished ?? (await harness.run(alertId, 'run-1'));
  expect(run.state).toBe('completed');
  expect(run.actions.map((a) => [a.action, a.state])).toEqual([
    ['defender.findMachine', 'done'],
    ['defender.isolateDevice', 'done'],
    ['m365.commentAlert', 'done'],
  ]);
  expect(fakes.defender.actions().filter((a) => a.type === 'Isolate' && a.machineId === machine?.id)).toHaveLength(1);
  expect(fakes.defender.machine('ws-0042.rheinwerk.local')?.isolated).toBe(true);
  expect(fakes.graph.alert(externalId)?.comments).toHaveLength(1);
  // The customer was told once before the measure, not again after the restart.
  const notices = smtp.received.filter((m) => m.mail.text?.includes(digest));
  expect(notices.length).toBe(run.actions[1]?.notices.length);
}, 300_000);
