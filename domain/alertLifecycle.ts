/** States an alert passes through and the record the engine keeps of it (read by the API, written by the workflow). */
import type { EnrichmentResult } from './enrichment/enrichmentResult';
import type { WebhookDelivery } from './webhooks/lifecycleEvents';
import type { PlaybookRunSummary } from './response/playbookRun';
import type { Severity, VendorSeverity } from './severity';
import type { IncidentCorrelation } from './correlation';
import type { TimelineText } from './i18n/timelineText';

export const ALERT_STATES = [
  'received',
  'analysing',
  'classified',
  /** Package 1 ends here (R3). */
  'published',
  /** R5: outside the SOC's service window; `nextWakeAt` says when it opens. */
  'awaiting_support_hours',
  /** In service, in the analysts' queue, not yet claimed. */
  'awaiting_triage',
  /** Claimed by an analyst. */
  'in_triage',
  /** Critical (or, with R11's option, any severity) with an approved recommendation: response actions start here. */
  'ready_for_response',
  'closed',
] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const TIMELINE_KINDS = [
  'received',
  'analysed',
  'classified',
  'published',
  'awaiting_support_hours',
  'queued',
  'claimed',
  /** The assigned analyst gave the alert back to the queue, or it was handed to another analyst (shift change, sickness). */
  'released',
  'reassigned',
  /** An analyst's case note: SOC-internal, never shown to the customer. */
  'noted',
  'assessed',
  'iocs_checked',
  'recommended',
  'notified',
  'notification_failed',
  'escalated',
  'ready_for_response',
  /** R10: the customer ordered measures on the alert, recorded as a billable work order. */
  'customer_order',
  /** Further rule hits on events of the same tenant, rule and entity in the incident's window. */
  'correlated_hits',
  /** R11: the isolation score, its reasons and whether it started an automatic isolation. */
  'ai_assessed',
  'playbook_started',
  'playbook_finished',
  /** Playbook runs: the engine-inserted checks and what each action did (R8, R9, R18). */
  'waiting_for_service',
  'matrix_checked',
  'approval_requested',
  'approved',
  /** An approval given before a wait for service hours that was older than its validity when service opened. */
  'approval_expired',
  'rejected',
  'handed_to_human',
  'action_done',
  'action_failed',
  /** A dry-run stopped before a vendor change and recorded what it would have called, with which arguments. */
  'dry_run_call',
  'undo_requested',
  'undone',
  'closed',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  /** Workflow time (ISO 8601): the same on every replay. */
  at: string;
  kind: TimelineKind;
  /** `system`, `rule:<id>`, `vendor:<source>`, `analyst:<id>`, `customer:<key id>`. */
  actor: string;
  /** English; `text` (newer entries) is the same as a catalogue key, for readers in other languages. */
  detail: string;
  text?: TimelineText;
}

/** What `record` takes: plain English, or a catalogue text with its English rendering (domain/i18n/timelineText.ts). */
export type TimelineDetail = string | { detail: string; text: TimelineText };

export function timelineEntry(at: string, kind: TimelineKind, actor: string, detail: TimelineDetail): TimelineEntry {
  return typeof detail === 'string' ? { at, kind, actor, detail } : { at, kind, actor, detail: detail.detail, text: detail.text };
}

export interface MatchedRule {
  ruleId: string;
  title: string;
  level: 'informational' | 'low' | 'medium' | 'high' | 'critical';
}

export type ClassificationBasis =
  | { kind: 'rule'; ruleId: string; ruleTitle: string }
  | { kind: 'vendor'; vendorSeverity: VendorSeverity }
  | { kind: 'default'; reason: string }
  | { kind: 'analyst'; analyst: string; verdict: Verdict; rationale: string };

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

