/** Whether response measures may follow an approved recommendation (R7-R11), as a pure function of the time given. */
import { serviceWindowAt } from '../calendar/serviceCalendar';
import type { Severity } from '../severity';
import type { TenantPolicy } from '../tenantPolicy';
import { timelineText, type TimelineText } from '../i18n/timelineText';

/** `reason` in English; `because` the same as a catalogue text, for the timeline in the reader's language. */
export type ResponseDecision =
  | { allowed: true; reason: string; because: TimelineText }
  /** `rule` says which rule refused: R9 passes when service opens, the others do not pass by waiting. */
  | { allowed: false; rule: 'R3' | 'R7' | 'R9' | 'R10'; reason: string; because: TimelineText };

const reason = (key: string, params: Record<string, string> = {}) => {
  const { detail, text } = timelineText(`policy.${key}`, params);
  return { reason: detail, because: text };
};

/**
 * `customerOrder`: the billable work order the customer placed for measures on this alert (R10: in the weekend window
 * measures stay possible, "weiterhin kostenpflichtig", once ordered).
 */
export function responseDecision(tenant: TenantPolicy, severity: Severity, at: Date, customerOrder: string | null = null): ResponseDecision {
  if (tenant.package === 1) return { allowed: false, rule: 'R3', ...reason('r3') };
  // R11 options are booked together or one by one on top of package 2: `allSeverities` counts on package 2 as on 3.
  const inScope = severity === 'critical' || tenant.allSeverities;
  if (!inScope) return { allowed: false, rule: 'R7', ...reason('r7', { severity }) };
  const window = serviceWindowAt(tenant.terms, at, severity);
  if (window === null) return { allowed: false, rule: 'R9', ...reason('r9') };
  if (window === 'weekend_emergency') {
    if (customerOrder !== null) return { allowed: true, ...reason('weekendOrdered', { workOrder: customerOrder }) };
    return { allowed: false, rule: 'R10', ...reason('r10') };
  }
  return { allowed: true, ...reason('inService', { window }) };
}
