/**
 * Sigma correlation rules (Sigma Correlation Rules Specification 2.0.2): compiled against the detection rules they
 * reference, and evaluated over a stream of rule matches by `CorrelationState`, one sliding window per correlation
 * and group (the `group-by` values, through `aliases`).
 *
 * A correlation is decided as each event arrives: it holds at an event when the events of its group in the
 * `timespan` up to that event satisfy the condition. `gt`/`gte` can be decided so; `lt`, `lte` and `eq` would need
 * the window to close first and are refused with that reason, as are correlations over correlations.
 */
import { createHash } from 'node:crypto';
import type { SigmaCorrelationRule, CorrelationType } from './correlationSchema';
import { RuleDefinitionError } from './ruleDefinitionError';
import type { SigmaLevel } from '../../domain/sigmaLevel';
import type { SigmaEvent } from './sigmaEvent';

/** A correlation as it reports a hit: like a detection rule's match. */
export interface CorrelationMatch {
  readonly ruleId: string;
  readonly title: string;
  readonly level: SigmaLevel;
  readonly file: string;
}

export interface CompiledCorrelation {
  readonly match: CorrelationMatch;
  readonly type: CorrelationType;
  readonly timespanMs: number;
  /** Ids (lower-case) of the referenced detection rules, in the order given (temporal_ordered). */
  readonly ruleIds: readonly string[];
  readonly groupBy: readonly string[];
  /** The event field holding group-by entry `i` for rule `ruleId` (an alias resolved, or the entry itself). */
  groupField(ruleId: string, i: number): string;
  /** The count that must be exceeded (`gt`) or reached (`gte`): stored as the least count that holds. */
  readonly atLeast: number;
  readonly valueField: string | undefined;
  /** Whether the referenced rules still raise their own incidents (`generate: true`). */
  readonly generate: boolean;
  /** Digest of the definition: state of an edited correlation starts afresh. */
  readonly digest: string;
}

