/** A rule set: which rules apply to which logsource, the order of matches, listing and loading from a folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, loadRuleSet } from '../../detection/sigma/ruleSet';
import { ruleText } from './sigmaRuleBuilder';

const EVENT = { title: 'Something happened' };
const MATCH_ALL = { sel: { 'title|exists': true }, condition: 'sel' };

const rule = (file: string, id: string, level: string, logsource: Record<string, string>) => ({
  file,
  text: ruleText(MATCH_ALL, { id, level, logsource, title: `Rule ${file}` }),
});

describe('logsource', () => {
  const set = compileRules([
    rule('m365.yml', '10000000-0000-4000-8000-000000000001', 'high', { product: 'm365', category: 'alert' }),
    rule('endpoint.yml', '10000000-0000-4000-8000-000000000002', 'high', { product: 'Endpoint', category: 'alert' }),
    rule('any-alert.yml', '10000000-0000-4000-8000-000000000003', 'high', { category: 'alert' }),
    rule('firewall-syslog.yml', '10000000-0000-4000-8000-000000000004', 'high', { product: 'firewall', service: 'syslog' }),
  ]);
  const filesFor = (logsource: Parameters<typeof set.evaluate>[1]) => set.evaluate(EVENT, logsource).map((m) => m.file).sort();

  test('a rule applies when every logsource key it sets equals the event’s, case-insensitively', () => {
    expect(filesFor({ product: 'M365', category: 'Alert' })).toEqual(['any-alert.yml', 'm365.yml']);
    expect(filesFor({ product: 'endpoint', category: 'alert' })).toEqual(['any-alert.yml', 'endpoint.yml']);
  });

  test('a rule without product applies to every product of its category', () => {
    expect(filesFor({ product: 'firewall', category: 'alert' })).toEqual(['any-alert.yml']);
  });

  test('a key the rule sets must be present in the event’s logsource', () => {
    expect(filesFor({ product: 'firewall' })).toEqual([]);
    expect(filesFor({ product: 'firewall', service: 'SYSLOG' })).toEqual(['firewall-syslog.yml']);
    expect(filesFor({})).toEqual([]);
  });

  test('keys the rule does not set do not matter', () => {
    expect(filesFor({ product: 'm365', category: 'alert', service: 'whatever' })).toEqual(['any-alert.yml', 'm365.yml']);
  });
});

describe('order of matches', () => {
  const sources = [
    rule('a.yml', '30000000-0000-4000-8000-000000000000', 'low', { category: 'alert' }),
    rule('b.yml', '20000000-0000-4000-8000-000000000000', 'critical', { category: 'alert' }),
    rule('c.yml', '10000000-0000-4000-8000-000000000000', 'informational', { category: 'alert' }),
    rule('d.yml', '40000000-0000-4000-8000-000000000000', 'critical', { category: 'alert' }),
    rule('e.yml', '05000000-0000-4000-8000-000000000000', 'medium', { category: 'alert' }),
    rule('f.yml', '06000000-0000-4000-8000-000000000000', 'high', { category: 'alert' }),
  ];
  const expected = [
    ['20000000-0000-4000-8000-000000000000', 'critical'],
    ['40000000-0000-4000-8000-000000000000', 'critical'],
    ['06000000-0000-4000-8000-000000000000', 'high'],
    ['05000000-0000-4000-8000-000000000000', 'medium'],
    ['30000000-0000-4000-8000-000000000000', 'low'],
    ['10000000-0000-4000-8000-000000000000', 'informational'],
  ];

  test('highest level first, then by rule id', () => {
    const matches = compileRules(sources).evaluate(EVENT, { category: 'alert' });
    expect(matches.map((m) => [m.ruleId, m.level])).toEqual(expected);
  });

  test('the same whatever order the files come in', () => {
    for (const order of [[...sources].reverse(), [sources[3], sources[0], sources[5], sources[1], sources[4], sources[2]]]) {
      const set = compileRules(order.filter((s) => s !== undefined));
      expect(set.evaluate(EVENT, { category: 'alert' }).map((m) => m.ruleId)).toEqual(expected.map(([id]) => id));
    }
  });

  test('rules of several logsources merge into the same order', () => {
    const set = compileRules([
      rule('p.yml', '90000000-0000-4000-8000-000000000000', 'critical', { product: 'm365' }),
      rule('q.yml', '80000000-0000-4000-8000-000000000000', 'high', { category: 'alert' }),
      rule('r.yml', '70000000-0000-4000-8000-000000000000', 'critical', { product: 'm365', category: 'alert' }),
    ]);
    expect(set.evaluate(EVENT, { product: 'm365', category: 'alert' }).map((m) => m.file)).toEqual(['r.yml', 'p.yml', 'q.yml']);
  });

  test('a match carries rule id, title, level and file', () => {
    const [match] = compileRules(sources.filter((s) => s.file === 'b.yml')).evaluate(EVENT, { category: 'alert' });
    expect(match).toEqual({ ruleId: '20000000-0000-4000-8000-000000000000', title: 'Rule b.yml', level: 'critical', file: 'b.yml' });
  });

  test('rules that do not match are left out', () => {
    const set = compileRules([rule('a.yml', '30000000-0000-4000-8000-000000000000', 'low', { category: 'alert' })]);
    expect(set.evaluate({ other: 'x' }, { category: 'alert' })).toEqual([]);
  });
});

describe('listing', () => {
  test('size and rules describe the set in file order', () => {
    const set = compileRules([
      rule('z.yml', '10000000-0000-4000-8000-00000000000a', 'low', { product: 'firewall', category: 'alert' }),
      rule('a.yml', '10000000-0000-4000-8000-00000000000b', 'high', { category: 'alert' }),
    ]);
    expect(set.size).toBe(2);
    expect(set.rules).toEqual([
      { id: '10000000-0000-4000-8000-00000000000a', title: 'Rule z.yml', level: 'low', logsource: { product: 'firewall', category: 'alert' }, file: 'z.yml' },
      { id: '10000000-0000-4000-8000-00000000000b', title: 'Rule a.yml', level: 'high', logsource: { category: 'alert' }, file: 'a.yml' },
    ]);
  });

  test('an empty list of sources is an empty set', () => {
    const set = compileRules([]);
    expect(set.size).toBe(0);
    expect(set.evaluate(EVENT, { category: 'alert' })).toEqual([]);
  });
});

describe('loading a folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigma-load-'));
    mkdirSync(join(dir, 'm365', 'identity'), { recursive: true });
    mkdirSync(join(dir, 'endpoint'));
    writeFileSync(join(dir, 'm365', 'identity', 'b.yaml'), rule('', '10000000-0000-4000-8000-0000000000b1', 'high', { product: 'm365' }).text);
    writeFileSync(join(dir, 'endpoint', 'a.yml'), rule('', '10000000-0000-4000-8000-0000000000a1', 'low', { product: 'endpoint' }).text);
    writeFileSync(join(dir, 'top.yml'), rule('', '10000000-0000-4000-8000-0000000000c1', 'medium', { category: 'alert' }).text);
    writeFileSync(join(dir, 'README.md'), '# not a rule');
    writeFileSync(join(dir, 'endpoint', 'notes.txt'), 'not a rule either');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('reads every .yml and .yaml file below it, in path order, named relative to the folder', () => {
    const set = loadRuleSet(dir);
    expect(set.rules.map((r) => r.file)).toEqual(['endpoint/a.yml', 'm365/identity/b.yaml', 'top.yml']);
    expect(set.evaluate(EVENT, { product: 'm365', category: 'alert' }).map((m) => m.file)).toEqual(['m365/identity/b.yaml', 'top.yml']);
  });
});

describe('rules that share selections', () => {
  const shared = { 'process.command_line|contains': ['vssadmin', 'wbadmin'] };
  const set = compileRules([
    { file: 'a.yml', text: ruleText({ sel: shared, condition: 'sel' }, { id: '50000000-0000-4000-8000-000000000001' }) },
    { file: 'b.yml', text: ruleText({ sel: shared, filter: { 'user.name': 'backup' }, condition: 'sel and not filter' }, { id: '50000000-0000-4000-8000-000000000002' }) },
    { file: 'c.yml', text: ruleText({ other: shared, condition: 'not other' }, { id: '50000000-0000-4000-8000-000000000003' }) },
  ]);
  const files = (event: Record<string, string>) => set.evaluate(event, { product: 'test' }).map((m) => m.file);

  test('each rule still decides on its own, and nothing is remembered from one event to the next', () => {
    expect(files({ 'process.command_line': 'vssadmin delete shadows' })).toEqual(['a.yml', 'b.yml']);
    expect(files({ 'process.command_line': 'vssadmin delete shadows', 'user.name': 'backup' })).toEqual(['a.yml']);
    expect(files({ 'process.command_line': 'notepad' })).toEqual(['c.yml']);
    expect(files({ 'process.command_line': 'wbadmin delete catalog' })).toEqual(['a.yml', 'b.yml']);
  });
});
