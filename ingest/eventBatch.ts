/**
 * The streaming step of event intake: each raw event is validated, mapped onto Sigma fields and evaluated as it
 * arrives; nothing is kept of an event that matches no rule. Hits are summed per incident (tenant, rule, entity,
 * window bucket) so that a batch adds at most one signal to each incident. Sigma correlation rules count the
 * matches of the rules they reference in the tenant's sliding windows; where one holds, the event is a hit of the
 * correlation's incident (group-by values as the entity, its timespan as the window).
 */
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import type { EventMapping, RawEvent } from '../detection/eventMapping';
import type { DetectionRules } from '../detection/detectionRules';
import type { CorrelationState } from '../detection/sigma/correlation';
import type { RuleMatch } from '../detection/sigma/ruleSet';
import type { SigmaEvent } from '../detection/sigma/sigmaEvent';
import type { CorrelationKey } from '../domain/correlation';
import type { Tenant, TenantSource } from '../domain/tenant/tenantSchema';
import { incidentIdFor } from './incidentId';

/** A refused event: its line (NDJSON line, or position in a JSON array, 1-based), the field and why. */
export interface RefusedEvent {
  line: number;
  field: string;
  reason: string;
}

/** Hits of one incident collected in this batch. */
export interface PendingIncident {
  alertId: string;
  key: CorrelationKey;
  match: RuleMatch;
  /** The first matching event (mapped) and its time: the incident's alert is built from it. */
  firstEvent: SigmaEvent;
  hits: number;
  firstAt: string;
  lastAt: string;
  digest: Hash;
}

export interface BatchLimits {
  /** Correlation window length. */
  windowMs: number;
  /** Refusals listed in the result (all are counted). */
  maxListedRefusals: number;
  /** Distinct incidents one batch may touch; events that would open more are refused. */
  maxIncidents: number;
}

const scalar = z.union([z.string().max(8192, 'longer than 8192 characters'), z.number(), z.boolean(), z.null()], {
  error: 'a value is a string, number, boolean or null (nested objects are not supported: flatten to dotted names)',
});
/** A raw event: a flat JSON object of the vendor's fields; `@timestamp` (ISO 8601 with offset) is the event time. */
export const rawEventSchema = z
  .record(z.string().min(1).max(128), z.union([scalar, z.array(scalar).max(100, 'more than 100 values')], { error: 'a value is a string, number, boolean or null, or a list of them (nested objects are not supported: flatten to dotted names)' }), {
    error: 'an event is a JSON object of field: value',
  })
  .refine((event) => Object.keys(event).length <= 500, 'an event has at most 500 fields');
const timestampSchema = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time with offset, like 2026-11-20T10:15:32Z' });

export class EventBatch {
  accepted = 0;
  refusedCount = 0;
  readonly refused: RefusedEvent[] = [];
  readonly incidents = new Map<string, PendingIncident>();

  constructor(
    readonly tenant: Tenant,
    readonly source: TenantSource,
    private readonly mapping: EventMapping,
    /** One snapshot of the rules for the whole batch: a hot reload meanwhile does not mix two sets in one batch. */
    readonly rules: DetectionRules,
    private readonly limits: BatchLimits,
    private readonly receivedAt: Date,
    /** Mixed into delivery keys: syslog deliveries are never duplicates of each other. */
    private readonly deliverySalt = '',
    /** The tenant stream's Sigma correlation windows, kept across batches (none: correlation rules are not evaluated). */
    private readonly correlations?: CorrelationState,
  ) {}

