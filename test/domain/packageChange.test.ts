/** R16: a package change takes effect at the end of a month and needs five German business days' notice (DE-NW, Berlin time). */
import { businessDaysOfNotice, decidePackageChange, earliestPackageChange, packageOn } from '../../domain/packageChange';

const at = (iso: string) => new Date(iso);

describe('R16 package change dates', () => {
  test.each([
    ['Monday 23 Nov 2026: five business days remain (24-27, 30 Nov)', '2026-11-23T10:00:00Z', '2026-12-01', '2026-11-30T23:00:00.000Z'],
    ['Tuesday 24 Nov 2026: four remain, so the end of December', '2026-11-24T10:00:00Z', '2027-01-01', '2026-12-31T23:00:00.000Z'],
    ['23:30 UTC on 23 Nov is already 24 Nov in Berlin', '2026-11-23T23:30:00Z', '2027-01-01', '2026-12-31T23:00:00.000Z'],
    ['Christmas: 23 Dec 2026 leaves 24, 28, 29, 30, 31 Dec (25 and 26 are holidays)', '2026-12-23T10:00:00Z', '2027-01-01', '2026-12-31T23:00:00.000Z'],
    ['Christmas: 24 Dec 2026 leaves four, so the end of January', '2026-12-24T10:00:00Z', '2027-02-01', '2027-01-31T23:00:00.000Z'],
    ['New Year\'s Eve: nothing left of December', '2026-12-31T10:00:00Z', '2027-02-01', '2027-01-31T23:00:00.000Z'],
    ['Easter 2027: 22 Mar leaves 23, 24, 25, 30, 31 (Good Friday and Easter Monday are holidays)', '2027-03-22T10:00:00Z', '2027-04-01', '2027-03-31T22:00:00.000Z'],
    ['Easter 2027: 23 Mar leaves four, so the end of April', '2027-03-23T10:00:00Z', '2027-05-01', '2027-04-30T22:00:00.000Z'],
  ])('R16 %s', (_name, requestedAt, effectiveDate, effectiveFrom) => {
    const earliest = earliestPackageChange(at(requestedAt));
    expect(earliest.effectiveDate).toBe(effectiveDate);
    expect(earliest.effectiveFrom.toISOString()).toBe(effectiveFrom);
  });

  test('R16 counts business days after the request day, without weekends and DE-NW holidays', () => {
    expect(businessDaysOfNotice(at('2026-12-20T10:00:00Z'), 2026, 12)).toBe(8); // 21-24, 28-31
    expect(businessDaysOfNotice(at('2027-03-24T10:00:00Z'), 2027, 3)).toBe(3); // 25, 30, 31
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
