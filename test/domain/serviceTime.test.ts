/** R5: the internal service figures count the SOC's service hours only (Mon-Fri 09:00-17:00 Europe/Berlin, not DE-NW holidays). */
import { isInService, SERVICE_CHANGES_EVERY_MS, type ServiceTerms } from '../../domain/calendar/serviceCalendar';
import { serviceMsBetween } from '../../domain/calendar/serviceTime';
import type { Severity } from '../../domain/severity';

const business = { package: 2 as const, twentyFourSeven: false, weekendEmergency: false };
const hours = (ms: number) => ms / 3_600_000;

test('R5 within one service day the figure is the plain difference', () => {
  expect(hours(serviceMsBetween(business, new Date('2026-12-03T09:00:00Z'), new Date('2026-12-03T11:30:00Z'), 'high'))).toBe(2.5);
});

test('R5 the night and the weekend do not count: Friday 16:00 to Monday 10:00 (CET) is two service hours', () => {
  expect(hours(serviceMsBetween(business, new Date('2026-12-04T15:00:00Z'), new Date('2026-12-07T09:00:00Z'), 'high'))).toBe(2);
});

test('R5 a DE-NW holiday does not count: 24 Dec 16:00 to 28 Dec 10:00 (CET) is two service hours', () => {
  // 24 Dec 2026 is a Thursday (Christmas Eve, a working day), 25 and 26 are holidays, 27 is a Sunday.
  expect(hours(serviceMsBetween(business, new Date('2026-12-24T15:00:00Z'), new Date('2026-12-28T09:00:00Z'), 'medium'))).toBe(2);
});

test('R10 R11 24/7 counts every hour; the weekend option counts the weekend for critical incidents only', () => {
  const from = new Date('2026-12-04T15:00:00Z');
  const to = new Date('2026-12-07T09:00:00Z');
  expect(hours(serviceMsBetween({ ...business, twentyFourSeven: true }, from, to, 'low'))).toBe(66);
  expect(hours(serviceMsBetween({ ...business, weekendEmergency: true }, from, to, 'critical'))).toBe(2 + 55);
  expect(hours(serviceMsBetween({ ...business, weekendEmergency: true }, from, to, 'high'))).toBe(2);
});

test('agreed windows count their exact overlap; package 1 has no service hours', () => {
  const windows = [{ from: '2026-12-04T10:00:00.000Z', to: '2026-12-04T10:00:30.000Z' }];
  expect(serviceMsBetween({ ...business, windows }, new Date('2026-12-04T09:00:00Z'), new Date('2026-12-04T11:00:00Z'), 'high')).toBe(30_000);
  expect(serviceMsBetween({ ...business, package: 1 }, new Date('2026-12-04T09:00:00Z'), new Date('2026-12-04T11:00:00Z'), 'high')).toBe(0);
});

describe('R5 R11 service time counted by the hour gives what a minute-by-minute count gives', () => {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const weekendOption = { ...business, weekendEmergency: true };
  /** The plain count: every minute of the span that starts in service, for the part of it inside the span. */
  function minuteByMinute(terms: ServiceTerms, from: Date, to: Date, severity: Severity): number {
    let total = 0;
    for (let minute = Math.floor(from.getTime() / MINUTE) * MINUTE; minute < to.getTime(); minute += MINUTE) {
      if (isInService(terms, new Date(minute), severity)) total += Math.min(to.getTime(), minute + MINUTE) - Math.max(from.getTime(), minute);
    }
    return total;
  }

  test('the calendar opens and closes service only on whole UTC hours, across both summer-time switches and the holidays of 2026', () => {
    const changes: string[] = [];
    for (const [terms, severity] of [[business, 'high'], [weekendOption, 'critical']] as const) {
      let before = isInService(terms, new Date(Date.UTC(2026, 0, 1)), severity);
      for (let t = Date.UTC(2026, 0, 1) + MINUTE; t < Date.UTC(2027, 0, 1); t += MINUTE) {
        const now = isInService(terms, new Date(t), severity);
        if (now !== before && t % HOUR !== 0) changes.push(new Date(t).toISOString());
        before = now;
      }
    }
    expect(changes).toEqual([]);
    expect(SERVICE_CHANGES_EVERY_MS).toBe(HOUR);
  });

  test('the same milliseconds for 200 spans of up to a week, from any millisecond, across both summer-time switches and the holidays of 2026', () => {
    let seed = 18;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const cases = [[business, 'high'], [weekendOption, 'critical'], [weekendOption, 'medium']] as const;
    const differences: string[] = [];
    let counted = 0;
    for (let i = 0; i < 200; i++) {
      const [terms, severity] = cases[i % cases.length] as (typeof cases)[number];
      const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 360 * 24 * HOUR));
      const to = new Date(from.getTime() + Math.floor(random() * (random() < 0.5 ? 10 * HOUR : 7 * 24 * HOUR)));
      const hourly = serviceMsBetween(terms, from, to, severity);
      counted += hourly;
      const reference = minuteByMinute(terms, from, to, severity);
      if (hourly !== reference) differences.push(`${from.toISOString()}..${to.toISOString()} ${severity}: ${hourly} != ${reference}`);
    }
    expect(differences).toEqual([]);
    expect(counted).toBeGreaterThan(0);
  });
});
