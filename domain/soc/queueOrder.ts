/**
 * The analysts' queue order (R11), as pure functions: a tenant's fixed SOC contact serves "werktags" (Monday to
 * Saturday without DE-NW holidays, German time) and sees that tenant's alerts first on those days; for everybody else
 * routing never outranks severity: severity first, then unrouted before routed to a colleague, then age.
 */
import { toBerlinLocal } from '../calendar/berlinTime';
import { isWerktag } from '../calendar/serviceCalendar';
import { severityRank, type Severity } from '../severity';

export interface QueueEntry {
  severity: Severity | null;
  receivedAt: string;
  /** The analyst the alert is routed to now, or null. */
  routedTo: string | null;
}

/** The fixed SOC contact an alert is routed to at `at`: on Werktage only (R11 "werktags"). */
export function routedAnalystAt(fixedSocContact: string | null, at: Date): string | null {
  if (fixedSocContact === null) return null;
  return isWerktag(toBerlinLocal(at.getTime())) ? fixedSocContact : null;
}

/** Sorts the queue of analyst `me`: negative when `a` comes first. */
export function queueOrderFor(me: string): (a: QueueEntry, b: QueueEntry) => number {
  const mine = (entry: QueueEntry) => (entry.routedTo === me ? 0 : 1);
  const colleagues = (entry: QueueEntry) => (entry.routedTo !== null && entry.routedTo !== me ? 1 : 0);
  return (a, b) =>
    mine(a) - mine(b) ||
    severityRank(b.severity ?? 'low') - severityRank(a.severity ?? 'low') ||
    colleagues(a) - colleagues(b) ||
    Date.parse(a.receivedAt) - Date.parse(b.receivedAt);
}
