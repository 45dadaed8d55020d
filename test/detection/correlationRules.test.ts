/** Sigma correlation rules (R3): loaded from the rule folder with the detection rules, refused with file and line, hot-reloaded, evaluated over a stream. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LiveDetectionRules } from '../../activities/analysis/liveDetectionRules';
import { CorrelationState } from '../../detection/sigma/correlation';
import { compileRules, type RuleSet, type SigmaEvent } from '../../detection/sigma/ruleSet';
import { refusalOf, ruleText, testRuleId } from './sigmaRuleBuilder';

const LOGSOURCE = { product: 'test' };
const FAILED = '30000000-0000-4000-8000-000000000001';
const SUCCESS = '30000000-0000-4000-8000-000000000002';
const CORRELATION = '30000000-0000-4000-8000-0000000000c0';

const baseRules = [
  { file: 'failed.yml', text: ruleText({ sel: { EventID: 4625 }, condition: 'sel' }, { id: FAILED }).replace('title:', 'name: failed_login\ntitle:') },
  { file: 'success.yml', text: ruleText({ sel: { EventID: 4624 }, condition: 'sel' }, { id: SUCCESS }).replace('title:', 'name: successful_login\ntitle:') },
];

function correlationText(correlation: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return stringify({ title: 'Correlation', id: CORRELATION, correlation, level: 'high', ...extra });
}

function setWith(correlation: Record<string, unknown>, extra: Record<string, unknown> = {}): RuleSet {
  return compileRules([...baseRules, { file: 'correlation.yml', text: correlationText(correlation, extra) }]);
}

/** Feeds events (with seconds from a start) and returns, per event, the entities the correlation held for. */
function stream(set: RuleSet, events: [number, SigmaEvent][]): string[][] {
  const state = new CorrelationState();
  return events.map(([second, event], i) => {
    const matched = set.evaluate(event, LOGSOURCE).map((match) => match.ruleId);
    return state.observe('tenant-a', set.correlations, matched, event, Date.UTC(2026, 0, 1, 0, 0, second), `event-${i}`).map((hit) => hit.entity.value);
  });
}

describe('evaluation over a stream', () => {
  test('R3 event_count holds from the Nth event of a group within the timespan; other groups and older events do not count', () => {
    const set = setWith({ type: 'event_count', rules: ['failed_login'], 'group-by': ['User'], timespan: '1m', condition: { gte: 3 } });
    const failed = (user: string) => ({ EventID: 4625, User: user });
    expect(stream(set, [[0, failed('alice')], [10, failed('bob')], [20, failed('alice')], [30, failed('alice')], [95, failed('alice')], [100, failed('alice')], [110, failed('alice')]])).toEqual([
      [], [], [], ['alice'], [], [], ['alice'],
    ]);
  });

  test('R3 value_count counts distinct values of condition.field', () => {
    const set = setWith({ type: 'value_count', rules: [FAILED], 'group-by': ['Host'], timespan: '5m', condition: { field: 'User', gt: 1 } });
    const failed = (user: string) => ({ EventID: 4625, Host: 'dc1', User: user });
    expect(stream(set, [[0, failed('alice')], [1, failed('alice')], [2, failed('bob')]])).toEqual([[], [], ['dc1']]);
  });

  test('R3 temporal needs every rule in the timespan, in any order; aliases group different fields', () => {
    const set = setWith({
      type: 'temporal',
      rules: ['failed_login', 'successful_login'],
      'group-by': ['account'],
      timespan: '10m',
      aliases: { account: { failed_login: 'TargetUser', successful_login: 'User' } },
    });
    expect(stream(set, [[0, { EventID: 4624, User: 'alice' }], [5, { EventID: 4625, TargetUser: 'bob' }], [9, { EventID: 4625, TargetUser: 'alice' }]])).toEqual([[], [], ['alice']]);
  });

  test('R3 temporal_ordered needs the rules in their order', () => {
    const set = setWith({ type: 'temporal_ordered', rules: ['failed_login', 'successful_login'], 'group-by': ['User'], timespan: '10m' });
    const success = { EventID: 4624, User: 'alice' };
    const failed = { EventID: 4625, User: 'alice' };
    expect(stream(set, [[0, success], [5, failed]])).toEqual([[], []]);
    expect(stream(set, [[0, failed], [5, success]])).toEqual([[], ['alice']]);
  });

  test('R3 an event seen before (a re-sent batch) is not counted again', () => {
    const set = setWith({ type: 'event_count', rules: ['failed_login'], timespan: '1m', condition: { gte: 2 } });
    const state = new CorrelationState();
    const observe = (key: string) => state.observe('t', set.correlations, [FAILED], { EventID: 4625 }, 0, key).length;
    expect([observe('a'), observe('a'), observe('b')]).toEqual([0, 0, 1]);
  });

  test('R3 generate: the referenced rules raise no incidents of their own unless the correlation says generate: true', () => {
    const quiet = setWith({ type: 'event_count', rules: ['failed_login'], timespan: '1m', condition: { gte: 2 } });
    expect([quiet.standsAlone(FAILED), quiet.standsAlone(SUCCESS)]).toEqual([false, true]);
    const loud = setWith({ type: 'event_count', rules: ['failed_login'], timespan: '1m', condition: { gte: 2 } }, { generate: true });
    expect(loud.standsAlone(FAILED)).toBe(true);
  });
});

