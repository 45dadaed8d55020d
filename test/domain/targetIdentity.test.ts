/** The name rules of verified targets (R8): when an id from an alert belongs to the named host or user. */
import type { TargetFacts } from '../../domain/response/actionContract';
import { hostNamesMatch, userNamesMatch, verifyIdentity } from '../../domain/response/targetIdentity';

describe('R8 host names', () => {
  test.each([
    ['ws-0042.rheinwerk.local', 'ws-0042.rheinwerk.local', true],
    ['WS-0042.Rheinwerk.Local', 'ws-0042.rheinwerk.local', true],
    ['ws-0042.rheinwerk.local.', 'ws-0042.rheinwerk.local', true],
    ['ws-0042', 'ws-0042.rheinwerk.local', true],
    ['ws-0042.rheinwerk.local', 'WS-0042', true],
    ['ws-0042.other.local', 'ws-0042.rheinwerk.local', false],
    ['ws-0042.rheinwerk', 'ws-0042.rheinwerk.local', false],
    ['ws-0042', 'ws-0043.rheinwerk.local', false],
    ['ws-0042', 'ws-0042', true],
    ['rheinwerk', 'ws-0042.rheinwerk.local', false],
    ['', 'ws-0042.rheinwerk.local', false],
  ])('%s against the vendor name %s: %s', (alertName, vendorName, same) => {
    expect(hostNamesMatch(alertName, vendorName)).toBe(same);
  });
});

describe('R8 user names', () => {
  const aliases = ['m.mueller@mueller-logistik.example', 'SMTP:m.mueller@mueller-logistik.example', 'smtp:ceo@mueller-logistik.example'];
  test.each([
    ['m.mueller@mueller-logistik.example', true],
    ['M.Mueller@Mueller-Logistik.example', true],
    ['ceo@mueller-logistik.example', true],
    ['smtp:ceo@mueller-logistik.example', false],
    ['m.mueller', true],
    ['ceo', false],
    ['someone@mueller-logistik.example', false],
    ['m.mueller@other.example', false],
  ])('%s against m.mueller@mueller-logistik.example and its aliases: %s', (alertName, same) => {
    expect(userNamesMatch(alertName, 'm.mueller@mueller-logistik.example', aliases)).toBe(same);
  });
});

describe('R8 verifyIdentity', () => {
  const hostFacts = (name: string | null): TargetFacts => ({ target: { kind: 'host', hostname: 'ws-0042', machineId: 'm-1' }, groups: ['RW-Workstations'], found: true, identity: { name, aliases: [] } });

  test('a verified host carries the vendor DNS name, which the release matrix then sees', () => {
    expect(verifyIdentity({ kind: 'host', hostname: 'ws-0042', machineId: 'm-1' }, hostFacts('WS-0042.rheinwerk.local'))).toEqual({
      verified: true,
      target: { kind: 'host', hostname: 'ws-0042.rheinwerk.local', machineId: 'm-1' },
    });
  });

  test('an id that belongs to another machine is refused, naming both names and the id', () => {
    const check = verifyIdentity({ kind: 'host', hostname: 'ws-0042.rheinwerk.local', machineId: 'm-1' }, hostFacts('srv-dc01.rheinwerk.local'));
    expect(check.verified).toBe(false);
    if (!check.verified) expect(check.reason).toBe("R8: the alert names host ws-0042.rheinwerk.local, but the vendor's machine m-1 is srv-dc01.rheinwerk.local: not the same machine, nothing is done");
  });

  test('a vendor answer without a name cannot verify anything', () => {
    const check = verifyIdentity({ kind: 'host', hostname: 'ws-0042', machineId: 'm-1' }, hostFacts(null));
    expect(check).toEqual({ verified: false, reason: 'R8: the vendor gives no name for host ws-0042 m-1, so the target cannot be verified' });
  });

  test('a user named by an alias is the vendor user under its UPN', () => {
    const facts: TargetFacts = { target: { kind: 'user', upn: 'ceo@mueller-logistik.example', objectId: 'o-1' }, groups: [], found: true, identity: { name: 'm.mueller@mueller-logistik.example', aliases: ['smtp:ceo@mueller-logistik.example'] } };
    expect(verifyIdentity({ kind: 'user', upn: 'ceo@mueller-logistik.example', objectId: 'o-1' }, facts)).toEqual({
      verified: true,
      target: { kind: 'user', upn: 'm.mueller@mueller-logistik.example', objectId: 'o-1' },
    });
  });

  test('targets other than users and hosts need no vendor name', () => {
    const firewall = { kind: 'firewall', sourceId: 'fw1', vendor: 'opnsense' } as const;
    expect(verifyIdentity(firewall, { target: firewall, groups: [], found: true })).toEqual({ verified: true, target: firewall });
  });
});
