/**
 * R16 package changes as pure functions of the time given: a change takes effect at the end of a month (from 00:00
 * German time on the first of the next month) and needs five Werktage of notice between the day of the request and
 * that month end. In German usage (§ 3 (2) BUrlG) Werktage are Monday to Saturday except public holidays (DE-NW).
 */
import { berlinLocalToUtc, toBerlinLocal } from './calendar/berlinTime';
import { isWerktag } from './calendar/serviceCalendar';
import type { TenantPackage } from './tenantPolicy';

export const NOTICE_WERKTAGE = 5;

/** When a change takes effect: `effectiveDate` is the first day of the new month (`YYYY-MM-01`), `effectiveFrom` its 00:00 in Berlin. */
export interface PackageChangeDate {
  effectiveDate: string;
  effectiveFrom: Date;
}

export type PackageChangeDecision =
  | ({ accepted: true } & PackageChangeDate)
  | { accepted: false; earliest: PackageChangeDate; noticeWerktage: number; reason: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** The first day of the month after `year-month`, as a change date. */
function monthAfter(year: number, month: number): PackageChangeDate {
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return { effectiveDate: `${nextYear}-${pad(nextMonth)}-01`, effectiveFrom: new Date(berlinLocalToUtc(nextYear, nextMonth, 1, 0)) };
}

/** Werktage (Monday-Saturday, DE-NW holidays excluded) after the request's (Berlin) day up to and including the last day of that month. */
export function werktageOfNotice(requestedAt: Date, monthYear: number, month: number): number {
  const start = toBerlinLocal(requestedAt.getTime());
  const lastDay = new Date(Date.UTC(monthYear, month, 0)).getUTCDate();
  let count = 0;
  for (let day = 1; day <= lastDay; day++) {
    const key = `${monthYear}-${pad(month)}-${pad(day)}`;
    if (key <= start.dateKey) continue;
    const weekday = new Date(Date.UTC(monthYear, month - 1, day)).getUTCDay() || 7;
    if (isWerktag({ year: monthYear, dateKey: key, weekday })) count++;
  }
  return count;
}

/** The earliest month end a change requested at `requestedAt` can take effect at (R16). */
export function earliestPackageChange(requestedAt: Date): PackageChangeDate {
  const local = toBerlinLocal(requestedAt.getTime());
  if (werktageOfNotice(requestedAt, local.year, local.month) >= NOTICE_WERKTAGE) return monthAfter(local.year, local.month);
  return monthAfter(local.month === 12 ? local.year + 1 : local.year, local.month === 12 ? 1 : local.month + 1);
}

/**
 * Decides a change request: without a wanted date the earliest possible one; a wanted date must be the first of a
 * month and not earlier than the earliest possible one, else the request is refused naming the earliest date.
 * `what` names the change in the refusal (an R11 option change follows the same rule).
 */
export function decidePackageChange(requestedAt: Date, wantedDate?: string, what = 'a package change'): PackageChangeDecision {
  const earliest = earliestPackageChange(requestedAt);
  if (wantedDate === undefined) return { accepted: true, ...earliest };
  const match = /^(\d{4})-(\d{2})-01$/.exec(wantedDate);
  if (!match) throw new RangeError(`'${wantedDate}' is not the first day of a month (YYYY-MM-01)`);
  if (wantedDate < earliest.effectiveDate) {
    const local = toBerlinLocal(requestedAt.getTime());
    return {
      accepted: false,
      earliest,
      noticeWerktage: NOTICE_WERKTAGE,
      reason:
        `R16: ${what} takes effect at the end of a month with ${NOTICE_WERKTAGE} Werktage (Monday-Saturday without DE-NW holidays) of notice; ` +
        `requested on ${local.dateKey}, the earliest possible date is ${earliest.effectiveDate}`,
    };
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  return { accepted: true, effectiveDate: wantedDate, effectiveFrom: new Date(berlinLocalToUtc(year, month, 1, 0)) };
}

/** A recorded change: from `effectiveFrom` on the tenant has `toPackage`. */
export interface ScheduledPackageChange {
  tenantId: string;
  toPackage: TenantPackage;
  effectiveFrom: string;
}

/** The package in force at `at`: the latest change already in effect, else the package of the tenant file. */
export function packageOn(filePackage: TenantPackage, changes: readonly ScheduledPackageChange[], at: Date): TenantPackage {
  const inEffect = changes.filter((c) => Date.parse(c.effectiveFrom) <= at.getTime()).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return inEffect.at(-1)?.toPackage ?? filePackage;
}
