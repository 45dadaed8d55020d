/** Rule files that are refused at start-up, each with its file, line, key path and reason. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleSet, RuleFileError } from '../../detection/sigma/ruleSet';
import { detectionRefusal, refusalOf, ruleText, testRuleId } from './sigmaRuleBuilder';

const VALID = `title: Valid rule
id: 0f6a2d1c-7b3e-4c5d-9e8f-1a2b3c4d5e6f
logsource:
  product: endpoint
  category: alert
detection:
  selection:
    process.image|endswith: '\\procdump.exe'
  condition: selection
level: high
`;

const edit = (from: string, to: string) => {
  if (!VALID.includes(from)) throw new Error(`fixture has no '${from}'`);
  return VALID.replace(from, to);
};

describe('schema refusals', () => {
  test('the valid fixture loads, so each refusal below is caused by its one change', () => {
    expect(() => refusalOf(VALID)).toThrow('expected the rule to be refused');
  });

  test('an unknown top-level key is named, with its line', () => {
    const error = refusalOf(edit('level: high\n', 'level: high\nseverity: high\n'));
    expect(error).toBeInstanceOf(RuleFileError);
    expect(error).toMatchObject({ file: 'rule.yml', line: 11, path: 'severity' });
    expect(error.reason).toMatch(/unknown top-level key 'severity'/);
    expect(error.message).toMatch(/^rule\.yml:11 severity: unknown top-level key 'severity'/);
  });

  test('a missing condition', () => {
    const error = refusalOf(edit('  condition: selection\n', ''));
    expect(error).toMatchObject({ path: 'detection.condition', line: 6, reason: 'condition is required' });
  });

  test.each([
    ['title', 'title: Valid rule\n'],
    ['id', 'id: 0f6a2d1c-7b3e-4c5d-9e8f-1a2b3c4d5e6f\n'],
    ['level', 'level: high\n'],
    ['logsource', 'logsource:\n  product: endpoint\n  category: alert\n'],
  ])('a missing %s', (key, text) => {
    expect(refusalOf(edit(text, ''))).toMatchObject({ path: key, reason: `${key} is required` });
  });

  test('a level outside the five Sigma levels', () => {
    expect(refusalOf(edit('level: high', 'level: severe'))).toMatchObject({ path: 'level', line: 10, reason: 'level must be one of informational, low, medium, high, critical' });
  });

  test('an id that is not a UUID', () => {
    expect(refusalOf(edit('id: 0f6a2d1c-7b3e-4c5d-9e8f-1a2b3c4d5e6f', 'id: rule-1'))).toMatchObject({ path: 'id', line: 2, reason: 'id must be a UUID' });
  });

  test('an unknown logsource key', () => {
    const error = refusalOf(edit('  category: alert', '  categroy: alert'));
    expect(error).toMatchObject({ path: 'logsource.categroy', line: 5 });
    expect(error.reason).toMatch(/unknown key 'categroy'/);
  });

  test('a selection value that is a nested map', () => {
    const error = detectionRefusal({ sel: { f: { nested: 1 } }, condition: 'sel' });
    expect(error).toMatchObject({ path: 'detection.sel.f' });
    expect(error.reason).toMatch(/a field takes a value or a list of values/);
  });

  test('a selection list that mixes maps and keywords', () => {
    expect(detectionRefusal({ sel: [{ f: 1 }, 'keyword'], condition: 'sel' }).reason).toMatch(/field maps or keywords, not both/);
  });

  test('an empty selection', () => {
    expect(detectionRefusal({ sel: {}, condition: 'sel' }).reason).toMatch(/needs at least one field/);
  });

  test('timeframe, which only aggregations use', () => {
    expect(detectionRefusal({ sel: { f: 1 }, timeframe: '5m', condition: 'sel' })).toMatchObject({ path: 'detection.timeframe', reason: expect.stringMatching(/not supported/) });
  });

  test('a selection named like a condition keyword', () => {
    expect(detectionRefusal({ them: { f: 1 }, condition: '1 of them' }).reason).toMatch(/'them' is a condition keyword/);
  });
});

describe('modifier refusals', () => {
  test('an unknown modifier is named', () => {
    const error = refusalOf(edit('process.image|endswith:', 'process.image|endswith|expanded:'));
    expect(error).toMatchObject({ path: 'detection.selection.process.image|endswith|expanded', line: 8 });
    expect(error.reason).toMatch(/^unknown modifier 'expanded' \(supported: contains, /);
  });

  test('a modifier of the specification that the engine does not support is refused with the reason', () => {
    const error = refusalOf(edit('process.image|endswith:', 'process.image|endswith|expand:'));
    expect(error).toMatchObject({ path: 'detection.selection.process.image|endswith|expand', line: 8 });
    expect(error.reason).toMatch(/^modifier 'expand' is not supported: .*no pipeline/);
    expect(detectionRefusal({ sel: { 'time|hour': 3 }, condition: 'sel' }).reason).toMatch(/^modifier 'hour' is not supported: time modifiers/);
  });

  test.each([
    [{ 'f|contains|startswith': 'x' }, /'contains' and 'startswith' cannot be combined/],
    [{ 'f|contains|contains': 'x' }, /modifier 'contains' is given twice/],
    [{ 'f||contains': 'x' }, /empty modifier name/],
    [{ 'f|re|contains': 'x' }, /'contains' cannot be combined with 're'/],
    [{ 'f|i': 'x' }, /'i' is a sub-modifier of 're'/],
    [{ 'f|cidr|cased': '10.0.0.0/8' }, /'cased' cannot be combined with 'cidr'/],
    [{ 'f|base64offset': 'x' }, /'base64offset' .* must be used with 'contains'/],
    [{ 'f|wide|contains': 'x' }, /'wide' encodes text for base64/],
    [{ 'f|windash|base64': 'x' }, /'windash' cannot be combined with 'base64'/],
    [{ 'f|exists': 'yes' }, /'exists' takes true or false/],
    [{ 'f|gt': '10' }, /'gt' needs a number/],
    [{ 'f|re': 5 }, /'re' needs string values/],
    [{ 'f|contains': null }, /null matches a missing field and takes no modifiers/],
    [{ 'f|contains|all': 'x' }, /'all' modifier needs a list of at least two values/],
    [{ f: [] }, /an empty list of values matches nothing/],
    [{ '|startswith': 'x' }, /'startswith' needs a field name/],
  ])('%j is refused', (fields, reason) => {
    expect(detectionRefusal({ sel: fields, condition: 'sel' }).reason).toMatch(reason);
  });

  test('a regular expression that does not compile, with the list index', () => {
    const error = detectionRefusal({ sel: { 'f|re': ['ok', '(unclosed'] }, condition: 'sel' });
    expect(error).toMatchObject({ path: 'detection.sel.f|re[1]' });
    expect(error.reason).toMatch(/^invalid regular expression '\(unclosed'/);
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', '2001:db8::/129', 'fe80::1%eth0/64', 'example.com/24', '0x0a.0.0.0/8'])('the CIDR value %s is refused', (cidr) => {
    const error = detectionRefusal({ sel: { 'ip|cidr': cidr }, condition: 'sel' });
    expect(error).toMatchObject({ path: 'detection.sel.ip|cidr' });
    expect(error.reason).toBe(`'${cidr}' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`);
  });
});

describe('condition refusals', () => {
  test('an unknown identifier, with position and line', () => {
    const error = refusalOf(edit('condition: selection', 'condition: selection and not filter'));
    expect(error).toMatchObject({ path: 'detection.condition', line: 9 });
    expect(error.reason).toMatch(/unknown selection 'filter' \(the rule defines: selection\) at position 19 of 'selection and not filter'/);
  });

  test('an aggregation pipe', () => {
    const error = refusalOf(edit('condition: selection', 'condition: selection | count() by host.name > 5'));
    expect(error.reason).toMatch(/aggregation expressions .* not supported at position 11/);
  });

  test('unbalanced parentheses in one of a list of conditions', () => {
    const error = detectionRefusal({ a: { f: 1 }, condition: ['a', '(a'] });
    expect(error).toMatchObject({ path: 'detection.condition[1]' });
    expect(error.reason).toMatch(/expected '\)'/);
  });
});

describe('file refusals', () => {
  test('a YAML syntax error, with its line', () => {
    const error = refusalOf(edit('  category: alert\n', '  category: [alert\n'));
    expect(error).toMatchObject({ file: 'rule.yml', line: 6 });
    expect(error.reason).toMatch(/^YAML syntax error: /);
  });

  test('a repeated key is a YAML error', () => {
    expect(refusalOf(edit('level: high\n', 'level: high\nlevel: low\n')).reason).toMatch(/YAML syntax error: Map keys must be unique/);
  });

  test('several YAML documents (a rule collection)', () => {
    const error = refusalOf(`${VALID}---\n${VALID.replace('0f6a2d1c', '1f6a2d1c')}`);
    expect(error).toMatchObject({ line: 11 }); // the second document's `---`
    expect(error.reason).toMatch(/holds 2 YAML documents; rule collections are not supported/);
  });

  test('an empty file, and a file that is not a mapping', () => {
    expect(refusalOf('# only a comment\n').reason).toMatch(/the file is empty/);
    expect(refusalOf('- a\n- b\n').reason).toMatch(/a rule file is a mapping/);
  });

  test('a duplicate rule id names both files', () => {
    const id = testRuleId();
    const error = refusalOf([
      { file: 'm365/first.yml', text: ruleText({ sel: { f: 1 }, condition: 'sel' }, { id }) },
      { file: 'endpoint/second.yml', text: ruleText({ sel: { f: 2 }, condition: 'sel' }, { id: id.toUpperCase() }) },
    ]);
    expect(error).toMatchObject({ file: 'endpoint/second.yml', path: 'id', line: 2 });
    expect(error.reason).toBe(`duplicate rule id ${id.toUpperCase()}: m365/first.yml has the same id`);
  });
});

describe('loading a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigma-refusals-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('an invalid file anywhere below the folder refuses the whole set, naming its full path', () => {
    mkdirSync(join(dir, 'm365'));
    writeFileSync(join(dir, 'a.yml'), VALID);
    writeFileSync(join(dir, 'm365', 'broken.yaml'), edit('level: high', 'level: urgent'));
    expect(() => loadRuleSet(dir)).toThrow(RuleFileError);
    try {
      loadRuleSet(dir);
    } catch (error) {
      expect(error).toMatchObject({ file: join(dir, 'm365', 'broken.yaml'), line: 10, path: 'level' });
    }
  });

  test('a folder without rule files, and a folder that does not exist', () => {
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    expect(() => loadRuleSet(dir)).toThrow(/holds no rule files/);
    expect(() => loadRuleSet(join(dir, 'missing'))).toThrow(/cannot be read/);
  });
});
