/**
 * When the SOC is in service for a tenant (R5, R9, R10, R11), as pure functions of the time given:
 * package 2 Monday-Friday 09:00-17:00 German time except DE-NW public holidays; the 24/7 option always;
 * the weekend emergency option Friday 17:00 to Sunday 24:00, for critical incidents only.
 */
import type { Severity } from '../severity';
import { berlinLocalToUtc, toBerlinLocal, type BerlinLocal } from './berlinTime';
import { DE_NW_FIRST_YEAR, DE_NW_HOLIDAYS, DE_NW_LAST_YEAR } from './deNwHolidays.generated';

export interface ServiceTerms {
  package: 1 | 2 | 3;
  twentyFourSeven: boolean;
  weekendEmergency: boolean;
  /**
   * Explicit service windows that replace the contract calendar: for special arrangements, and for tests
   * that need service to open in two seconds rather than on Monday.
   */
  windows?: { from: string; to: string }[];
}

export const SERVICE_WINDOWS = ['business_hours', 'twenty_four_seven', 'weekend_emergency', 'agreed_window'] as const;
export type ServiceWindow = (typeof SERVICE_WINDOWS)[number];

const OPENS = 9 * 60;
const CLOSES = 17 * 60;
const FRIDAY = 5;
const SUNDAY = 7;
const MAX_DAYS_AHEAD = 31;

/**
 * The contract calendar opens and closes service only on whole UTC hours: at whole local hours (09:00, 17:00,
 * midnight) and Berlin is a whole number of hours off UTC, switching at 01:00 UTC. Counting service time steps by it
 * (serviceTime.ts); an opening at, say, 08:30 would have to make it a minute. Agreed windows are counted exactly.
 */
export const SERVICE_CHANGES_EVERY_MS = 60 * 60_000;

/** Thrown when a date lies outside the generated holiday table: regenerate it (scripts/generate-holidays.ts). */
export class CalendarRangeError extends Error {
  constructor(readonly year: number) {
    super(`No DE-NW holiday data for ${year} (table covers ${DE_NW_FIRST_YEAR}-${DE_NW_LAST_YEAR}): run scripts/generate-holidays.ts`);
  }
}

export function holidayOn(local: Pick<BerlinLocal, 'year' | 'dateKey'>): string | undefined {
  if (local.year < DE_NW_FIRST_YEAR || local.year > DE_NW_LAST_YEAR) throw new CalendarRangeError(local.year);
  return DE_NW_HOLIDAYS[local.dateKey];
}

function isBusinessDay(local: BerlinLocal): boolean {
  return local.weekday <= FRIDAY && holidayOn(local) === undefined;
}

/** A Werktag in German usage (§ 3 (2) BUrlG): Monday to Saturday, except public holidays (DE-NW). */
export function isWerktag(local: Pick<BerlinLocal, 'year' | 'dateKey' | 'weekday'>): boolean {
  return local.weekday !== SUNDAY && holidayOn(local) === undefined;
}

/** Which service window covers this moment for this severity, or null when the SOC is not in service. */
export function serviceWindowAt(terms: ServiceTerms, at: Date, severity: Severity): ServiceWindow | null {
  if (terms.package === 1) return null; // R3: no analyst service in package 1.
  if (terms.windows) {
    const t = at.getTime();
    return terms.windows.some((w) => Date.parse(w.from) <= t && t < Date.parse(w.to)) ? 'agreed_window' : null;
  }
  if (terms.twentyFourSeven) return 'twenty_four_seven';
  const local = toBerlinLocal(at.getTime());
  if (isBusinessDay(local) && local.minuteOfDay >= OPENS && local.minuteOfDay < CLOSES) return 'business_hours';
  if (terms.weekendEmergency && severity === 'critical') {
    const weekend = local.weekday >= 6 || (local.weekday === FRIDAY && local.minuteOfDay >= CLOSES);
    if (weekend) return 'weekend_emergency';
  }
  return null;
}

export function isInService(terms: ServiceTerms, at: Date, severity: Severity): boolean {
  return serviceWindowAt(terms, at, severity) !== null;
}

/** `at` itself when in service, else the next moment service opens; null when it never does (package 1). */
export function nextServiceOpening(terms: ServiceTerms, at: Date, severity: Severity): Date | null {
  if (terms.package === 1) return null;
  if (isInService(terms, at, severity)) return at;
  if (terms.windows) {
    const next = terms.windows.map((w) => Date.parse(w.from)).filter((t) => t > at.getTime()).sort((a, b) => a - b)[0];
    return next === undefined ? null : new Date(next);
  }
  const start = toBerlinLocal(at.getTime());
  for (let offset = 0; offset <= MAX_DAYS_AHEAD; offset++) {
    const noon = new Date(Date.UTC(start.year, start.month - 1, start.day + offset, 12));
    const day = toBerlinLocal(berlinLocalToUtc(noon.getUTCFullYear(), noon.getUTCMonth() + 1, noon.getUTCDate(), 12));
    const candidates: number[] = [];
    if (isBusinessDay(day)) candidates.push(berlinLocalToUtc(day.year, day.month, day.day, 9));
    if (terms.weekendEmergency && severity === 'critical') {
      if (day.weekday === FRIDAY) candidates.push(berlinLocalToUtc(day.year, day.month, day.day, 17));
      if (day.weekday >= 6) candidates.push(berlinLocalToUtc(day.year, day.month, day.day, 0));
    }
    const next = candidates.filter((t) => t > at.getTime()).sort((a, b) => a - b)[0];
    if (next !== undefined) return new Date(next);
  }
  throw new Error(`no service opening within ${MAX_DAYS_AHEAD} days of ${at.toISOString()}`);
}