describe('refusals name file, line and reason', () => {
  const refusal = (correlation: Record<string, unknown>) => refusalOf([...baseRules, { file: 'correlation.yml', text: correlationText(correlation) }]);
  const valid = { type: 'event_count', rules: ['failed_login'], 'group-by': ['User'], timespan: '5m', condition: { gte: 5 } };

  test.each([
    ['an unknown rule', { ...valid, rules: ['failed_login', 'no_such_rule'] }, 'correlation.rules[1]', /no rule has the name or id 'no_such_rule'/],
    ['lt, which only a closed window decides', { ...valid, condition: { lt: 5 } }, 'correlation.condition.lt', /'lt' is not supported: .*known only when the window closes/],
    ['a count without condition', { ...valid, condition: undefined }, 'correlation.condition', /event_count needs a condition/],
    ['value_count without field', { ...valid, type: 'value_count' }, 'correlation.condition', /value_count needs condition.field/],
    ['a bad timespan', { ...valid, timespan: '5 minutes' }, 'correlation.timespan', /timespan is a number and a unit/],
    ['an unknown key', { ...valid, groupby: ['User'] }, 'correlation.groupby', /unknown key 'groupby'/],
    ['an alias for a rule not listed', { ...valid, aliases: { User: { other_rule: 'x' } } }, 'correlation.aliases.User.other_rule', /not the name of a rule/],
  ])('%s', (_what, correlation, path, reason) => {
    const error = refusal(correlation);
    expect(error.file).toBe('correlation.yml');
    expect(error.path).toBe(path);
    expect(error.line).toEqual(expect.any(Number));
    expect(error.reason).toMatch(reason);
  });

  test('a correlation over a correlation is refused with the reason', () => {
    const inner = { file: 'inner.yml', text: stringify({ title: 'Inner', id: testRuleId(), name: 'inner', correlation: { type: 'event_count', rules: ['failed_login'], timespan: '1m', condition: { gte: 2 } }, level: 'low' }) };
    const error = refusalOf([...baseRules, inner, { file: 'outer.yml', text: correlationText({ type: 'temporal', rules: ['inner', 'successful_login'], timespan: '5m' }) }]);
    expect(error).toMatchObject({ file: 'outer.yml', path: 'correlation.rules[0]', line: 6 });
    expect(error.reason).toMatch(/correlations over correlations are not supported/);
  });
});

describe('hot reload', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'correlation-rules-'));
    for (const rule of baseRules) writeFileSync(join(dir, rule.file), rule.text);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('R3 a correlation file added is loaded; a broken one keeps the running set and names file and line', () => {
    const live = new LiveDetectionRules(dir);
    expect(live.ruleSet.correlations).toHaveLength(0);
    writeFileSync(join(dir, 'correlation.yml'), correlationText({ type: 'event_count', rules: ['failed_login'], timespan: '1m', condition: { gte: 2 } }));
    expect(live.reload().outcome).toBe('replaced');
    expect(live.ruleSet.correlations.map((c) => c.match.ruleId)).toEqual([CORRELATION]);
    writeFileSync(join(dir, 'correlation.yml'), correlationText({ type: 'event_count', rules: ['failed_login'], timespan: '1m', condition: { eq: 2 } }));
    expect(live.reload().outcome).toBe('refused');
    expect(live.status().lastRefusal).toMatchObject({ file: join(dir, 'correlation.yml'), line: 9, reason: expect.stringContaining("'eq' is not supported") });
    expect(live.ruleSet.correlations).toHaveLength(1);
  });
});
