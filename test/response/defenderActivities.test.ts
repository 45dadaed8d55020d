/** The Defender for Endpoint measures (MachineActions followed to their end) against the HTTPS Defender and Entra fakes. */
import { failureOf } from '../notification/failureOf';
import { VENDOR_TEST_SECRETS } from '../support/vendors';
import { RHEINWERK, startResponseHarness, type ResponseHarness } from './responseHarness';

const ws42 = { kind: 'host', hostname: 'ws-0042.rheinwerk.local' } as const;
const SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';

let h: ResponseHarness;
beforeAll(async () => {
  h = await startResponseHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.reset());

const posts = () => h.fakes.requests('defender').filter((r) => r.method === 'POST');

test('isolates a device found by DNS name and follows the MachineAction to Succeeded, heartbeating its id', async () => {
  const machine = h.fakes.defender.machine(ws42.hostname);
  const result = await h.run('defender.isolateDevice', RHEINWERK, ws42);

  const [action] = h.fakes.defender.actions();
  expect(result).toMatchObject({ outcome: 'done', vendorReference: action?.id });
  expect(action).toMatchObject({ type: 'Isolate', status: 'Succeeded', machineId: machine.id });
  expect(machine.isolated).toBe(true);
  expect(posts()).toHaveLength(1);
  expect(posts()[0]).toMatchObject({ path: `/api/machines/${machine.id}/isolate`, body: { Comment: 'SOC playbook run run-1: defender.isolateDevice', IsolationType: 'Full' } });
  const lookup = h.fakes.requests('defender')[0];
  expect(lookup).toMatchObject({ method: 'GET', path: '/api/machines', query: { $filter: `computerDnsName eq '${ws42.hostname}'` } });
  const token = h.fakes.entra.tokenInfo(posts()[0]?.authorization);
  expect(token).toMatchObject({ scope: 'https://api.securitycenter.microsoft.com/.default', clientId: '9c4e1a7b-6d2f-4b8a-a3e5-0f1c2d3e4a5b' });
  expect(h.heartbeats).toContainEqual({ machineActionId: action?.id });
  expect(h.fakes.count('defender', 'GET', `/api/machineactions/${action?.id}`)).toBe(2);
});

test('isolating a machine whose latest isolation action Succeeded is already_done without a new request', async () => {
  await h.run('defender.isolateDevice', RHEINWERK, ws42);
  const again = await h.run('defender.isolateDevice', RHEINWERK, ws42, null, { isolationType: 'Selective' });
  expect(again.outcome).toBe('already_done');
  expect(posts()).toHaveLength(1);
});

test('a duplicate isolate ("Action is already in progress") finds the pending action and follows it', async () => {
  const machine = h.fakes.defender.machine(ws42.hostname);
  const pending = h.fakes.defender.addPendingAction(machine.id, 'Isolate');
  // The isolation history check sees the pending Isolate and follows it without asking again.
  const result = await h.run('defender.isolateDevice', RHEINWERK, { ...ws42, machineId: machine.id });
  expect(result).toMatchObject({ outcome: 'done', vendorReference: pending.id });
  expect(posts()).toHaveLength(0);

  // A quarantine has no history check: the vendor's 400 leads to the pending action.
  const quarantine = h.fakes.defender.addPendingAction(machine.id, 'StopAndQuarantineFile');
  const followed = await h.run('defender.stopAndQuarantineFile', RHEINWERK, { ...ws42, machineId: machine.id }, { kind: 'file', name: 'evil.exe', sha1: SHA1 });
  expect(followed.vendorReference).toBe(quarantine.id);
  expect(posts()).toHaveLength(1);
  const refusedQuery = h.fakes.requests('defender').filter((r) => r.path === '/api/machineactions').at(-1);
  expect(refusedQuery?.query.$filter).toBe(`machineId eq '${machine.id}' and (type eq 'StopAndQuarantineFile')`);
});

test('releases an isolated device (the undo of isolate)', async () => {
  await h.run('defender.isolateDevice', RHEINWERK, ws42);
  const released = await h.run('defender.releaseDevice', RHEINWERK, ws42);
  expect(released.outcome).toBe('done');
  expect(h.fakes.defender.machine(ws42.hostname).isolated).toBe(false);
  expect(posts()[1]).toMatchObject({ path: expect.stringMatching(/\/unisolate$/), body: { Comment: 'SOC playbook run run-1: defender.releaseDevice' } });
});

test('stops and quarantines a file by SHA-1; a file without SHA-1 is refused before any request', async () => {
  const result = await h.run('defender.stopAndQuarantineFile', RHEINWERK, ws42, { kind: 'file', name: 'evil.exe', sha1: SHA1 });
  expect(result.outcome).toBe('done');
  expect(posts()[0]?.body).toEqual({ Comment: 'SOC playbook run run-1: defender.stopAndQuarantineFile', Sha1: SHA1 });
  expect(h.fakes.defender.machine(ws42.hostname).quarantined).toEqual([SHA1]);

  h.reset();
  const failure = await failureOf(h.run('defender.stopAndQuarantineFile', RHEINWERK, ws42, { kind: 'file', name: 'evil.exe', sha256: 'ab'.repeat(32) }));
  expect(failure).toMatchObject({ type: 'TargetNotFound', nonRetryable: true });
  expect(h.fakes.requests()).toHaveLength(0);
});

test('runs an antivirus scan with the step scan type', async () => {
  await h.run('defender.runAntivirusScan', RHEINWERK, ws42, null, { scanType: 'Full' });
  expect(posts()[0]).toMatchObject({ path: expect.stringMatching(/\/runAntiVirusScan$/), body: { ScanType: 'Full' } });
  expect(h.fakes.defender.machine(ws42.hostname).scans).toBe(1);
});

test('a MachineAction that ends Failed is a non-retryable MachineActionFailed', async () => {
  h.fakes.defender.endNextActionsWith('Failed');
  const failure = await failureOf(h.run('defender.isolateDevice', RHEINWERK, ws42));
  expect(failure).toMatchObject({ type: 'MachineActionFailed', nonRetryable: true });
  expect(failure.message).toMatch(/Isolate on ws-0042\.rheinwerk\.local\) ended Failed/);
  expect(h.fakes.defender.machine(ws42.hostname).isolated).toBe(false);
});

