/**
 * Verified targets (R8) end to end: the real response activities against the HTTPS fakes of Graph and Defender. An id
 * the alert carries must belong to the host or user it names, and the release matrix decides on the vendor's identity.
 */
import { randomUUID } from 'node:crypto';
import type { NormalisedAlertInput } from '../../domain/alert';
import { sampleAlert } from '../support/alerts';
import type { TestEngine } from '../support/testEngine';
import type { VendorFakes } from '../support/vendors';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { waitFor } from '../support/waitFor';
import { graphConfirmedDevice, PlaybookHarness, quietDeviceAlert } from './playbookHarness';

let running: VendorEngine;
let engine: TestEngine;
let fakes: VendorFakes;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  running = await startVendorEngine();
  ({ engine, fakes } = running);
});
afterAll(async () => {
  await running?.stop();
});

function deviceAlert(hostname: string, deviceId: string): NormalisedAlertInput {
  const alert = quietDeviceAlert(`graph-alert-${randomUUID()}`);
  return { ...alert, entities: { ...alert.entities, hosts: [{ hostname, deviceId, ips: [] }] } };
}

async function isolateAction(alert: NormalisedAlertInput) {
  const alertId = await harness.readyForResponse(alert);
  expect((await harness.startPlaybook(alertId, 'compromised-device')).status).toBe(201);
  const run = await harness.approveAll(alertId, 'run-1');
  return run.actions.find((a) => a.action === 'defender.isolateDevice');
}

test('R8 a machine id from the alert that belongs to another machine is refused with both names: the server is not isolated', async () => {
  const server = fakes.defender.machine('srv-db01.rheinwerk.local');
  const isolate = await isolateAction(deviceAlert('ws-0042.rheinwerk.local', server.id));
  expect(isolate?.state).toBe('handed_to_human');
  expect(isolate?.reason).toContain('ws-0042.rheinwerk.local');
  expect(isolate?.reason).toContain('srv-db01.rheinwerk.local');
  expect(fakes.defender.actions().filter((a) => a.type === 'Isolate')).toEqual([]);
  expect(fakes.defender.machine(server.id).isolated).toBe(false);
});

test('R8 a machine renamed since the alert (its id now names another workstation) is refused, not isolated under the old name', async () => {
  const renamed = fakes.defender.addMachine({ computerDnsName: 'ws-0815.rheinwerk.local', machineTags: ['RW-Workstations'] });
  const isolate = await isolateAction(deviceAlert('ws-0042.rheinwerk.local', renamed.id));
  expect(isolate).toMatchObject({ state: 'handed_to_human' });
  expect(isolate?.reason).toMatch(/ws-0042\.rheinwerk\.local.*ws-0815\.rheinwerk\.local/);
  expect(fakes.defender.machine(renamed.id).isolated).toBe(false);
});

test('R8 a short host name with its own machine id is verified and acted on under the vendor DNS name', async () => {
  const machine = fakes.defender.addMachine({ computerDnsName: 'ws-0901.rheinwerk.local', machineTags: ['RW-Workstations'] });
  const isolate = await isolateAction(deviceAlert('WS-0901', machine.id));
  expect(isolate).toMatchObject({ state: 'done', target: { kind: 'host', hostname: 'ws-0901.rheinwerk.local', machineId: machine.id } });
  expect(fakes.defender.machine(machine.id).isolated).toBe(true);
});

test('R8 a UPN alias with the object id is the vendor user: the matrix exception on the real UPN protects the CEO', async () => {
  const ceo = fakes.graph.addUser({ upn: 'm.mueller@mueller-logistik.example', groups: ['MU-Management'], proxyAddresses: ['smtp:ceo@mueller-logistik.example'] });
  const alias = 'ceo@mueller-logistik.example';
  const alertId = await harness.readyForResponse(
    sampleAlert({
      tenantId: 'mueller-logistik',
      source: 'm365',
      title: 'Impossible travel',
      entities: { users: [{ name: alias, upn: alias, azureAdObjectId: ceo.id }], hosts: [], ips: [], files: [], processes: [], urls: [] },
    }),
  );
  expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
  const run = await harness.approveAll(alertId, 'run-1');
  const disable = run.actions.find((a) => a.action === 'm365.disableUser');
  expect(disable).toMatchObject({ state: 'handed_to_human', target: { upn: 'm.mueller@mueller-logistik.example', objectId: ceo.id } });
  expect(disable?.reason).toContain('matches the exception m.mueller@mueller-logistik.example');
  expect(fakes.graph.user(ceo.id).accountEnabled).toBe(true);
  expect(fakes.requests('graph').filter((r) => r.method === 'PATCH' && r.path.includes('/users/'))).toEqual([]);
});

