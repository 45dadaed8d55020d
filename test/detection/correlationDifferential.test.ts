/**
 * Differential test of Sigma correlation rules against pySigma's DuckDB backend (R3): generated event_count,
 * value_count and temporal correlations over generated event streams; the groups for which the engine's stream
 * evaluation holds must be the groups pySigma's correlation query returns. All events of a run lie within one
 * timespan, since that backend counts event_count and value_count over all events (it has no time window).
 * temporal_ordered is left out: that backend does not check the order (unit tests in correlationRules.test.ts).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CorrelationState } from '../../detection/sigma/correlation';
import { compileRules } from '../../detection/sigma/ruleSet';
import { CONFORMANCE, useSigmaOracle, type OracleEvent } from '../support/pySigma';

const RUNS = CONFORMANCE.runs;
const FIELDS = ['EventID', 'User', 'Host', 'Port'] as const;
const BASE_RULES = ['rule_a', 'rule_b', 'rule_c'] as const;
const TIMESPAN_SECONDS = 300;

const oracle = useSigmaOracle();

/** Base rule `i` matches EventID i + 1: disjoint, so no event counts for two of them. */
function baseRule(i: number): string {
  return stringify({ title: `Base ${i}`, id: `40000000-0000-4000-8000-00000000000${i}`, name: BASE_RULES[i], logsource: { product: 'test' }, detection: { sel: { EventID: i + 1 }, condition: 'sel' }, level: 'low' });
}

const correlationArbitrary = fc
  .record({
    type: fc.constantFrom('event_count', 'value_count', 'temporal'),
    ruleCount: fc.integer({ min: 1, max: 3 }),
    // Not empty: pysigma-backend-duckdb 0.1.4 writes `GROUP BY  HAVING` without group-by fields (DuckDB refuses it).
    groupBy: fc.constantFrom(['User'], ['Host'], ['User', 'Host']),
    op: fc.constantFrom('gte', 'gt'),
    threshold: fc.integer({ min: 1, max: 4 }),
    field: fc.constantFrom('Host', 'Port'),
  })
  .map(({ type, ruleCount, groupBy, op, threshold, field }) => {
    const rules = BASE_RULES.slice(0, type === 'temporal' ? Math.max(ruleCount, 2) : ruleCount);
    // temporal counts distinct rules: a threshold above their number cannot hold (the engine refuses it).
    const bound = type === 'temporal' ? Math.min(threshold, op === 'gt' ? rules.length - 1 : rules.length) : threshold;
    const condition = { [op]: Math.max(bound, op === 'gt' ? 0 : 1), ...(type === 'value_count' ? { field } : {}) };
    return { type, rules: [...rules], 'group-by': groupBy, timespan: `${TIMESPAN_SECONDS / 60}m`, condition };
  });

const eventArbitrary = fc.record(
  {
    EventID: fc.constantFrom(1, 2, 3, 4),
    User: fc.constantFrom('alice', 'Alice', 'bob'),
    Host: fc.constantFrom('h1', 'H1', 'h2'),
    Port: fc.constantFrom(80, 443, '443'),
    '@seconds': fc.integer({ min: 0, max: TIMESPAN_SECONDS }),
  },
  { requiredKeys: ['EventID', '@seconds'] },
);

type TimedEvent = OracleEvent & { '@seconds': number };

function engineGroups(correlation: Record<string, unknown>, events: readonly TimedEvent[]): string[] {
  const set = compileRules([
    ...BASE_RULES.map((_, i) => ({ file: `base-${i}.yml`, text: baseRule(i) })),
    { file: 'correlation.yml', text: stringify({ title: 'Generated correlation', id: '40000000-0000-4000-8000-0000000000c0', correlation, level: 'high' }) },
  ]);
  const state = new CorrelationState();
  const groups = new Set<string>();
  const ordered = events.map((event, i) => ({ event, i })).sort((a, b) => a.event['@seconds'] - b.event['@seconds'] || a.i - b.i);
  for (const { event, i } of ordered) {
    const { '@seconds': seconds, ...fields } = event;
    const matched = set.evaluate(fields, { product: 'test' }).map((match) => match.ruleId);
    for (const hit of state.observe('tenant', set.correlations, matched, fields, seconds * 1000, `event-${i}`)) groups.add(hit.entity.value);
  }
  return [...groups].sort();
}

test(`R3 correlation rules hold for the same groups as pySigma's correlation queries, ${RUNS} generated correlations`, async () => {
  let held = 0;
  await fc.assert(
    fc.asyncProperty(correlationArbitrary, fc.array(eventArbitrary, { minLength: 1, maxLength: 10 }), async (correlation, events) => {
      const collection = [...BASE_RULES.map((_, i) => baseRule(i)), stringify({ title: 'Generated correlation', id: '40000000-0000-4000-8000-0000000000c0', correlation, level: 'high' })].join('---\n');
      const answer = await oracle().correlate({ fields: FIELDS, groupBy: correlation['group-by'], collection, events });
      if ('refused' in answer) throw new Error(`pySigma refused the correlation: ${answer.refused}\n${collection}`);
      const expected = [...new Set(answer.groups.map((values) => values.map((value) => value ?? '').join(',')))].sort();
      const actual = engineGroups(correlation, events);
      held += expected.length;
      expect({ correlation, events, sql: answer.sql, groups: actual }).toEqual({ correlation, events, sql: answer.sql, groups: expected });
    }),
    { numRuns: RUNS, seed: CONFORMANCE.seed },
  );
  console.log(`pySigma correlation differential: ${RUNS} correlations, ${held} groups held`);
  expect(held).toBeGreaterThan(RUNS / 4);
}, 300_000);