test('a retry resumes following the heartbeated MachineAction instead of asking again', async () => {
  h.fakes.defender.hold = true;
  const machine = h.fakes.defender.machine(ws42.hostname);
  const running = h.fakes.defender.addPendingAction(machine.id, 'Isolate');
  h.fakes.defender.hold = false;
  const result = await h.run('defender.isolateDevice', RHEINWERK, ws42, null, {}, { machineActionId: running.id });
  expect(result).toMatchObject({ outcome: 'done', vendorReference: running.id });
  expect(posts()).toHaveLength(0);
  expect(h.fakes.requests('defender').every((r) => r.path === `/api/machineactions/${running.id}`)).toBe(true);
});

test('a Defender 429 is a retryable failure whose next delay is the Retry-After', async () => {
  h.fakes.defender.failNext(1, { status: 429, retryAfter: '7' });
  const failure = await failureOf(h.run('defender.isolateDevice', RHEINWERK, ws42));
  expect(failure).toMatchObject({ type: 'VendorUnavailable', nonRetryable: false });
  expect(failure.nextRetryDelay).toBe(7000);
  expect(JSON.stringify(failure)).not.toContain(VENDOR_TEST_SECRETS.RHEINWERK_GRAPH_CLIENT_SECRET);
  // The next attempt goes through.
  expect((await h.run('defender.isolateDevice', RHEINWERK, ws42)).outcome).toBe('done');
});

test('a Defender call that does not answer in time is a retryable failure', async () => {
  const impatient = await startResponseHarness({ requestTimeoutMs: 100 });
  try {
    impatient.fakes.defender.delayMs = 500;
    const failure = await failureOf(impatient.run('defender.findMachine', RHEINWERK, ws42));
    expect(failure).toMatchObject({ type: 'VendorUnavailable', nonRetryable: false });
    expect(failure.message).toContain('no answer within 100 ms');
  } finally {
    await impatient.close();
  }
});

test('findMachine outputs the host with its machine id; an unknown host is TargetNotFound', async () => {
  const result = await h.run('defender.findMachine', RHEINWERK, ws42);
  expect(result.outputs).toEqual({ machine: { ...ws42, machineId: h.fakes.defender.machine(ws42.hostname).id } });
  const failure = await failureOf(h.run('defender.findMachine', RHEINWERK, { kind: 'host', hostname: 'ws-9999' }));
  expect(failure).toMatchObject({ type: 'TargetNotFound', nonRetryable: true });
});

test('R8 lookUpTarget gives a host its machine tags and device group', async () => {
  const machine = h.fakes.defender.machine(ws42.hostname);
  expect(await h.activities.lookUpTarget({ tenantId: RHEINWERK, target: ws42 })).toEqual({
    target: { ...ws42, machineId: machine.id },
    groups: ['RW-Workstations', 'Plant-Neuss', 'RW Clients'],
    found: true,
    identity: { name: 'ws-0042.rheinwerk.local', aliases: [] },
  });
  expect(await h.activities.lookUpTarget({ tenantId: RHEINWERK, target: { ...ws42, machineId: machine.id } })).toMatchObject({ found: true });
  expect(h.fakes.requests('defender').at(-1)?.path).toBe(`/api/machines/${machine.id}`);
  expect(await h.activities.lookUpTarget({ tenantId: RHEINWERK, target: { kind: 'host', hostname: 'ws-9999' } })).toEqual({
    target: { kind: 'host', hostname: 'ws-9999' },
    groups: [],
    found: false,
  });
});