  /** Takes one parsed JSON value (a raw event) found at `line`. */
  addJson(value: unknown, line: number): void {
    const parsed = rawEventSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? String(issue.path[0]) : '(event)';
      return this.refuse(line, field, issue?.message ?? 'invalid event');
    }
    const { '@timestamp': timestamp, ...raw } = parsed.data;
    let time = this.receivedAt;
    if (timestamp !== undefined) {
      const checked = timestampSchema.safeParse(timestamp);
      if (!checked.success) return this.refuse(line, '@timestamp', checked.error.issues[0]?.message ?? 'not a date-time');
      time = new Date(checked.data);
    }
    this.addEvent(raw, time, line);
  }

  /** Takes one raw event already parsed by a trusted parser (syslog), with its time. */
  addEvent(raw: RawEvent, time: Date, line: number): void {
    const mapped = this.mapping.map(raw);
    if ('refused' in mapped) return this.refuse(line, mapped.refused.field, mapped.refused.reason);
    const { ruleSet } = this.rules;
    const matches = ruleSet.evaluate(mapped.event, mapped.logsource);
    for (const match of matches) {
      if (!ruleSet.standsAlone(match.ruleId)) continue;
      const key = this.keyOf(match, this.entityOf(mapped.event), time, this.limits.windowMs);
      if (!this.count(match, key, mapped.event, time, raw)) return this.refuseOverflow(line);
    }
    if (this.correlations && ruleSet.correlations.length > 0 && matches.length > 0) {
      const eventKey = createHash('sha256').update(`${this.deliverySalt}\u0000${this.source.id}\u0000${time.toISOString()}\u0000${JSON.stringify(raw)}`).digest('hex');
      const ruleIds = matches.map((match) => match.ruleId);
      // A correlation that holds at this event counts it into the incident of its group and timespan bucket.
      for (const hit of this.correlations.observe(this.tenant.id, ruleSet.correlations, ruleIds, mapped.event, time.getTime(), eventKey)) {
        const key = this.keyOf(hit.correlation.match, hit.entity, time, hit.correlation.timespanMs);
        if (!this.count(hit.correlation.match, key, mapped.event, time, raw)) return this.refuseOverflow(line);
      }
    }
    this.accepted += 1;
  }

  /** Counts a hit into its incident of this batch; false when the batch may open no more incidents. */
  private count(match: RuleMatch, key: CorrelationKey, event: SigmaEvent, time: Date, raw: RawEvent): boolean {
    const alertId = incidentIdFor(this.tenant.id, key);
    const at = time.toISOString();
    let incident = this.incidents.get(alertId);
    if (!incident) {
      if (this.incidents.size >= this.limits.maxIncidents) return false;
      incident = { alertId, key, match, firstEvent: event, hits: 0, firstAt: at, lastAt: at, digest: createHash('sha256').update(this.deliverySalt) };
      this.incidents.set(alertId, incident);
    }
    incident.hits += 1;
    if (at < incident.firstAt) incident.firstAt = at;
    if (at > incident.lastAt) incident.lastAt = at;
    incident.digest.update(at).update('\u0000').update(JSON.stringify(raw)).update('\n');
    return true;
  }

  private refuseOverflow(line: number): void {
    this.refuse(line, '(event)', `this batch already opened ${this.limits.maxIncidents} incidents; send fewer events per batch`);
  }

  refuse(line: number, field: string, reason: string): void {
    this.refusedCount += 1;
    if (this.refused.length < this.limits.maxListedRefusals) this.refused.push({ line, field, reason });
  }

  private keyOf(match: RuleMatch, entity: CorrelationKey['entity'], time: Date, windowMs: number): CorrelationKey {
    const start = Math.floor(time.getTime() / windowMs) * windowMs;
    return { ruleId: match.ruleId, entity, windowStart: new Date(start).toISOString(), windowEnd: new Date(start + windowMs).toISOString() };
  }

  /** The first entity field (in the mapping's order) the event has; without one, the source is the entity. */
  private entityOf(event: SigmaEvent): CorrelationKey['entity'] {
    for (const field of this.mapping.entityFields) {
      if (!Object.hasOwn(event, field)) continue;
      const value = event[field];
      const first = Array.isArray(value) ? value[0] : value;
      if (first !== undefined && first !== null && first !== '') return { field, value: String(first).slice(0, 256).toLowerCase() };
    }
    return { field: 'source', value: this.source.id };
  }
}