test('R8 a user object id that belongs to someone else than the named user is refused before any Graph change', async () => {
  const other = fakes.graph.user('s.krause@mueller-logistik.example');
  const alertId = await harness.readyForResponse(
    sampleAlert({
      tenantId: 'mueller-logistik',
      source: 'm365',
      title: 'Impossible travel',
      entities: { users: [{ name: 'j.becker@mueller-logistik.example', azureAdObjectId: other.id }], hosts: [], ips: [], files: [], processes: [], urls: [] },
    }),
  );
  expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
  const run = await harness.approveAll(alertId, 'run-1');
  const measures = run.actions.filter((a) => a.action === 'm365.disableUser' || a.action === 'm365.revokeSessions');
  expect(measures.map((a) => a.state)).toEqual(['handed_to_human', 'handed_to_human']);
  expect(measures[0]?.reason).toMatch(/j\.becker@mueller-logistik\.example.*s\.krause@mueller-logistik\.example/);
  expect(fakes.graph.user(other.id)).toMatchObject({ accountEnabled: true, sessionsRevoked: 0 });
});

describe('R11 automatic isolation scores only what Graph confirms', () => {
  const strongBody = (hostname: string, externalId: string) =>
    sampleAlert({
      tenantId: 'rheinwerk-maschinenbau',
      source: 'defender',
      externalId,
      vendorSeverity: 'high',
      techniques: ['T1486', 'T1003.001'],
      raw: { determination: 'malware', detectionSource: 'microsoftDefenderForEndpoint' },
      entities: { users: [], hosts: [{ hostname, ips: [] }], ips: [], files: [], processes: [], urls: [] },
    });

  test('R11 a forged alert body with every strong signal, unknown to Graph, reaches no Defender call', async () => {
    const machine = fakes.defender.addMachine({ computerDnsName: 'ws-0902.rheinwerk.local', machineTags: ['RW-Workstations'] });
    const alertId = await harness.submit(strongBody('ws-0902.rheinwerk.local', `forged-${randomUUID()}`));
    const alert = await harness.untilAwaitingTriage(alertId);
    expect(alert.timeline.find((t) => t.kind === 'ai_assessed')?.detail).toMatch(/^Unverified, so no automatic isolation: Microsoft Graph knows no alert forged-/);
    expect(alert.response.runs).toEqual([]);
    expect(fakes.requests('defender').filter((r) => r.path.includes(machine.id))).toEqual([]);
    expect(machine.isolated).toBe(false);
  });

  test('R11 the same signals held by Graph for that device isolate it, scored from the Graph alert', async () => {
    const externalId = `graph-alert-${randomUUID()}`;
    const machine = graphConfirmedDevice(fakes, 'WS-0903.rheinwerk.local', externalId);
    // The body claims less than Graph holds: the score follows Graph.
    const alertId = await harness.submit({ ...strongBody('ws-0903.rheinwerk.local', externalId), techniques: [], raw: {} });
    const assessed = await waitFor(() => harness.read(alertId), (a) => a.timeline.some((t) => t.kind === 'ai_assessed'), 'the isolation assessment');
    expect(assessed.response.runs[0]).toMatchObject({ runId: 'run-1', trigger: 'ai_isolation' });
    const run = await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the isolation run');
    expect(run.isolation?.reasons.join(' ')).toContain('vendor verdict malware (threat confirmed)');
    expect(run.actions[0]).toMatchObject({ action: 'defender.isolateDevice', state: 'done' });
    expect(fakes.defender.machine(machine.id).isolated).toBe(true);
  });
});
