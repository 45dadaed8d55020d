/**
 * What the differential test against pySigma found (R3), kept as regular tests: shrunk counterexamples of bugs
 * fixed here, and the cases where the engine deliberately differs from pySigma 1.5.1 with pysigma-backend-duckdb
 * 0.1.4, with the reason (Sigma specification 2.0: https://github.com/SigmaHQ/sigma-specification, "Sigma Rules
 * Specification" and "Sigma Modifiers Appendix").
 */
import { Buffer } from 'node:buffer';
import { compileRules } from '../../detection/sigma/ruleSet';
import { detectionRefusal, detects, selection } from './sigmaRuleBuilder';

describe('bugs the differential test found, fixed', () => {
  test('R3 fieldref is supported: the same value in two fields, case-insensitively, placed by contains/startswith/endswith', () => {
    expect(selection({ 'User|fieldref': 'TargetUser' })({ User: 'Alice', TargetUser: 'alice' })).toBe(true);
    expect(selection({ 'User|fieldref': 'TargetUser' })({ User: 'alice', TargetUser: 'bob' })).toBe(false);
    expect(selection({ 'CommandLine|fieldref|contains': 'Image' })({ CommandLine: 'run C:\\x.exe now', Image: 'c:\\X.exe' })).toBe(true);
    expect(selection({ 'CommandLine|fieldref|startswith': 'Image' })({ CommandLine: 'run C:\\x.exe', Image: 'c:\\x.exe' })).toBe(false);
    // A missing field on either side matches nothing, so its negation matches.
    expect(selection({ 'User|fieldref': 'TargetUser' })({ User: 'alice' })).toBe(false);
    expect(detects({ f: { 'User|fieldref': 'TargetUser' }, condition: 'not f' })({ User: 'alice' })).toBe(true);
  });

  test('R3 neq negates the whole item, its list included', () => {
    const rule = selection({ 'User|neq': ['alice', 'bob'] });
    expect(rule({ User: 'carol' })).toBe(true);
    expect(rule({ User: 'Bob' })).toBe(false);
    expect(rule({})).toBe(true);
    expect(selection({ 'SrcIp|cidr|neq': '10.0.0.0/8' })({ SrcIp: '10.1.2.3' })).toBe(false);
  });

  test('R3 the long regular expression flags ignorecase, multiline, dotall work like i, m, s', () => {
    expect(selection({ 'f|re|ignorecase': '^abc$' })({ f: 'ABC' })).toBe(true);
    expect(selection({ 'f|re|multiline|dotall': '^b.c' })({ f: 'a\nb\nc' })).toBe(true);
    expect(detectionRefusal({ sel: { 'f|re|i|ignorecase': 'a' }, condition: 'sel' }).reason).toMatch(/flag 'i' is given twice/);
  });

  test('R3 base64 encodes the text the value stands for: escapes resolved (counterexample a\\\\a), wildcards refused', () => {
    const rule = selection({ 'c|base64offset|contains': 'a\\\\a' });
    expect(rule({ c: Buffer.from('a\\azz').toString('base64') })).toBe(true);
    expect(rule({ c: Buffer.from('a\\\\azz').toString('base64') })).toBe(false);
    expect(detectionRefusal({ sel: { 'c|base64|contains': 'who*' }, condition: 'sel' }).reason).toMatch(/wildcards cannot be encoded/);
  });

  test("R3 fieldref refuses cased and wildcards, as pySigma does", () => {
    expect(detectionRefusal({ sel: { 'User|fieldref|cased': 'Other' }, condition: 'sel' }).reason).toMatch(/'cased' cannot be combined with 'fieldref'/);
    expect(detectionRefusal({ sel: { 'User|fieldref': 'Oth*' }, condition: 'sel' }).reason).toMatch(/no wildcards/);
  });
});