/** A referenced rule as the set knows it. */
export interface ReferencedRule {
  readonly id: string;
  readonly name: string | undefined;
  readonly correlation: boolean;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Compiles a validated correlation rule; `resolve` finds a referenced rule by name or id. Throws `RuleDefinitionError`. */
export function compileCorrelation(rule: SigmaCorrelationRule, file: string, resolve: (reference: string) => ReferencedRule | undefined): CompiledCorrelation {
  const section = rule.correlation;
  const at = (...path: (string | number)[]) => ['correlation', ...path];
  const referenced = section.rules.map((reference, i) => {
    const found = resolve(reference);
    if (!found) throw new RuleDefinitionError(at('rules', i), `no rule has the name or id '${reference}'`);
    if (found.correlation) throw new RuleDefinitionError(at('rules', i), `'${reference}' is a correlation rule: correlations over correlations are not supported`);
    return found;
  });
  const ruleIds = referenced.map((found) => found.id.toLowerCase());
  if (new Set(ruleIds).size !== ruleIds.length) throw new RuleDefinitionError(at('rules'), 'a rule is listed twice');
  const groupBy = section['group-by'] ?? [];
  const aliases = section.aliases ?? {};
  for (const [alias, perRule] of Object.entries(aliases)) {
    if (!groupBy.includes(alias)) throw new RuleDefinitionError(at('aliases', alias), `alias '${alias}' is not used in group-by`);
    for (const name of Object.keys(perRule)) {
      if (!referenced.some((found) => found.name === name)) throw new RuleDefinitionError(at('aliases', alias, name), `'${name}' is not the name of a rule in correlation.rules`);
    }
  }
  const fieldOf = new Map<string, readonly string[]>();
  for (const found of referenced) {
    fieldOf.set(found.id.toLowerCase(), groupBy.map((entry) => (found.name === undefined ? undefined : aliases[entry]?.[found.name]) ?? entry));
  }
  const { atLeast, valueField } = thresholdOf(rule, at);
  const unit = section.timespan.slice(-1) as keyof typeof UNIT_MS;
  const timespanMs = Number(section.timespan.slice(0, -1)) * UNIT_MS[unit];
  if (timespanMs <= 0) throw new RuleDefinitionError(at('timespan'), 'timespan must be longer than zero');
  return {
    match: Object.freeze({ ruleId: rule.id, title: rule.title, level: rule.level, file }),
    type: section.type,
    timespanMs,
    ruleIds,
    groupBy,
    groupField: (ruleId, i) => fieldOf.get(ruleId)?.[i] ?? groupBy[i] ?? '',
    atLeast,
    valueField,
    generate: rule.generate ?? false,
    digest: createHash('sha256').update(JSON.stringify({ id: rule.id.toLowerCase(), section, ruleIds })).digest('hex').slice(0, 16),
  };
}

function thresholdOf(rule: SigmaCorrelationRule, at: (...path: (string | number)[]) => (string | number)[]): { atLeast: number; valueField: string | undefined } {
  const { type, condition, rules } = rule.correlation;
  const counted = type === 'event_count' || type === 'value_count';
  if (!condition) {
    if (counted) throw new RuleDefinitionError(at('condition'), `${type} needs a condition (gte or gt)`);
    return { atLeast: rules.length, valueField: undefined };
  }
  for (const bound of ['lt', 'lte', 'eq'] as const) {
    if (condition[bound] !== undefined) {
      throw new RuleDefinitionError(at('condition', bound), `'${bound}' is not supported: events are correlated as they arrive, and a count that must stay below a bound or hit it exactly is known only when the window closes`);
    }
  }
  if (type === 'value_count' && condition.field === undefined) throw new RuleDefinitionError(at('condition'), 'value_count needs condition.field, the field whose distinct values are counted');
  if (type !== 'value_count' && condition.field !== undefined) throw new RuleDefinitionError(at('condition', 'field'), `'field' belongs to value_count, not ${type}`);
  const { gt, gte } = condition;
  if (gt === undefined && gte === undefined) throw new RuleDefinitionError(at('condition'), 'condition needs gte or gt');
  const atLeast = Math.max(gte ?? 0, gt === undefined ? 0 : gt + 1, 1);
  if (type === 'temporal_ordered' && atLeast !== rules.length) throw new RuleDefinitionError(at('condition'), 'temporal_ordered needs all its rules, in order: leave condition out');
  if (type === 'temporal' && atLeast > rules.length) throw new RuleDefinitionError(at('condition'), `temporal over ${rules.length} rules cannot see more than ${rules.length} of them`);
  return { atLeast, valueField: condition.field };
}

/** Where a correlation held: which correlation, for which group, at which event time. */
export interface CorrelationHit {
  readonly correlation: CompiledCorrelation;
  /** The group-by fields and their values (comma-joined), or the scope when the correlation has no group-by. */
  readonly entity: { field: string; value: string };
}

interface Entry {
  time: number;
  key: string;
  rule: number;
  value: string | undefined;
}

/** A group's window: its entries in time order, and their keys for the re-send check. */
interface Window {
  entries: Entry[];
  keys: Set<string>;
}

export interface CorrelationLimits {
  /** Entries kept per group window (the oldest go first). */
  maxEntriesPerGroup: number;
  /** Groups kept per state (the least recently used go first). */
  maxGroups: number;
}

/**
 * The sliding windows of a stream of events. `observe` records an event's matches of referenced rules and tells
 * which correlations hold at it. An event seen before (same `eventKey`, e.g. a re-sent batch) is not counted again.
 */
export class CorrelationState {
  private readonly groups = new Map<string, Window>();

  constructor(private readonly limits: CorrelationLimits = { maxEntriesPerGroup: 10_000, maxGroups: 100_000 }) {}

  get groupCount(): number {
    return this.groups.size;
  }

