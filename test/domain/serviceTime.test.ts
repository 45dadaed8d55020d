/** R5: the internal service figures count the SOC's service hours only (Mon-Fri 09:00-17:00 Europe/Berlin, not DE-NW holidays). */
import { serviceMsBetween } from '../../domain/calendar/serviceTime';

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
