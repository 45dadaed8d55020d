/** The alert's record inside its workflow: state changes go through here so the Query, the timeline and search attributes agree. */
import { timelineText } from '../domain/i18n/timelineText';
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { timelineEntry, type AlertState, type AlertStatus, type Classification, type TimelineDetail, type TimelineKind } from '../domain/alertLifecycle';
import { ALERT_STATE, ASSIGNED_ANALYST, NEXT_WAKE_AT, SEVERITY } from '../domain/searchAttributes';
import type { Severity } from '../domain/severity';
import type { CorrelatedHit } from '../domain/correlation';
import type { AlertWorkflowInput } from './alertWorkflowInput';
import type { NotificationLog } from './lifecycle/notifyPeople';

/** Bounds of a correlated incident's record: remembered delivery keys, timeline entries of hits. */
const MAX_REMEMBERED_DELIVERIES = 2000;
const MAX_HIT_ENTRIES = 50;

export class AlertRecord implements NotificationLog {
  readonly status: AlertStatus;
  /** R10: the billable work order in which the customer ordered measures on this alert, once recorded. */
  customerOrder: string | null = null;

  /**
   * @param leanHistory the package-1 history of the patches `soar-package1-lean-history` and `soar-package1-one-step`
   * (workflows/alertWorkflow.ts): the search attributes one activation sets go out as one upsert, at its end (see
   * `upsert`).
   */
  constructor(
    readonly input: AlertWorkflowInput,
    readonly leanHistory = false,
  ) {
    this.status = {
      alertId: input.alertId,
      tenantId: input.tenant.id,
      source: input.alert.source,
      externalId: input.alert.externalId,
      title: input.alert.title,
      observedAt: input.alert.observedAt,
      receivedAt: input.receivedAt,
      package: input.tenant.package,
      state: 'received',
      severity: null,
      classification: null,
      publication: null,
      nextWakeAt: null,
      triage: { assignedAnalyst: null, claimedAt: null, verdict: null, iocs: [], recommendation: null, closedAt: null, summary: null, notes: [] },
      notifications: [],
      response: { runs: [] },
      correlation: input.correlation ? { ...input.correlation, hits: 0, firstHitAt: null, lastHitAt: null } : null,
      timeline: [],
    };
  }

  /**
   * Counts a delivery of correlated hits; a delivery seen before (a re-sent batch) is ignored. The timeline gets
   * one entry per delivery up to a bound, so that a long flood keeps the record readable.
   */
  countHits(hit: CorrelatedHit): void {
    const correlation = this.status.correlation;
    if (!correlation || this.deliveries.has(hit.deliveryKey) || !(hit.hits > 0)) return;
    if (this.deliveries.size < MAX_REMEMBERED_DELIVERIES) this.deliveries.add(hit.deliveryKey);
    correlation.hits += hit.hits;
    if (correlation.firstHitAt === null || hit.firstAt < correlation.firstHitAt) correlation.firstHitAt = hit.firstAt;
    if (correlation.lastHitAt === null || hit.lastAt > correlation.lastHitAt) correlation.lastHitAt = hit.lastAt;
    this.hitEntries += 1;
    if (this.hitEntries <= MAX_HIT_ENTRIES) {
      const params = { hits: hit.hits, rule: correlation.ruleId, field: correlation.entity.field, value: correlation.entity.value, total: correlation.hits };
      this.record('correlated_hits', `source:${hit.source}`, timelineText(this.hitEntries === MAX_HIT_ENTRIES ? 'correlatedHitsLast' : 'correlatedHits', params));
    }
  }

  private readonly deliveries = new Set<string>();
  private hitEntries = 0;

  get state(): AlertState {
    return this.status.state;
  }

  /** The current severity; only called after classification. */
  get severity(): Severity {
    if (!this.status.severity) throw new Error('the alert is not classified yet');
    return this.status.severity;
  }

  notificationKey(sequence: number): string {
    return `${this.status.alertId}/n${sequence}`;
  }

  record(kind: TimelineKind, actor: string, detail: TimelineDetail): void {
    this.status.timeline.push(timelineEntry(new Date().toISOString(), kind, actor, detail));
  }

  enter(state: AlertState): void {
    this.status.state = state;
    this.upsert({ key: ALERT_STATE, value: state });
  }

  classify(classification: Classification): void {
    this.status.classification = classification;
    this.status.severity = classification.severity;
    this.upsert({ key: SEVERITY, value: classification.severity });
  }

  wakeAt(at: Date | null): void {
    this.status.nextWakeAt = at ? at.toISOString() : null;
    this.upsert({ key: NEXT_WAKE_AT, value: at });
  }

  assign(analyst: string): void {
    this.status.triage.assignedAnalyst = analyst;
    this.status.triage.claimedAt = new Date().toISOString();
    this.upsert({ key: ASSIGNED_ANALYST, value: analyst });
  }

  unassign(): void {
    this.status.triage.assignedAnalyst = null;
    this.status.triage.claimedAt = null;
    this.upsert({ key: ASSIGNED_ANALYST, value: null });
  }

  /** Search attributes set in this activation and not yet upserted, by key (the last value wins); null: none. */
  private unsent: Map<string, SearchAttributeUpdatePair> | null = null;

  /**
   * One upsert per call, or, in a lean history, one per activation: the first change queues a microtask that upserts
   * everything the activation set, and the SDK runs every microtask before it concludes the activation. The server
   * applies an activation's commands only when the workflow task completes, so visibility sees the same values at
   * every point it can see any (a task that completes between activations, e.g. while a local activity is retried,
   * carries what was set until then).
   */
  private upsert(pair: SearchAttributeUpdatePair): void {
    if (!this.leanHistory) {
      upsertSearchAttributes([pair]);
      return;
    }
    if (this.unsent === null) {
      const unsent = new Map<string, SearchAttributeUpdatePair>();
      this.unsent = unsent;
      void Promise.resolve().then(() => {
        this.unsent = null;
        upsertSearchAttributes([...unsent.values()]);
      });
    }
    this.unsent.set(pair.key.name, pair);
  }
}
