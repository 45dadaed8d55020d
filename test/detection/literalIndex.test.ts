/** The Aho-Corasick literal index: it finds what direct string tests find, for every kind of literal. */
import { AhoCorasick, PLACE } from '../../detection/sigma/ahoCorasick';
import { compileRule, evaluate } from '../../detection/sigma/compile';
import { MIN_LITERALS_TO_INDEX } from '../../detection/sigma/literalSource';
import { ruleSchema } from '../../detection/sigma/ruleSchema';
import { compileRules } from '../../detection/sigma/ruleSet';
import type { SigmaEvent } from '../../detection/sigma/sigmaEvent';
import { ruleText, TEST_PRODUCT, testRuleId } from './sigmaRuleBuilder';

describe('AhoCorasick', () => {
  const patterns = ['he', 'she', 'his', 'hers', 'ushers'];
  const placesIn = (text: string) => {
    const places = new Uint8Array(patterns.length);
    new AhoCorasick(patterns).scanInto(text, places);
    return Object.fromEntries(patterns.map((pattern, id) => [pattern, places[id]]));
  };

  test('finds overlapping patterns and where they sit', () => {
    expect(placesIn('ushers')).toEqual({
      he: PLACE.contains,
      she: PLACE.contains,
      his: 0,
      hers: PLACE.contains | PLACE.endswith,
      ushers: PLACE.contains | PLACE.startswith | PLACE.endswith | PLACE.equals,
    });
    expect(placesIn('his hero')).toEqual({ he: PLACE.contains, she: 0, his: PLACE.contains | PLACE.startswith, hers: 0, ushers: 0 });
  });

  test('places accumulate over several texts', () => {
    const places = new Uint8Array(2);
    const automaton = new AhoCorasick(['ab', 'b']);
    automaton.scanInto('xab', places);
    automaton.scanInto('bx', places);
    expect([...places]).toEqual([PLACE.contains | PLACE.endswith, PLACE.contains | PLACE.startswith | PLACE.endswith]);
  });

  test('works on non-ASCII text', () => {
    const places = new Uint8Array(1);
    new AhoCorasick(['größe']).scanInto('die größe zählt', places);
    expect(places[0]).toBe(PLACE.contains);
  });
});

/** Fields the differential test runs over; each spec is a selection `sel` with condition `sel`. */
const SPECS: Record<string, unknown>[] = [
  { f: 'Alpha' },
  { f: ['alpha', 'BETA', 'gamma'] },
  { f: '' },
  { 'f|contains': ['beta', 'gamma'] },
  { 'f|startswith': 'Delta' },
  { 'f|endswith': ['.EXE', '.dll'] },
  { 'f|contains|all': ['one', 'two'] },
  { 'f|startswith|all': ['on', 'one'] },
  { f: 'a*b' },
  { 'f|contains': ['x?z', 'plain'] },
  { f: '*' },
  { 'f|cased|contains': 'JAB' },
  { 'f|cased': 'Alpha' },
  { 'f|base64offset|contains': 'whoami' },
  { 'f|windash|contains': ' -enc ' },
  { f: [null, 'alpha'] },
  { 'f|re': 'al.ha' },
];
const KEYWORDS = ['mimikatz', 'evil*tool'];
const b64 = (text: string) => Buffer.from(text).toString('base64');
const EVENTS: SigmaEvent[] = [
  {},
  { f: 'alpha' },
  { f: 'Alpha' },
  { f: '' },
  { f: ['x', 'BETA'] },
  { f: 'the gamma ray' },
  { f: 'delta force' },
  { f: 'x.delta' },
  { f: 'C:\\tools\\x.exe' },
  { f: ['a.DLL', 'q'] },
  { f: 'one and two' },
  { f: ['one', 'two'] },
  { f: 'one' },
  { f: 'axxb' },
  { f: 'ab' },
  { f: 'xyz plain' },
  { f: 'x-z' },
  { f: 'powershell -enc JAB' },
  { f: 'powershell /enc jab' },
  { f: `cmd ${b64('run whoami now')}` },
  { f: `cmd ${b64('xwhoami')}` },
  { f: null },
  { f: 42 },
  { other: 'Mimikatz' },
  { other: 'an evil little tool' },
];

/** Literals on the same sources, enough to make the rule set index them. */
function paddingRules(): string[] {
  const pads = Array.from({ length: MIN_LITERALS_TO_INDEX }, (_, i) => `zz-padding-${i}`);
  return [
    ruleText({ pad: { 'f|contains': pads }, condition: 'pad' }),
    ruleText({ pad: { 'f|cased|contains': pads }, condition: 'pad' }),
    ruleText({ pad: pads, condition: 'pad' }),
  ];
}

describe('indexed and direct matching agree', () => {
  test.each([...SPECS.map((spec) => [JSON.stringify(spec), spec] as const), ['keywords', KEYWORDS] as const])('%s', (_name, spec) => {
    const detection = { sel: spec, condition: 'sel' };
    const id = testRuleId();
    const direct = compileRule(ruleSchema.parse({ title: 't', id, logsource: { product: TEST_PRODUCT }, detection, level: 'high' }));
    const set = compileRules([...paddingRules(), ruleText(detection, { id })].map((text, i) => ({ file: `${i}.yml`, text })));
    for (const event of EVENTS) {
      const indexed = set.evaluate(event, { product: TEST_PRODUCT }).some((match) => match.ruleId === id);
      expect({ event, matched: indexed }).toEqual({ event, matched: evaluate(direct, event) });
    }
  });

  test('the padding really makes the sources indexed: one automaton pass per source and event', () => {
    const scan = jest.spyOn(AhoCorasick.prototype, 'scanInto');
    try {
      const set = compileRules(paddingRules().map((text, i) => ({ file: `${i}.yml`, text })));
      expect(set.evaluate({ f: 'ZZ-PADDING-3' }, { product: TEST_PRODUCT })).toHaveLength(2);
      // f lower-cased, f as it is, and all fields (one text): three scans.
      expect(scan).toHaveBeenCalledTimes(3);
      expect(set.evaluate({ f: 'zz-padding-3' }, { product: TEST_PRODUCT })).toHaveLength(3);
    } finally {
      scan.mockRestore();
    }
  });

  test('a source with few literals is not indexed', () => {
    const scan = jest.spyOn(AhoCorasick.prototype, 'scanInto');
    try {
      const set = compileRules([{ file: 'a.yml', text: ruleText({ sel: { 'f|contains': ['a', 'b'] }, condition: 'sel' }) }]);
      expect(set.evaluate({ f: 'xax' }, { product: TEST_PRODUCT })).toHaveLength(1);
      expect(scan).not.toHaveBeenCalled();
    } finally {
      scan.mockRestore();
    }
  });
});
