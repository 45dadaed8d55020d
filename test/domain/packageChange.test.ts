/** R16: a package change takes effect at the end of a month and needs five Werktage of notice (Monday-Saturday without DE-NW holidays, Berlin time). */
import { werktageOfNotice, decidePackageChange, earliestPackageChange, packageOn } from '../../domain/packageChange';

const at = (iso: string) => new Date(iso);

describe('R16 package change dates', () => {
  test.each([
    ['Tuesday 24 Nov 2026: five Werktage remain (25-28, 30 Nov; Saturday 28 counts)', '2026-11-24T10:00:00Z', '2026-12-01', '2026-11-30T23:00:00.000Z'],
    ['Wednesday 25 Nov 2026: four remain, so the end of December', '2026-11-25T10:00:00Z', '2027-01-01', '2026-12-31T23:00:00.000Z'],
    ['23:30 UTC on 24 Nov is already 25 Nov in Berlin', '2026-11-24T23:30:00Z', '2027-01-01', '2026-12-31T23:00:00.000Z'],
    ['Christmas: 23 Dec 2026 leaves 24, 28, 29, 30, 31 Dec (25 and Saturday 26 are holidays)', '2026-12-23T10:00:00Z', '2027-01-01', '2026-12-31T23:00:00.000Z'],
    ['Christmas: 24 Dec 2026 leaves four, so the end of January', '2026-12-24T10:00:00Z', '2027-02-01', '2027-01-31T23:00:00.000Z'],
    ['New Year\'s Eve: nothing left of December', '2026-12-31T10:00:00Z', '2027-02-01', '2027-01-31T23:00:00.000Z'],
    ['Easter 2027: 23 Mar leaves 24, 25, 27, 30, 31 (Good Friday and Easter Monday are holidays, Saturday 27 counts)', '2027-03-23T10:00:00Z', '2027-04-01', '2027-03-31T22:00:00.000Z'],
    ['Easter 2027: 24 Mar leaves four, so the end of April', '2027-03-24T10:00:00Z', '2027-05-01', '2027-04-30T22:00:00.000Z'],
    ['a request made on Saturday 24 Apr 2027 leaves 26-30 Apr', '2027-04-24T10:00:00Z', '2027-05-01', '2027-04-30T22:00:00.000Z'],
    ['a request made on Sunday 25 Apr 2027 leaves 26-30 Apr', '2027-04-25T10:00:00Z', '2027-05-01', '2027-04-30T22:00:00.000Z'],
    ['a request made on Saturday 1 May 2027 (Labour Day, a holiday) has the rest of May', '2027-05-01T10:00:00Z', '2027-06-01', '2027-05-31T22:00:00.000Z'],
    ['Monday 24 May 2027 leaves 25, 26, 28, 29, 31 (Corpus Christi 27 excluded, Saturday 29 counts)', '2027-05-24T10:00:00Z', '2027-06-01', '2027-05-31T22:00:00.000Z'],
    ['a request made on Corpus Christi 2027 leaves 28, 29, 31 May, so the end of June', '2027-05-27T10:00:00Z', '2027-07-01', '2027-06-30T22:00:00.000Z'],
    ['Monday 26 Jul 2027 leaves 27-31 Jul, Saturday 31 the last', '2027-07-26T10:00:00Z', '2027-08-01', '2027-07-31T22:00:00.000Z'],
  ])('R16 %s', (_name, requestedAt, effectiveDate, effectiveFrom) => {
    const earliest = earliestPackageChange(at(requestedAt));
    expect(earliest.effectiveDate).toBe(effectiveDate);
    expect(earliest.effectiveFrom.toISOString()).toBe(effectiveFrom);
  });

  test('R16 counts Werktage (Monday-Saturday) after the request day, without Sundays and DE-NW holidays', () => {
    expect(werktageOfNotice(at('2026-12-20T10:00:00Z'), 2026, 12)).toBe(8); // 21-24, 28-31 (25, 26 holidays)
    expect(werktageOfNotice(at('2027-03-24T10:00:00Z'), 2027, 3)).toBe(4); // 25, 27, 30, 31
    expect(werktageOfNotice(at('2027-01-23T10:00:00Z'), 2027, 1)).toBe(6); // from Saturday 23: 25-30
    expect(werktageOfNotice(at('2027-01-24T10:00:00Z'), 2027, 1)).toBe(6); // from Sunday 24: 25-30
  });

  test('R16 a late request for a wanted date is refused with the earliest possible date', () => {
    const decision = decidePackageChange(at('2026-12-24T10:00:00Z'), '2027-01-01');
    expect(decision).toMatchObject({ accepted: false, earliest: { effectiveDate: '2027-02-01' } });
    if (decision.accepted) throw new Error('accepted');
    expect(decision.reason).toContain('2027-02-01');
  });

  test('R16 a later wanted date is accepted; a date that is not the first of a month is an error', () => {
    expect(decidePackageChange(at('2026-12-24T10:00:00Z'), '2027-06-01')).toMatchObject({ accepted: true, effectiveDate: '2027-06-01' });
    expect(decidePackageChange(at('2026-12-01T10:00:00Z'))).toMatchObject({ accepted: true, effectiveDate: '2027-01-01' });
    expect(() => decidePackageChange(at('2026-12-01T10:00:00Z'), '2027-01-15')).toThrow(RangeError);
  });

  test('R16 the package in force switches exactly at the effective instant', () => {
    const changes = [
      { tenantId: 't', toPackage: 3 as const, effectiveFrom: '2026-12-31T23:00:00.000Z' },
      { tenantId: 't', toPackage: 1 as const, effectiveFrom: '2027-03-31T22:00:00.000Z' },
    ];
    expect(packageOn(2, changes, at('2026-12-31T22:59:59.999Z'))).toBe(2);
    expect(packageOn(2, changes, at('2026-12-31T23:00:00.000Z'))).toBe(3);
    expect(packageOn(2, changes, at('2027-04-01T00:00:00Z'))).toBe(1);
  });
});
