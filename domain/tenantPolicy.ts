/** What an alert workflow needs to know of its tenant, captured at intake so that every replay sees the same terms. */
import type { ServiceTerms } from './calendar/serviceCalendar';
import type { Severity } from './severity';

export type TenantPackage = 1 | 2 | 3;

export interface PolicyContact {
  name: string;
  role: string;
  email: string;
  phone: string | null;
  mobile: boolean;
  notify: Severity[];
}

/** An on-call step with its target resolved to an address for its channel. */
export interface PolicyEscalationStep {
  name: string;
  channel: 'sms' | 'voice' | 'email';
  to: string;
  timeoutMs: number;
}

export interface TenantPolicy {
  id: string;
  package: TenantPackage;
  terms: ServiceTerms;
  /** R11: response for every severity, not only critical. */
  allSeverities: boolean;
  /** R11: the analyst routed alerts first on weekdays. */
  fixedSocContact: string | null;
  contacts: PolicyContact[];
  escalation: { steps: PolicyEscalationStep[]; management: { name: string; phone: string } } | null;
}
