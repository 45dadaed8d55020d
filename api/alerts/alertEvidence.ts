/**
 * What an alert is about, wherever it is shown (REST and dashboard): description, techniques with their ATT&CK
 * names and links, every entity, the vendor's advice, links and the evidence the entity mapping has no place for,
 * the matched rules and correlated hits. And the customer's projection of an alert's record: no SOC-internal
 * numbers, escalation internals or analysts' notes (R17).
 */
import type { AlertEntities, NormalisedAlert } from '../../domain/alert';
import type { AlertStatus, MatchedRule, NotificationRecord, TimelineEntry } from '../../domain/alertLifecycle';
import { attackTechnique, type AttackTechnique } from '../../domain/attackTechniques';
import type { IncidentCorrelation } from '../../domain/correlation';
import { graphAlertContextOf, type GraphAlertContext } from '../../ingest/defender/graphAlertContext';
import type { RuleDetails, RuleDetailsLookup } from './ruleDetails';

export interface AlertEvidence {
  description: string;
  techniques: AttackTechnique[];
  entities: AlertEntities;
  /** The detection rules that matched (the most severe first), as recorded at classification, with the rule's text where the running set has it. */
  matchedRules: (MatchedRule & Partial<RuleDetails>)[];
  correlation: IncidentCorrelation | null;
  /** For a Microsoft Graph security alert: advice, links and the evidence kept beside the entities; otherwise null. */
  vendor: GraphAlertContext | null;
}

export type AlertDetail = AlertStatus & { evidence: AlertEvidence };

export function evidenceOf(alert: NormalisedAlert, status: AlertStatus, ruleDetails: RuleDetailsLookup = () => null): AlertEvidence {
  return {
    description: alert.description,
    techniques: alert.techniques.map(attackTechnique),
    entities: alert.entities,
    matchedRules: (status.classification?.matchedRules ?? []).map((rule) => ({ ...rule, ...ruleDetails(rule.ruleId) })),
    correlation: status.correlation,
    vendor: graphAlertContextOf(alert.raw),
  };
}

/** Pages to the SOC's on-call chain are the SOC's business; the customer's own management contact is the customer's. */
const SOC_PAGES: ReadonlySet<NotificationRecord['purpose']> = new Set(['escalation', 'retention_expiry']);
const internalNotification = (n: NotificationRecord) => SOC_PAGES.has(n.purpose);
const internalEntry = (e: TimelineEntry) =>
  e.kind === 'noted' ||
  (e.kind === 'playbook_started' && e.detail.includes('(DRY-RUN')) ||
  (e.kind === 'escalated' && e.detail.startsWith('Escalation step')) || ((e.kind === 'notified' || e.kind === 'notification_failed') && [...SOC_PAGES].some((purpose) => e.detail.startsWith(`${purpose} by`))) ||
  socTooling(e);
/** The SOC's tools: IoC enrichment answers (VirusTotal, AbuseIPDB, MISP), webhook deliveries and Teams cards that failed. */
const socTooling = (e: TimelineEntry) =>
  e.actor.startsWith('enrichment:') || (e.kind === 'notification_failed' && (e.detail.startsWith('Webhook ') || e.detail.startsWith('SOC channel card ')));

/**
 * An alert's record as its tenant's customer (or ingest key) reads it: without on-call numbers, escalation steps,
 * case notes, the SOC's dry-runs of playbooks, its IoC enrichment answers and its webhook deliveries (R17).
 */
export function customerProjection<T extends AlertStatus>(status: T): T {
  const { notes: _notes, ...triage } = status.triage;
  const { enrichment: _enrichment, webhookDeliveries: _deliveries, ...shown } = status;
  return {
    ...(shown as T),
    triage,
    response: { ...status.response, runs: status.response.runs.filter((r) => r.mode !== 'dry-run') },
    notifications: status.notifications.filter((n) => !internalNotification(n)),
    timeline: status.timeline.filter((e) => !internalEntry(e) && !ofDryRun(e, status)),
  };
}

/** The end of a dry-run in the alert's timeline (`run-2 (playbook) ended …`): the SOC's rehearsal, not the customer's business. */
function ofDryRun(entry: TimelineEntry, status: AlertStatus): boolean {
  return entry.kind === 'playbook_finished' && status.response.runs.some((r) => r.mode === 'dry-run' && entry.detail.startsWith(`${r.runId} (`));
}
