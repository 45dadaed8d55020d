/** What an alert workflow needs to know of its tenant, captured at intake so that every replay sees the same terms. */
import type { ServiceTerms } from './calendar/serviceCalendar';
import type { PlaybookDefinition } from './playbook/playbookDefinition';
import type { ReleaseMatrix } from './tenant/releaseMatrixSchema';
import type { Severity } from './severity';
import type { Language } from './i18n/language';

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
  /** The on-call directory id or address the step pages (absent in histories made before it was kept). */
  contact?: string;
}

export interface TenantPolicy {
  id: string;
  package: TenantPackage;
  /** What the customer receives is written in this language; absent in inputs recorded before tenants named one (German then). */
  language?: Language;
  terms: ServiceTerms;
  /** R11: response for every severity, not only critical. */
  allSeverities: boolean;
  /** R11: the analyst routed alerts first on weekdays. */
  fixedSocContact: string | null;
  contacts: PolicyContact[];
  /** R19's chain; `language` is the SOC's (SOAR_SOC_LANGUAGE), the pages' language (absent in older inputs: German). */
  escalation: { steps: PolicyEscalationStep[]; management: { name: string; phone: string }; language?: Language } | null;
  response: ResponseTerms;
}

/** What playbook runs need of the tenant (R8, R11, R12). */
export interface ResponseTerms {
  /** Agreed at onboarding; everything it does not allow is denied (R8). */
  releaseMatrix: ReleaseMatrix;
  /** The stored revision of the matrix in force when the alert came in, with its digest; absent: the tenant file's. */
  releaseMatrixRevision?: { revision: number; digest: string };
  /** Firewall sources a block can go to (R12), with the addresses the firewall itself uses (never blocked). */
  firewalls: { sourceId: string; vendor: 'opnsense' | 'fortigate'; addresses: string[] }[];
  /** How long an approval may wait before it escalates along the on-call chain (R19). */
  approvalTimeoutMs: number;
  /** How long a given approval stays valid across a wait for service hours (absent in older inputs: one hour). */
  approvalValidityMs?: number;
  /** R11: automatic isolation above this confidence, with the playbook it runs; null when not booked. */
  aiIsolation: { confidenceThreshold: number; playbook: PlaybookDefinition; maxPerHour?: number } | null;
}
