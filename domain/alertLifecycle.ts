/** States an alert passes through and the record the engine keeps of it (read by the API, written by the workflow). */
import type { Severity, VendorSeverity } from './severity';

export const ALERT_STATES = [
  'received',
  'analysing',
  'classified',
  'published',
  /** Package 2 and 3: published, waiting for the analyst lifecycle (support hours, triage) to take over. */
  'held_for_triage',
] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const TIMELINE_KINDS = ['received', 'analysed', 'classified', 'published', 'held_for_triage'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  /** Workflow time (ISO 8601): the same on every replay. */
  at: string;
  kind: TimelineKind;
  /** `system`, `rule:<id>`, `vendor:<source>` or an analyst's identity. */
  actor: string;
  detail: string;
}

export interface MatchedRule {
  ruleId: string;
  title: string;
  level: 'informational' | 'low' | 'medium' | 'high' | 'critical';
}

export type ClassificationBasis =
  | { kind: 'rule'; ruleId: string; ruleTitle: string }
  | { kind: 'vendor'; vendorSeverity: VendorSeverity }
  | { kind: 'default'; reason: string };

export interface Classification {
  severity: Severity;
  decidedBy: ClassificationBasis;
  matchedRules: MatchedRule[];
  ruleSetVersion: string;
}

export interface Publication {
  publishedAt: string;
  dashboard: boolean;
  /** The tiered file the alert was appended to, relative to the output folder. */
  file: string;
}

export interface AlertStatus {
  alertId: string;
  tenantId: string;
  source: string;
  externalId: string;
  title: string;
  observedAt: string;
  receivedAt: string;
  package: 1 | 2 | 3;
  state: AlertState;
  severity: Severity | null;
  classification: Classification | null;
  publication: Publication | null;
  timeline: TimelineEntry[];
}
