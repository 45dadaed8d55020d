/** R8: the release matrix decides which measure may touch which user, host or firewall; everything else is denied. */
import { decideRelease, fourEyesRequired, globMatches } from '../../domain/response/releaseMatrix';
import type { ReleaseMatrix } from '../../domain/tenant/releaseMatrixSchema';

const matrix: ReleaseMatrix = {
  default: 'deny',
  approvalValidityMinutes: 60,
  rules: [
    {
      action: 'm365.disableUser',
      targets: { users: ['*@acme.example'] },
      requiresApproval: false,
      except: { users: ['breakglass-*@acme.example', 'ceo@acme.example'] },
    },
    { action: 'm365.disableUser', targets: { groups: ['Sales'] }, requiresApproval: true },
    { action: 'defender.isolateDevice', targets: { hosts: ['WS-*', 'LAPTOP-??'], hostGroups: ['Clients'] }, requiresApproval: false, except: { hosts: ['SRV-*'] } },
    { action: 'firewall.blockIp', targets: { firewalls: ['opnsense-fw1'] }, requiresApproval: false },
  ],
};

const user = (upn: string) => ({ kind: 'user', upn }) as const;
const host = (hostname: string) => ({ kind: 'host', hostname }) as const;
const none = { groups: [] };

describe('release matrix', () => {
  test('R8 allows a listed measure on a covered user, naming the rule and the pattern', () => {
    expect(decideRelease(matrix, 'm365.disableUser', user('j.becker@acme.example'), none)).toEqual({
      allowed: true,
      requiresApproval: false,
      rule: 0,
      reason: 'R8: user j.becker@acme.example matches users pattern *@acme.example of rule 1 (m365.disableUser); no approval required',
    });
  });

  test('R8 refuses an action the matrix does not list', () => {
    expect(decideRelease(matrix, 'm365.revokeSessions', user('j.becker@acme.example'), none)).toEqual({
      allowed: false,
      reason: 'R8: the release matrix allows no m365.revokeSessions',
    });
  });

  test('R8 refuses a target no rule covers, naming it', () => {
    expect(decideRelease(matrix, 'm365.disableUser', user('eve@other.example'), none)).toEqual({
      allowed: false,
      reason: 'R8: user eve@other.example is not covered by the targets of rules 1, 2 (m365.disableUser)',
    });
  });

  test('R8 an exception wins over every rule, naming the exception pattern', () => {
    const decision = decideRelease(matrix, 'm365.disableUser', user('breakglass-01@acme.example'), { groups: ['Sales'] });
    expect(decision).toEqual({
      allowed: false,
      reason: 'R8: user breakglass-01@acme.example matches the exception breakglass-*@acme.example of rule 1 (m365.disableUser)',
    });
    expect(decideRelease(matrix, 'defender.isolateDevice', host('srv-db01'), { groups: ['Clients'] })).toEqual({
      allowed: false,
      reason: 'R8: host srv-db01 matches the exception SRV-* of rule 3 (defender.isolateDevice)',
    });
  });

  test('R8 a user is covered through a directory group; where several rules allow, the most restrictive wins (approval)', () => {
    expect(decideRelease(matrix, 'm365.disableUser', user('eve@other.example'), { groups: ['sales'] })).toEqual({
      allowed: true,
      requiresApproval: true,
      rule: 1,
      reason: 'R8: user eve@other.example matches group Sales of rule 2 (m365.disableUser); an analyst approves first',
    });
    expect(decideRelease(matrix, 'm365.disableUser', user('j.becker@acme.example'), { groups: ['Sales'] })).toMatchObject({ allowed: true, requiresApproval: true, rule: 1 });
  });

  test('R8 hosts match by glob (* and ?) or by host group', () => {
    expect(decideRelease(matrix, 'defender.isolateDevice', host('ws-0042.acme.local'), none)).toMatchObject({ allowed: true, rule: 2, reason: expect.stringContaining('hosts pattern WS-*') });
    expect(decideRelease(matrix, 'defender.isolateDevice', host('laptop-07'), none)).toMatchObject({ allowed: true });
    expect(decideRelease(matrix, 'defender.isolateDevice', host('laptop-007'), none)).toMatchObject({ allowed: false });
    expect(decideRelease(matrix, 'defender.isolateDevice', host('kiosk-1'), { groups: ['Clients'] })).toMatchObject({ allowed: true, reason: expect.stringContaining('host group Clients') });
  });

  test('R8 R12 firewalls match by source id only', () => {
    const fw = (sourceId: string) => ({ kind: 'firewall', sourceId, vendor: 'opnsense' }) as const;
    expect(decideRelease(matrix, 'firewall.blockIp', fw('opnsense-fw1'), none)).toMatchObject({ allowed: true, rule: 3, reason: expect.stringContaining('firewall opnsense-fw1') });
    expect(decideRelease(matrix, 'firewall.blockIp', fw('opnsense-fw2'), none)).toEqual({
      allowed: false,
      reason: 'R8: firewall opnsense-fw2 is not covered by the targets of rule 4 (firewall.blockIp)',
    });
  });

  test('R8 patterns, exceptions and groups compare case-insensitively', () => {
    expect(decideRelease(matrix, 'm365.disableUser', user('J.Becker@ACME.example'), none)).toMatchObject({ allowed: true });
    expect(decideRelease(matrix, 'm365.disableUser', user('CEO@Acme.Example'), none)).toMatchObject({ allowed: false, reason: expect.stringContaining('exception ceo@acme.example') });
    expect(decideRelease(matrix, 'defender.isolateDevice', host('Srv-Files'), none)).toMatchObject({ allowed: false });
  });

  test('R8 the glob knows only * and ?; other characters are literal', () => {
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('a*b*c', 'aXbYbc')).toBe(true);
    expect(globMatches('a*b', 'aXbY')).toBe(false);
    expect(globMatches('[ab].example', 'a.example')).toBe(false);
    expect(globMatches('[ab].example', '[AB].example')).toBe(true);
    expect(globMatches('ws-?', 'ws-')).toBe(false);
    expect(globMatches('*@acme.example', 'x@acme.example.evil')).toBe(false);
  });
});

test('R8 four-eyes is on by default for account disable and isolation, off for other measures, and a tenant rule decides either way', () => {
  const [disable, , isolate, block] = matrix.rules;
  expect([disable, isolate, block].map((rule) => rule && fourEyesRequired(rule))).toEqual([true, true, false]);
  expect(fourEyesRequired({ action: 'm365.disableUser', targets: { users: ['*'] }, requiresApproval: true, fourEyes: false })).toBe(false);
  expect(fourEyesRequired({ action: 'firewall.blockIp', targets: { firewalls: ['fw1'] }, requiresApproval: true, fourEyes: true })).toBe(true);
});
