/**
 * The production worker entry (`engine/workerProcess.ts`) in its own process, its vendors the HTTPS fakes: when Graph
 * and Defender fail a look-up of an account and of a device, the worker logs the failed activities without the UPN
 * and the host name the failures' texts name (they stay in the encrypted history).
 */
import { randomUUID } from 'node:crypto';
import { accountTakeoverAlert, PlaybookHarness, quietDeviceAlert } from '../playbooks/playbookHarness';
import { startVendorEngineForWorkerProcess, type VendorEngine } from '../support/vendorEngine';
import { waitFor } from '../support/waitFor';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';

const HOST = 'ws-0042.rheinwerk.local';

let vendors: VendorEngine;
let worker: WorkerProcess | undefined;
const harness = new PlaybookHarness(() => vendors.engine);

beforeAll(async () => {
  const started = await startVendorEngineForWorkerProcess('failure-logs');
  vendors = started;
  worker = await startWorkerProcess(started.workerEnv);
}, 180_000);
afterAll(async () => {
  await worker?.stop();
  await vendors?.stop();
});

const failedLookUps = () =>
  (worker?.output() ?? '')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === 'Activity failed');

test('failed vendor look-ups of an account and a device are logged by the production worker without the UPN or the host name', async () => {
  const upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
  vendors.fakes.graph.failNext(1000, { status: 500, message: 'internal error' }, '/users/');
  vendors.fakes.defender.failNext(1000, { status: 500, message: 'internal error' }, '/api/machines');

  const account = await harness.readyForResponse(accountTakeoverAlert(`graph-alert-${randomUUID()}`, upn, '203.0.113.77'));
  expect((await harness.startPlaybook(account, 'compromised-account')).status).toBe(201);
  const device = await harness.readyForResponse(quietDeviceAlert(`graph-alert-${randomUUID()}`));
  expect((await harness.startPlaybook(device, 'compromised-device')).status).toBe(201);

  // Each look-up fails at the vendor (and is retried): the worker logs it.
  const ofRun = (alertId: string) => (line: Record<string, unknown>) => line['workflowId'] === `${alertId}.run-1`;
  const failures = await waitFor(async () => failedLookUps(), (lines) => lines.some(ofRun(account)) && lines.some(ofRun(device)), 'an "Activity failed" line of each playbook run', 120_000);
  // The vendors were asked about exactly this account and this device: the failures were about them.
  const asked = (vendor: 'graph' | 'defender', name: string) => vendors.fakes.requests(vendor).some((r) => `${r.path} ${JSON.stringify(r.query)}`.toLowerCase().includes(name));
  expect(asked('graph', upn)).toBe(true);
  expect(asked('defender', HOST)).toBe(true);

  const output = (worker?.output() ?? '').toLowerCase();
  for (const named of [upn, upn.split('@')[0] ?? upn, HOST, 'ws-0042']) expect([named, output.includes(named)]).toEqual([named, false]);
  for (const line of failures.filter((l) => ofRun(account)(l) || ofRun(device)(l))) {
    expect(line).toMatchObject({ level: 'warn', workflowType: 'playbookRunWorkflow', error: { name: 'ApplicationFailure', type: 'VendorUnavailable' } });
  }
}, 240_000);
