/**
 * R11 automatic isolation within a budget: each tenant gets a few automatic isolations per hour (shared by every
 * worker, counted in the engine's store); beyond them a human decides, however strong the next alert looks.
 */
import { randomUUID } from 'node:crypto';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { sampleAlert } from '../support/alerts';
import { alwaysInService, type TestEngine } from '../support/testEngine';
import type { VendorFakes } from '../support/vendors';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { waitFor } from '../support/waitFor';
import { graphConfirmedDevice, PlaybookHarness } from './playbookHarness';

let running: VendorEngine;
let engine: TestEngine;
let fakes: VendorFakes;
const harness = new PlaybookHarness(() => engine);

/** One automatic isolation per hour for the test's tenant. */
function oneAnHour(policy: TenantPolicy): TenantPolicy {
  const served = alwaysInService(policy);
  const ai = served.response.aiIsolation;
  return ai ? { ...served, response: { ...served.response, aiIsolation: { ...ai, maxPerHour: 1 } } } : served;
}

beforeAll(async () => {
  running = await startVendorEngine({ policy: oneAnHour });
  ({ engine, fakes } = running);
});
afterAll(async () => {
  await running?.stop();
});

/** An alert Graph confirms for a new machine, with the signals that isolate. */
function confirmedAlert(hostname: string) {
  const externalId = `graph-alert-${randomUUID()}`;
  const machine = graphConfirmedDevice(fakes, hostname, externalId);
  const alert = sampleAlert({
    tenantId: 'rheinwerk-maschinenbau',
    source: 'defender',
    externalId,
    vendorSeverity: 'high',
    entities: { users: [], hosts: [{ hostname, ips: [] }], ips: [], files: [], processes: [], urls: [] },
  });
  return { machine, alert };
}

test('R11 past the tenant\'s automatic isolations of the hour, a confirmed alert is left to a human', async () => {
  // The budget counts in clock hours: start with time left in this one, so both alerts fall into it.
  await waitFor(async () => Date.now() % 3_600_000, (ms) => ms < 3_480_000, 'an hour with two minutes left', 130_000);
  const first = confirmedAlert(`ws-${randomUUID().slice(0, 6)}.rheinwerk.local`);
  const firstId = await harness.submit(first.alert);
  await waitFor(() => harness.read(firstId), (a) => a.timeline.some((t) => t.kind === 'ai_assessed'), 'the first assessment');
  const run = await harness.untilRun(firstId, 'run-1', (r) => r.state !== 'running', 'the first isolation');
  expect(run.actions[0]).toMatchObject({ action: 'defender.isolateDevice', state: 'done' });
  expect(fakes.defender.machine(first.machine.id).isolated).toBe(true);

  const second = confirmedAlert(`ws-${randomUUID().slice(0, 6)}.rheinwerk.local`);
  const secondId = await harness.submit(second.alert);
  const assessed = await waitFor(
    () => harness.read(secondId),
    (a) => a.timeline.some((t) => t.kind === 'ai_assessed'),
    'the second assessment',
  );
  expect(assessed.timeline.find((t) => t.kind === 'ai_assessed')?.detail).toContain("no automatic isolation: the tenant's 1 automatic isolations of this hour are used up, a human decides");
  expect(assessed.response.runs).toEqual([]);
  expect(fakes.defender.machine(second.machine.id).isolated).toBe(false);
}, 240_000);
