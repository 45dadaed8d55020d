/**
 * Time counted in the SOC's service hours only (the calendar the workflows wait by): for the internal service figures
 * (time to claim, to recommendation, to close). Nothing here is promised to a customer: the contract has no SLA.
 */
import type { Severity } from '../severity';
import { isInService, nextServiceOpening, SERVICE_CHANGES_EVERY_MS, type ServiceTerms } from './serviceCalendar';

/** Milliseconds between `from` and `to` that lie in service hours for this severity (contract windows to the minute). */
export function serviceMsBetween(terms: ServiceTerms, from: Date, to: Date, severity: Severity): number {
  const end = to.getTime();
  if (terms.windows) {
    // Agreed windows: exact overlap.
    return terms.windows.reduce((sum, w) => sum + Math.max(0, Math.min(end, Date.parse(w.to)) - Math.max(from.getTime(), Date.parse(w.from))), 0);
  }
  if (terms.package !== 1 && terms.twentyFourSeven) return Math.max(0, end - from.getTime());
  let total = 0;
  let at = from.getTime();
  while (at < end) {
    const opens = nextServiceOpening(terms, new Date(at), severity);
    if (opens === null || opens.getTime() >= end) break;
    // Walk the open window step by step: service opens and closes only on whole steps (whole UTC hours), so it is
    // either open or closed for a whole step, and a step that starts open counts whole.
    let cursor = opens.getTime();
    const firstStep = Math.min(end, Math.floor(cursor / SERVICE_CHANGES_EVERY_MS) * SERVICE_CHANGES_EVERY_MS + SERVICE_CHANGES_EVERY_MS);
    total += firstStep - cursor;
    cursor = firstStep;
    while (cursor < end && isInService(terms, new Date(cursor), severity)) {
      const next = Math.min(end, cursor + SERVICE_CHANGES_EVERY_MS);
      total += next - cursor;
      cursor = next;
    }
    at = cursor;
  }
  return total;
}