describe('deliberate differences from pySigma and its DuckDB backend', () => {
  test('R3 a backslash before an ordinary character is literal (the specification\'s escaping rule; the oracle harness had to escape it)', () => {
    const rule = selection({ CommandLine: ['a', '\\a'] });
    expect(rule({ CommandLine: '\\a' })).toBe(true);
    expect(rule({ CommandLine: '\\b' })).toBe(false);
  });

  test('R3 exists checks presence, be it null (Modifiers Appendix 2.1.0, Generic Modifiers); SQL cannot tell null from missing', () => {
    // The counterexample the differential test found: Image: null with `not Image|exists: false`.
    const rule = detects({ sel_a: { 'Image|exists': false }, condition: 'not sel_a' });
    expect(rule({ Image: null, Note: '' })).toBe(true);
    expect(rule({ Note: '' })).toBe(false);
  });

  test('R3 a number under contains/startswith/endswith/cased is read as its text: generic modifiers apply to all types (Modifiers Appendix 2.1.0); pySigma refuses the rule', () => {
    expect(selection({ 'Port|startswith': 44 })({ Port: 4444 })).toBe(true);
    expect(selection({ 'Port|contains': 1.5 })({ Port: '21.55' })).toBe(true);
  });

  test('R3 base64 and base64offset match case-sensitively: base64 text encodes bytes, the DuckDB backend compares it with ILIKE', () => {
    const encoded = Buffer.from('whoami /all').toString('base64');
    expect(selection({ 'c|base64|contains': 'whoami /all' })({ c: `x ${encoded} y` })).toBe(true);
    expect(selection({ 'c|base64|contains': 'whoami /all' })({ c: `x ${encoded.toLowerCase()} y` })).toBe(false);
  });

  test('R3 base64offset finds a non-ASCII value at every byte offset (counterexample ßa; pySigma cuts by characters, not bytes)', () => {
    const rule = selection({ 'User|base64offset|contains': 'ßa' });
    for (const prefix of ['', 'x', 'xy']) expect(rule({ User: Buffer.from(`${prefix}ßazz`).toString('base64') })).toBe(true);
    expect(rule({ User: Buffer.from('xyzzy').toString('base64') })).toBe(false);
  });

  test('R3 base64offset refuses a one-byte value, which pySigma turns into a variant matching any text', () => {
    expect(detectionRefusal({ sel: { 'c|base64offset|contains': '\\' }, condition: 'sel' }).reason).toMatch(/at least two bytes/);
    expect(selection({ 'c|base64offset|contains': 'ab' })({ c: 'false' })).toBe(false);
  });

  test('R3 a number without string modifiers matches numerically (44 matches 44, "44" and "044"), as the SQL oracle compares it', () => {
    const rule = selection({ Port: 44 });
    expect([44, '44', '044', ' 44', 44.0].map((port) => rule({ Port: port }))).toEqual([true, true, true, true, true]);
    expect([4, '44a', '4 4', true].map((port) => rule({ Port: port }))).toEqual([false, false, false, false]);
    expect(selection({ 'Port|neq': 44 })({ Port: '044' })).toBe(false);
    expect(selection({ Port: [44, 'abc'] })({ Port: 'ABC' })).toBe(true);
  });

  test('R3 cidr matches addresses only: the DuckDB backend expands a range into text prefixes, so 0.0.0.0/0 matches any text', () => {
    const rule = selection({ 'SrcIp|cidr': '0.0.0.0/0' });
    expect(rule({ SrcIp: '8.8.8.8' })).toBe(true);
    expect(rule({ SrcIp: 'a.b' })).toBe(false);
  });

  test('R3 rule files are YAML 1.2: 1_0 and on are text, where PyYAML (YAML 1.1) reads a number and a boolean', () => {
    const set = compileRules([
      {
        file: 'yaml12.yml',
        text: 'title: t\nid: 9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\nlogsource: {product: test}\nlevel: low\ndetection:\n  sel:\n    Image: 1_0\n    Note: on\n  condition: sel\n',
      },
    ]);
    expect(set.evaluate({ Image: '1_0', Note: 'ON' }, { product: 'test' })).toHaveLength(1);
    expect(set.evaluate({ Image: 10, Note: true }, { product: 'test' })).toHaveLength(0);
  });

  test('R3 a list-valued event field matches when any element does, each field test on its own', () => {
    // The oracle reads a list as one row per element, so it is compared only for rules without negation.
    const rule = selection({ 'f|contains|all': ['a', 'b'] });
    expect(rule({ f: ['xa', 'bx'] })).toBe(true);
    expect(detects({ s: { f: 'a' }, condition: 'not s' })({ f: ['a', 'b'] })).toBe(false);
  });
});
