/**
 * German local time (Europe/Berlin) as pure arithmetic on the EU summer-time rule, so workflows compute it
 * deterministically without time-zone data: CEST (UTC+2) from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC, CET (UTC+1) otherwise.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface BerlinLocal {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minuteOfDay: number;
  /** `YYYY-MM-DD` of the local date. */
  dateKey: string;
}

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  return Date.UTC(year, monthIndex, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

export function berlinOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const summer = utcMs >= lastSundayUtc(year, 2) && utcMs < lastSundayUtc(year, 9);
  return summer ? 2 * HOUR : HOUR;
}

export function toBerlinLocal(utcMs: number): BerlinLocal {
  const local = new Date(utcMs + berlinOffsetMs(utcMs));
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    year,
    month,
    day,
    weekday: local.getUTCDay() === 0 ? 7 : local.getUTCDay(),
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
    dateKey: `${year}-${pad(month)}-${pad(day)}`,
  };
}

/** The instant of a local Berlin wall-clock time (never called for the hour skipped in spring). */
export function berlinLocalToUtc(year: number, month: number, day: number, hour: number, minute = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // Two hours before is at or before the true instant, and on the same side of any switch for hours other than 02:00-03:00.
  return asUtc - berlinOffsetMs(asUtc - 2 * HOUR);
}

/** The German calendar month `YYYY-MM` as instants: from 00:00 Berlin on its first day to 00:00 Berlin on the next month's. */
export function berlinMonthBounds(month: string): { from: Date; to: Date } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(berlinLocalToUtc(year, mon, 1, 0)),
    to: new Date(berlinLocalToUtc(mon === 12 ? year + 1 : year, mon === 12 ? 1 : mon + 1, 1, 0)),
  };
}

/** The German calendar month (`YYYY-MM`) an instant falls in. */
export function berlinMonthOf(at: Date): string {
  return toBerlinLocal(at.getTime()).dateKey.slice(0, 7);
}
