/** Whether response measures may follow an approved recommendation (R7-R11), as a pure function of the time given. */
import { serviceWindowAt } from '../calendar/serviceCalendar';
import type { Severity } from '../severity';
import type { TenantPolicy } from '../tenantPolicy';

export type ResponseDecision =
  | { allowed: true; reason: string }
  /** `rule` says which rule refused: R9 passes when service opens, the others do not pass by waiting. */
  | { allowed: false; rule: 'R3' | 'R7' | 'R9' | 'R10'; reason: string };

/**
 * `customerOrder`: the billable work order the customer placed for measures on this alert (R10: in the weekend window
 * measures stay possible, "weiterhin kostenpflichtig", once ordered).
 */
export function responseDecision(tenant: TenantPolicy, severity: Severity, at: Date, customerOrder: string | null = null): ResponseDecision {
  if (tenant.package === 1) return { allowed: false, rule: 'R3', reason: 'R3: package 1 includes no response; measures are billable work' };
  // R11 options are booked together or one by one on top of package 2: `allSeverities` counts on package 2 as on 3.
  const inScope = severity === 'critical' || tenant.allSeverities;
  if (!inScope) return { allowed: false, rule: 'R7', reason: `R7: a ${severity} alert gets analysis and a recommendation; carrying a measure out is billable` };
  const window = serviceWindowAt(tenant.terms, at, severity);
  if (window === null) return { allowed: false, rule: 'R9', reason: 'R9: measures only within service hours' };
  if (window === 'weekend_emergency') {
    if (customerOrder !== null) return { allowed: true, reason: `weekend emergency, measures ordered by the customer and billed separately (R10, work order ${customerOrder})` };
    return {
      allowed: false,
      rule: 'R10',
      reason: "R10: weekend emergency service assesses and recommends; measures need the customer's order, recorded as billable work (POST /v1/work-orders naming the alert)",
    };
  }
  return { allowed: true, reason: `in service (${window.replace(/_/g, ' ')})` };
}
