/**
 * A worker process killed with SIGKILL in the middle of a playbook (issue 4, safety under faults): the run
 * finishes after a restart, and every external action happened exactly once. The worker here is the production
 * entry (`engine/workerProcess.ts`) in its own process; the vendors are the HTTPS fakes, which count effective changes.
 */
import { startVendorEngineForWorkerProcess, type VendorEngine } from '../support/vendorEngine';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';
import { PlaybookHarness } from './playbookHarness';
import { expectFinishedOnce, isolationBeingFollowed } from './isolationUnderFault';

let vendors: VendorEngine & { workerEnv: Record<string, string> };
let worker: WorkerProcess | undefined;
const harness = new PlaybookHarness(() => vendors.engine);

beforeAll(async () => {
  vendors = await startVendorEngineForWorkerProcess('crash');
  worker = await startWorkerProcess(vendors.workerEnv);
}, 180_000);
afterAll(async () => {
  await worker?.stop();
  await vendors?.stop();
});

test('a worker killed with SIGKILL while Defender isolates a device: after a restart the playbook finishes and every vendor action happened once', async () => {
  const isolation = await isolationBeingFollowed(harness, vendors.fakes);
  // The worker is following the MachineAction when it dies.
  await worker?.kill();
  isolation.finish();
  worker = await startWorkerProcess(vendors.workerEnv);
  await expectFinishedOnce(harness, vendors.fakes, vendors.smtp, isolation);
}, 300_000);