export const VERDICTS = ['true_positive', 'false_positive', 'benign'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const IOC_TYPES = ['ip', 'domain', 'url', 'sha256', 'sha1', 'md5', 'email', 'user', 'host', 'other'] as const;
export const IOC_FINDINGS = ['malicious', 'suspicious', 'clean', 'unknown'] as const;

export interface IocCheck {
  type: (typeof IOC_TYPES)[number];
  value: string;
  finding: (typeof IOC_FINDINGS)[number];
  note: string;
}

/**
 * Why a notification went out. `measure_notice`: told before a playbook measure (R8); `response_failure`: a vendor
 * refused a measure, the SOC takes over; `dry_run_notice`: a test notice to the SOC standing in for a dry-run's
 * measure notice (the customer is never told of a dry-run).
 */
export const NOTIFICATION_PURPOSES = ['findings', 'containment_advice', 'escalation', 'management_escalation', 'measure_notice', 'response_failure', 'retention_expiry', 'dry_run_notice'] as const;

/** A delivery proof as recorded in history (R8: the responsible person was informed). */
export interface NotificationRecord {
  purpose: (typeof NOTIFICATION_PURPOSES)[number];
  channel: 'email' | 'sms' | 'voice';
  recipient: string;
  messageId: string | null;
  provider: string | null;
  at: string;
  delivered: boolean;
  failure: string | null;
  /** `none`: the provider took it but never reports delivery (sipgate SMS): sent, with no receipt from the provider (R8). */
  deliveryReport?: 'none';
  /** The provider's later delivery reports (R8), as its signed callbacks gave them; absent until one arrives. */
  reports?: DeliveryReport[];
  /** For an escalation page: the on-call contact of its step, who takes the incident by pressing 1 on the call (R19). */
  onCall?: string;
  /** The key press that took the incident on this call: the number that answered and when (SOC-internal, R17). */
  acknowledgement?: { number: string; at: string };
  /** Sent on a retry (an earlier attempt got no clear answer): what the look-up at the provider found; absent on a first attempt. */
  retryCheck?: RetryCheck;
}

/**
 * What a retried send found at the provider before sending again (docs/integrations.md, Twilio): `recovered`, the
 * earlier attempt's message was there and is the receipt, nothing was sent twice; `resent`, nothing was there, so it
 * was sent now; `possible_duplicate`, sent again although the provider lists calls to the number since the first
 * attempt that may be the earlier attempt's (a Twilio call carries nothing to tell it apart): the person may be called twice.
 */
export interface RetryCheck {
  outcome: 'recovered' | 'resent' | 'possible_duplicate';
  /** The provider's ids of what the look-up found. */
  found: string[];
}

/** One delivery report of a phone provider: its status word (`delivered`, `undelivered`, `completed`, `no-answer`...). */
export interface DeliveryReport {
  status: string;
  /** True when the status proves the message reached the phone or the call was answered. */
  reached: boolean;
  at: string;
  errorCode: string | null;
}

/** An analyst's case note: who wrote it and when (workflow time), SOC-internal (R17: not in the customer's view). */
export interface CaseNote {
  at: string;
  author: string;
  text: string;
}

export interface Triage {
  assignedAnalyst: string | null;
  claimedAt: string | null;
  verdict: Verdict | null;
  iocs: IocCheck[];
  recommendation: string | null;
  closedAt: string | null;
  summary: string | null;
  /** Absent in records made before case notes existed. */
  notes?: CaseNote[];
}

export interface ServiceFigures {
  toClaimSeconds: number | null;
  toRecommendationSeconds: number | null;
  toCloseSeconds: number | null;
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
  /** When a waiting alert wakes up next (R5), ISO 8601, or null. */
  nextWakeAt: string | null;
  triage: Triage;
  notifications: NotificationRecord[];
  /** Playbook runs started for this alert (R8); each run's own workflow holds its detail. */
  response: { runs: PlaybookRunSummary[] };
  /** For an incident correlated from event hits: its key and how many hits it counts; null otherwise. */
  correlation: IncidentCorrelation | null;
  /** IoC enrichment answers (VirusTotal, AbuseIPDB, MISP) as they arrive; absent when no provider is configured or nothing was sent. */
  enrichment?: EnrichmentResult[];
  /** Outbound webhook deliveries of the alert's lifecycle events (docs/integrations.md); absent when nothing subscribes. */
  webhookDeliveries?: WebhookDelivery[];
  /** Internal service figures (no SLA): seconds in service hours from receipt; absent in records made before them. */
  serviceFigures?: ServiceFigures;
  timeline: TimelineEntry[];
}
