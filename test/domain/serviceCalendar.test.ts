/** The SOC's service calendar (R5, R10, R11) across summer time, DE-NW holidays and the edges of each window. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInService, nextServiceOpening, serviceWindowAt, type ServiceTerms } from '../../domain/calendar/serviceCalendar';
import { deNwHolidayTable, renderHolidayModule } from '../../scripts/generate-holidays';

const package2: ServiceTerms = { package: 2, twentyFourSeven: false, weekendEmergency: false };
const weekendOption: ServiceTerms = { package: 2, twentyFourSeven: false, weekendEmergency: true };
const twentyFourSeven: ServiceTerms = { package: 3, twentyFourSeven: true, weekendEmergency: false };
const at = (iso: string) => new Date(iso);

describe('R5 package 2 support hours: Monday-Friday 09:00-17:00 Europe/Berlin, not on DE-NW holidays', () => {
  test.each([
    ['Monday 08:59 CET', '2026-11-23T07:59:00Z', false],
    ['Monday 09:00 CET', '2026-11-23T08:00:00Z', true],
    ['Friday 16:59 CET', '2026-11-27T15:59:00Z', true],
    ['Friday 17:00 CET', '2026-11-27T16:00:00Z', false],
    ['Saturday noon', '2026-11-28T11:00:00Z', false],
    ['Sunday 23:59 CET', '2026-11-29T22:59:00Z', false],
    ['Friday before the spring switch, 09:00 CET', '2026-03-27T08:00:00Z', true],
    ['Monday after the spring switch, 08:59 CEST', '2026-03-30T06:59:00Z', false],
    ['Monday after the spring switch, 09:00 CEST', '2026-03-30T07:00:00Z', true],
    ['Friday before the autumn switch, 16:59 CEST', '2026-10-23T14:59:00Z', true],
    ['Friday before the autumn switch, 17:00 CEST', '2026-10-23T15:00:00Z', false],
    ['Monday after the autumn switch, 08:59 CET', '2026-10-26T07:59:00Z', false],
    ['Monday after the autumn switch, 09:00 CET', '2026-10-26T08:00:00Z', true],
    ['Good Friday', '2026-04-03T09:00:00Z', false],
    ['Easter Monday', '2026-04-06T09:00:00Z', false],
    ['Tuesday after Easter', '2026-04-07T09:00:00Z', true],
    ['Ascension Day', '2026-05-14T09:00:00Z', false],
    ['Pentecost Monday', '2026-05-25T09:00:00Z', false],
    ['Corpus Christi (NW, not every state)', '2026-06-04T09:00:00Z', false],
    ['Christmas Eve (a working day)', '2026-12-24T09:00:00Z', true],
    ['Christmas Day', '2026-12-25T09:00:00Z', false],
    ['Boxing Day falls on Saturday anyway', '2026-12-26T09:00:00Z', false],
    ['New Year', '2027-01-01T09:00:00Z', false],
    ['All Saints (NW)', '2027-11-01T09:00:00Z', false],
    ['German Unity Day', '2028-10-03T09:00:00Z', false],
  ])('%s -> %s', (_name, iso, open) => {
    expect(isInService(package2, at(iso), 'critical')).toBe(open);
    expect(isInService(package2, at(iso), 'low')).toBe(open);
  });

  test('R5 next opening after Friday 17:00 is Monday 09:00', () => {
    expect(nextServiceOpening(package2, at('2026-11-27T16:00:00Z'), 'high')?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  test('R5 next opening across the spring switch is Monday 09:00 CEST', () => {
    expect(nextServiceOpening(package2, at('2026-03-27T16:00:00Z'), 'high')?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  test('R5 next opening over the Easter weekend skips Good Friday and Easter Monday', () => {
    expect(nextServiceOpening(package2, at('2026-04-02T15:30:00Z'), 'medium')?.toISOString()).toBe('2026-04-07T07:00:00.000Z');
  });

  test('R5 next opening over Christmas and New Year', () => {
    expect(nextServiceOpening(package2, at('2026-12-24T16:00:00Z'), 'low')?.toISOString()).toBe('2026-12-28T08:00:00.000Z');
    expect(nextServiceOpening(package2, at('2026-12-31T16:00:00Z'), 'low')?.toISOString()).toBe('2027-01-04T08:00:00.000Z');
  });

  test('R5 in service, the next opening is now', () => {
    const now = at('2026-11-25T10:00:00Z');
    expect(nextServiceOpening(package2, now, 'low')).toBe(now);
  });
});

describe('R10 weekend emergency option: Friday 17:00 to Sunday 24:00, critical only', () => {
  test.each([
    ['Friday 16:59, business hours', '2026-11-27T15:59:00Z', 'business_hours'],
    ['Friday 17:00', '2026-11-27T16:00:00Z', 'weekend_emergency'],
    ['Saturday 03:00', '2026-11-28T02:00:00Z', 'weekend_emergency'],
    ['Sunday 23:59', '2026-11-29T22:59:00Z', 'weekend_emergency'],
    ['Monday 00:00', '2026-11-29T23:00:00Z', null],
    ['Monday 08:59', '2026-11-30T07:59:00Z', null],
    ['a weekday holiday is not covered', '2026-06-04T09:00:00Z', null],
  ])('critical, %s -> %s', (_name, iso, window) => {
    expect(serviceWindowAt(weekendOption, at(iso), 'critical')).toBe(window);
  });

  test('R10 a high alert gets no weekend service', () => {
    expect(isInService(weekendOption, at('2026-11-28T10:00:00Z'), 'high')).toBe(false);
    expect(nextServiceOpening(weekendOption, at('2026-11-27T16:00:00Z'), 'high')?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  test('R10 a critical incident on Thursday evening before Easter waits for Good Friday 17:00', () => {
    expect(nextServiceOpening(weekendOption, at('2026-04-02T15:30:00Z'), 'critical')?.toISOString()).toBe('2026-04-03T15:00:00.000Z');
  });
});

describe('R11 24/7 option, and package 1', () => {
  test.each(['2026-12-25T02:00:00Z', '2026-04-06T23:30:00Z', '2026-11-28T03:00:00Z', '2026-03-29T01:30:00Z'])('R11 24/7 is in service at %s, holidays included', (iso) => {
    expect(serviceWindowAt(twentyFourSeven, at(iso), 'low')).toBe('twenty_four_seven');
  });

  test('R3 package 1 has no analyst service at any time', () => {
    const package1: ServiceTerms = { package: 1, twentyFourSeven: false, weekendEmergency: false };
    expect(isInService(package1, at('2026-11-25T10:00:00Z'), 'critical')).toBe(false);
    expect(nextServiceOpening(package1, at('2026-11-25T10:00:00Z'), 'critical')).toBeNull();
  });
});

test('R5 the holiday table is exactly what the date-holidays library says (regenerate with scripts/generate-holidays.ts)', () => {
  const committed = readFileSync(join(__dirname, '../../domain/calendar/deNwHolidays.generated.ts'), 'utf8');
  expect(committed).toBe(renderHolidayModule(deNwHolidayTable()));
});

describe('agreed service windows replace the contract calendar', () => {
  const terms: ServiceTerms = { ...package2, windows: [{ from: '2026-11-28T10:00:00Z', to: '2026-11-28T12:00:00Z' }] };
  test('open inside a window, closed outside, next opening at its start', () => {
    expect(serviceWindowAt(terms, at('2026-11-28T11:00:00Z'), 'low')).toBe('agreed_window');
    expect(isInService(terms, at('2026-11-25T10:00:00Z'), 'low')).toBe(false);
    expect(nextServiceOpening(terms, at('2026-11-25T10:00:00Z'), 'low')?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(nextServiceOpening(terms, at('2026-11-29T10:00:00Z'), 'low')).toBeNull();
  });
});
