/** When response measures may follow a recommendation (R7-R11). */
import { responseDecision } from '../../domain/response/responsePolicy';
import { billingReason } from '../../domain/workOrder';
import type { TenantPolicy } from '../../domain/tenantPolicy';

const tenant = (overrides: Partial<TenantPolicy> & { weekendEmergency?: boolean; twentyFourSeven?: boolean } = {}): TenantPolicy => {
  const pkg = overrides.package ?? 2;
  return {
    id: 't',
    package: pkg,
    terms: { package: pkg, twentyFourSeven: overrides.twentyFourSeven ?? false, weekendEmergency: overrides.weekendEmergency ?? false },
    allSeverities: overrides.allSeverities ?? false,
    fixedSocContact: null,
    contacts: [],
    escalation: null,
    response: { releaseMatrix: { rules: [], default: 'deny', approvalValidityMinutes: 60 }, firewalls: [], approvalTimeoutMs: 60_000, aiIsolation: null },
  };
};
const weekdayInHours = new Date('2026-11-25T10:00:00Z');
const saturday = new Date('2026-11-28T10:00:00Z');

test('R8 a critical incident in service hours may go on to response actions', () => {
  expect(responseDecision(tenant(), 'critical', weekdayInHours).allowed).toBe(true);
});

test.each(['low', 'medium', 'high'] as const)('R7 a package-2 %s alert gets a recommendation only', (severity) => {
  const decision = responseDecision(tenant(), severity, weekdayInHours);
  expect(decision).toEqual({ allowed: false, rule: 'R7', reason: expect.stringContaining('R7'), because: expect.objectContaining({ key: expect.stringMatching(/^policy\./) }) });
});

test('R9 no measures outside service hours for package 2', () => {
  expect(responseDecision(tenant(), 'critical', saturday)).toEqual({ allowed: false, rule: 'R9', reason: expect.stringContaining('R9'), because: expect.objectContaining({ key: expect.stringMatching(/^policy\./) }) });
});

test('R10 the weekend emergency option assesses and recommends, but measures stay billable', () => {
  expect(responseDecision(tenant({ weekendEmergency: true }), 'critical', saturday)).toEqual({ allowed: false, rule: 'R10', reason: expect.stringContaining('R10'), because: expect.objectContaining({ key: expect.stringMatching(/^policy\./) }) });
});

test('R11 with 24/7 measures are possible at the weekend, and with all severities for a high alert', () => {
  expect(responseDecision(tenant({ package: 3, twentyFourSeven: true }), 'critical', saturday).allowed).toBe(true);
  expect(responseDecision(tenant({ package: 3, allSeverities: true }), 'high', weekdayInHours).allowed).toBe(true);
  expect(responseDecision(tenant({ package: 3 }), 'high', weekdayInHours).allowed).toBe(false);
});

test('R3 package 1 never goes on to response actions', () => {
  expect(responseDecision(tenant({ package: 1 }), 'critical', weekdayInHours)).toEqual({ allowed: false, rule: 'R3', reason: expect.stringContaining('R3'), because: expect.objectContaining({ key: expect.stringMatching(/^policy\./) }) });
});

test('R11 options are booked one by one on package 2: allSeverities there lets a high alert go on to response', () => {
  expect(responseDecision(tenant({ package: 2, allSeverities: true }), 'high', weekdayInHours)).toEqual({ allowed: true, reason: expect.any(String), because: expect.objectContaining({ key: expect.stringMatching(/^policy\./) }) });
  expect(responseDecision(tenant({ package: 2, allSeverities: true }), 'low', saturday)).toMatchObject({ allowed: false, rule: 'R9' });
});

test('R11 billing follows the booked options: with allSeverities a measure on a high alert is included, without it R7 bills it', () => {
  expect(billingReason(2, 'high', { allSeverities: true })).toBeNull();
  expect(billingReason(3, 'medium', { allSeverities: true })).toBeNull();
  expect(billingReason(2, 'high', { allSeverities: false })).toMatch(/^R7: /);
  expect(billingReason(1, 'high', { allSeverities: false })).toMatch(/^R3: /);
  expect(billingReason(2, 'critical', { allSeverities: true })).toMatch(/R8-R10/);
});

test('R10 in the weekend window a measure is possible once the customer has ordered it as billable work', () => {
  const decision = responseDecision(tenant({ weekendEmergency: true }), 'critical', saturday, 'workorder.t.42');
  expect(decision).toEqual({ allowed: true, reason: expect.stringContaining('work order workorder.t.42'), because: expect.objectContaining({ key: expect.stringMatching(/^policy\./) }) });
  expect(responseDecision(tenant(), 'critical', saturday, 'workorder.t.42')).toMatchObject({ allowed: false, rule: 'R9' });
  expect(responseDecision(tenant({ weekendEmergency: true }), 'high', saturday, 'workorder.t.42')).toMatchObject({ allowed: false, rule: 'R7' });
});
