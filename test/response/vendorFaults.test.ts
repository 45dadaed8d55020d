/** A vendor that hangs, answers slowly or drops the connection (issue 8), against the real adapters and the HTTPS fakes. */
import type { ApplicationFailure } from '@temporalio/common';
import type { ActionResult } from '../../domain/response/actionContract';
import { failureOf, recordedText } from '../notification/failureOf';
import { FORTIGATE_TEST_TOKEN, OPNSENSE_TEST_KEY, requestTo, VENDOR_TEST_SECRETS, type VendorName } from '../support/vendors';
import type { RequestMatch } from '../support/vendors/httpsFake';
import { MUELLER, RHEINWERK, startResponseHarness, type ResponseHarness } from './responseHarness';

/**
 * Short, so that a hang costs a test seconds rather than the production 30 s; long enough that a request delayed by a
 * third of it still answers in time on a loaded two-core machine (1.5 s once missed there).
 */
const TIMEOUT_MS = 3_000;
const opnsense = { kind: 'firewall', sourceId: 'opnsense-fw1', vendor: 'opnsense' } as const;
const fortigate = { kind: 'firewall', sourceId: 'fortigate-fw1', vendor: 'fortigate' } as const;
const ip = (address: string) => ({ kind: 'ip', address }) as const;
const becker = { kind: 'user', upn: 'j.becker@mueller-logistik.example' } as const;
const ws42 = { kind: 'host', hostname: 'ws-0042.rheinwerk.local' } as const;
const SECRETS = [
  ...Object.values(VENDOR_TEST_SECRETS),
  FORTIGATE_TEST_TOKEN,
  Buffer.from(`${OPNSENSE_TEST_KEY}:${VENDOR_TEST_SECRETS.MUELLER_OPNSENSE_API_SECRET}`).toString('base64'),
];

let h: ResponseHarness;
beforeAll(async () => {
  h = await startResponseHarness({ requestTimeoutMs: TIMEOUT_MS });
});
afterAll(async () => h.close());
beforeEach(() => h.reset());

/** One measure: the activity run (resuming from heartbeat details, as Temporal's retry does), the vendor's name in messages and the request that changes state. */
interface Measure {
  vendor: VendorName;
  shown: string;
  run(heartbeatDetails?: unknown): Promise<ActionResult>;
  change: RequestMatch;
  /** Whether the change is in place at the vendor. */
  applied(): boolean;
}

const MEASURES = {
  'OPNsense block': {
    vendor: 'opnsense',
    shown: 'OPNsense',
    run: (d) => h.run('firewall.blockIp', MUELLER, opnsense, ip('203.0.113.7'), {}, d),
    change: requestTo('POST', '/api/firewall/alias_util/add/SOAR_BLOCKLIST'),
    applied: () => h.fakes.opnsense.alias('SOAR_BLOCKLIST').includes('203.0.113.7'),
  },
  'FortiGate block': {
    vendor: 'fortigate',
    shown: 'FortiGate',
    run: (d) => h.run('firewall.blockIp', RHEINWERK, fortigate, ip('198.51.100.23'), {}, d),
    change: requestTo('PUT', '/api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK'),
    applied: () => h.fakes.fortigate.group('SOAR-BLOCK').includes('soar_198.51.100.23'),
  },
  'Graph account disable': {
    vendor: 'graph',
    shown: 'Graph',
    run: (d) => h.run('m365.disableUser', MUELLER, becker, null, {}, d),
    change: requestTo('PATCH', /^\/v1\.0\/users\//),
    applied: () => !h.fakes.graph.user(becker.upn).accountEnabled,
  },
  'Defender isolation': {
    vendor: 'defender',
    shown: 'Defender',
    run: (d) => h.run('defender.isolateDevice', RHEINWERK, ws42, null, {}, d),
    change: requestTo('POST', /\/isolate$/),
    applied: () => h.fakes.defender.actions().some((a) => a.type === 'Isolate'),
  },
} satisfies Record<string, Measure>;
type MeasureName = keyof typeof MEASURES;
const NAMES = Object.keys(MEASURES) as MeasureName[];

/** A retryable VendorUnavailable naming the vendor, with no secret anywhere in what reaches the workflow history. */
function expectRetryable(failure: ApplicationFailure, vendor: string): void {
  expect(failure).toMatchObject({ type: 'VendorUnavailable', nonRetryable: false });
  expect(failure.message).toContain(vendor);
  for (const secret of SECRETS) expect(recordedText(failure)).not.toContain(secret);
}

/** The first attempt fails retryably; the retry (with the last attempt's heartbeat details) answers. */
async function failThenRetry(measure: Measure): Promise<ActionResult> {
  expectRetryable(await failureOf(measure.run()), measure.shown);
  return measure.run(h.heartbeats.at(-1));
}

/** Runs the measure against a vendor whose first request hangs; the failure must come after the timeout, not after the vendor. */
async function hungFailure(measure: Measure): Promise<ApplicationFailure> {
  h.fakes.faults(measure.vendor).add(1, { kind: 'hang' });
  const started = Date.now();
  const failure = await failureOf(measure.run());
  const elapsed = Date.now() - started;

  expectRetryable(failure, measure.shown);
  // Loose bounds: it waited for the timeout, not for the vendor (the hung request never ends on its own).
  expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
  expect(elapsed).toBeLessThan(TIMEOUT_MS + 5_000);
  expect(h.fakes.requests(measure.vendor).filter((r) => r.fault === 'hang')).toHaveLength(1);
  expect(measure.applied()).toBe(false);
  return failure;
}

test.each(['OPNsense block', 'FortiGate block', 'Defender isolation'] as const)(
  'a hanging vendor: %s fails within the request timeout as retryable VendorUnavailable, naming vendor and timeout',
  async (name) => {
    const failure = await hungFailure(MEASURES[name]);
    expect(failure.message).toContain(`no answer within ${TIMEOUT_MS} ms`);
  },
);

test('a hanging vendor: Graph account disable fails within the request timeout as retryable VendorUnavailable', async () => {
  const failure = await hungFailure(MEASURES['Graph account disable']);
  expect(failure.message).toContain(`Graph GET /users/j.becker@mueller-logistik.example: no answer within ${TIMEOUT_MS} ms`);
});

test.each(NAMES)('a slow vendor within the request timeout: %s succeeds', async (name) => {
  const measure: Measure = MEASURES[name];
  // Every request is slow, each still within the timeout; together they take longer than one timeout for most measures.
  h.fakes.faults(measure.vendor).add(10, { kind: 'delay', ms: TIMEOUT_MS / 3 });
  const started = Date.now();
  const result = await measure.run();

  expect(result.outcome).toBe('done');
  expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS / 3 - 50);
  expect(h.fakes.requests(measure.vendor).filter((r) => r.fault === 'delay').length).toBeGreaterThan(0);
});