  /**
   * `scope` separates streams (a tenant); `matchedRuleIds` are the event's matching detection rules; `eventKey` names
   * the event (a digest of its time and content).
   */
  observe(scope: string, correlations: readonly CompiledCorrelation[], matchedRuleIds: readonly string[], event: SigmaEvent, time: number, eventKey: string): CorrelationHit[] {
    const hits: CorrelationHit[] = [];
    for (const correlation of correlations) {
      // One event may match several referenced rules, with different group fields (aliases): each counts in its group.
      const seenGroups = new Set<string>();
      for (const ruleId of matchedRuleIds) {
        const rule = correlation.ruleIds.indexOf(ruleId.toLowerCase());
        if (rule < 0) continue;
        const values = correlation.groupBy.map((_, i) => textOf(event[correlation.groupField(correlation.ruleIds[rule] ?? '', i)]) ?? '');
        const groupKey = `${scope}\u0000${correlation.digest}\u0000${JSON.stringify(values)}`;
        const window = this.window(groupKey);
        const key = correlation.type === 'event_count' || correlation.type === 'value_count' ? eventKey : `${eventKey}\u0000${rule}`;
        if (!window.keys.has(key)) {
          insert(window.entries, { time, key, rule, value: correlation.valueField === undefined ? undefined : textOf(event[correlation.valueField]) });
          window.keys.add(key);
          prune(window, correlation.timespanMs, this.limits.maxEntriesPerGroup);
        }
        if (seenGroups.has(groupKey) || !holds(correlation, window.entries, time)) continue;
        seenGroups.add(groupKey);
        hits.push({
          correlation,
          entity: correlation.groupBy.length === 0 ? { field: 'tenant', value: scope } : { field: correlation.groupBy.join(','), value: values.join(',').slice(0, 256) },
        });
      }
    }
    return hits;
  }

  private window(groupKey: string): Window {
    let window = this.groups.get(groupKey);
    if (window) {
      // Most recently used last, so the first key is the one to drop.
      this.groups.delete(groupKey);
    } else {
      window = { entries: [], keys: new Set() };
      if (this.groups.size >= this.limits.maxGroups) {
        const oldest = this.groups.keys().next();
        if (!oldest.done) this.groups.delete(oldest.value);
      }
    }
    this.groups.set(groupKey, window);
    return window;
  }
}

function textOf(value: SigmaEvent[string] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === null ? undefined : String(first);
}

/** Keeps entries in time order (events of a batch may come out of order). */
function insert(entries: Entry[], entry: Entry): void {
  let i = entries.length;
  while (i > 0 && (entries[i - 1]?.time ?? 0) > entry.time) i--;
  entries.splice(i, 0, entry);
}

function prune({ entries, keys }: Window, timespanMs: number, max: number): void {
  const newest = entries[entries.length - 1]?.time ?? 0;
  const drop = Math.max(firstAtOrAfter(entries, newest - timespanMs), entries.length - max);
  if (drop > 0) for (const entry of entries.splice(0, drop)) keys.delete(entry.key);
}

/** The index of the first entry at or after `time` (entries are in time order). */
function firstAtOrAfter(entries: readonly Entry[], time: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle]?.time ?? 0) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The condition over the group's entries in [time - timespan, time]; counting stops once the threshold is reached. */
function holds(correlation: CompiledCorrelation, entries: readonly Entry[], time: number): boolean {
  const start = firstAtOrAfter(entries, time - correlation.timespanMs);
  const end = firstAtOrAfter(entries, time + 1);
  const { atLeast } = correlation;
  switch (correlation.type) {
    case 'event_count':
      return end - start >= atLeast;
    case 'value_count':
    case 'temporal': {
      const seen = new Set<string | number>();
      for (let i = start; i < end; i++) {
        const entry = entries[i];
        const counted = correlation.type === 'temporal' ? entry?.rule : entry?.value;
        if (counted !== undefined) seen.add(counted);
        if (seen.size >= atLeast) return true;
      }
      return false;
    }
    case 'temporal_ordered': {
      let next = 0;
      for (let i = start; i < end; i++) if (entries[i]?.rule === next && ++next === correlation.ruleIds.length) return true;
      return false;
    }
  }
}