test.each(NAMES)('a connection dropped before any answer: %s fails retryably, changes nothing, and the next attempt succeeds', async (name) => {
  const measure: Measure = MEASURES[name];
  h.fakes.faults(measure.vendor).add(1, { kind: 'drop' }, measure.change);
  expectRetryable(await failureOf(measure.run()), measure.shown);
  expect(measure.applied()).toBe(false);

  const result = await measure.run(h.heartbeats.at(-1));
  expect(result.outcome).toBe('done');
  expect(measure.applied()).toBe(true);
  const changes = h.fakes.requests(measure.vendor).filter(measure.change);
  expect(changes.map((r) => [r.fault, r.status])).toEqual([
    ['drop', undefined],
    [undefined, expect.any(Number)],
  ]);
});

describe('applied by the vendor, then the connection dropped: the retry finds the change in place and makes it once', () => {
  test('R12 OPNsense: the IP is on the alias once, one alias_util/add', async () => {
    h.fakes.faults('opnsense').add(1, { kind: 'applyThenDrop' }, requestTo('POST', '/api/firewall/alias_util/add/SOAR_BLOCKLIST'));
    const result = await failThenRetry(MEASURES['OPNsense block']);

    expect(result.outcome).toBe('already_done');
    expect(h.fakes.opnsense.alias('SOAR_BLOCKLIST').filter((entry) => entry === '203.0.113.7')).toHaveLength(1);
    expect(h.fakes.count('opnsense', 'POST', /\/add\//)).toBe(1);
  });

  test('R12 FortiGate: the address group extended once, one PUT', async () => {
    h.fakes.faults('fortigate').add(1, { kind: 'applyThenDrop' }, requestTo('PUT', '/api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK'));
    const result = await failThenRetry(MEASURES['FortiGate block']);

    expect(result.outcome).toBe('already_done');
    expect(h.fakes.fortigate.group('SOAR-BLOCK')).toEqual(['soar_placeholder', 'soar_198.51.100.23']);
    expect(h.fakes.count('fortigate', 'POST', '/api/v2/cmdb/firewall/address')).toBe(1);
    expect(h.fakes.count('fortigate', 'PUT', '/api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK')).toBe(1);
  });

  test('R12 FortiGate: an address object created but unheard of is reused, not created again', async () => {
    h.fakes.faults('fortigate').add(1, { kind: 'applyThenDrop' }, requestTo('POST', '/api/v2/cmdb/firewall/address'));
    const result = await failThenRetry(MEASURES['FortiGate block']);

    // The block itself (the group membership) was not in place yet, so the retry completes it.
    expect(result).toMatchObject({ outcome: 'done', vendorReference: 'soar_198.51.100.23' });
    expect(h.fakes.fortigate.group('SOAR-BLOCK')).toEqual(['soar_placeholder', 'soar_198.51.100.23']);
    expect(h.fakes.count('fortigate', 'POST', '/api/v2/cmdb/firewall/address')).toBe(1);
    expect(h.fakes.count('fortigate', 'PUT', '/api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK')).toBe(1);
  });

  test('Graph: the account disabled by one PATCH, the retry already_done', async () => {
    h.fakes.faults('graph').add(1, { kind: 'applyThenDrop' }, (r) => r.method === 'PATCH');
    const result = await failThenRetry(MEASURES['Graph account disable']);

    expect(result).toMatchObject({ outcome: 'already_done', vendorReference: h.fakes.graph.user(becker.upn).id });
    expect(h.fakes.graph.user(becker.upn).accountEnabled).toBe(false);
    expect(h.fakes.count('graph', 'PATCH', /^\/v1\.0\/users\//)).toBe(1);
  });

  test('Defender: the retry follows the isolation the vendor started instead of asking again', async () => {
    const machine = h.fakes.defender.machine(ws42.hostname);
    h.fakes.faults('defender').add(1, { kind: 'applyThenDrop' }, requestTo('POST', `/api/machines/${machine.id}/isolate`));
    const result = await failThenRetry(MEASURES['Defender isolation']);

    const actions = h.fakes.defender.actions();
    expect(actions).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'done', vendorReference: actions[0]?.id });
    expect(machine.isolated).toBe(true);
    expect(h.fakes.count('defender', 'POST', /isolate$/)).toBe(1);
  });
});
