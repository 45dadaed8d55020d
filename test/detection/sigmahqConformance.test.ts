/** Conformance set (R3): project-written rules in SigmaHQ's shapes load or are refused with a reason, and each loaded rule matches its event and not its near miss. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { compileRules, RuleFileError, type SigmaEvent } from '../../detection/sigma/ruleSet';

const DIR = join(__dirname, '../../detection/conformance/sigmahq');
const RULES_DIR = join(DIR, 'rules');

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const eventSchema = z.record(z.string(), z.union([scalar, z.array(scalar)]));
const fixtureSchema = z.union([z.strictObject({ match: eventSchema, nomatch: eventSchema }), z.strictObject({ refused: z.string().min(1) })]);
const fixtures = z.record(z.string(), fixtureSchema).parse(parse(readFileSync(join(DIR, 'events.yml'), 'utf8')));

const files = readdirSync(RULES_DIR).filter((file) => file.endsWith('.yml')).sort();
const sources = files.map((file) => ({ file, text: readFileSync(join(RULES_DIR, file), 'utf8') }));

/** Each file on its own: a refused rule must not hide the others. */
const outcomes = sources.map((source) => {
  try {
    compileRules([source]);
    return { file: source.file, refused: undefined };
  } catch (error) {
    if (!(error instanceof RuleFileError)) throw error;
    return { file: source.file, refused: error.message };
  }
});
const loaded = outcomes.filter((outcome) => outcome.refused === undefined).map((outcome) => outcome.file);
const refused = outcomes.filter((outcome) => outcome.refused !== undefined);
/** The loaded rules as one set, as the engine would run them. */
const ruleSet = compileRules(sources.filter((source) => loaded.includes(source.file)));

beforeAll(() => {
  const lines = refused.map((outcome) => `  refused ${outcome.refused ?? ''}`);
  console.log(`Conformance set: ${files.length} rules, ${loaded.length} loaded, ${refused.length} refused\n${lines.join('\n')}`);
});

test('every rule file has an event fixture, and every fixture a rule file', () => {
  expect(Object.keys(fixtures).sort()).toEqual(files);
  expect(files.length).toBeGreaterThanOrEqual(30);
});

describe.each(files)('%s', (file) => {
  const fixture = fixtures[file];
  const outcome = outcomes.find((o) => o.file === file);
  if (fixture === undefined || outcome === undefined) throw new Error(`no fixture for ${file}`);

  if ('refused' in fixture) {
    test('is refused with its stated reason', () => {
      expect(outcome.refused).toContain(fixture.refused);
    });
    return;
  }

  const rule = ruleSet.rules.find((summary) => summary.file === file);
  const matches = (event: SigmaEvent) => (rule ? ruleSet.evaluate(event, rule.logsource).some((match) => match.file === file) : false);

  test('loads', () => {
    expect(outcome.refused).toBeUndefined();
    expect(rule).toBeDefined();
  });
  test('matches its matching event', () => {
    expect(matches(fixture.match)).toBe(true);
  });
  test('does not match its near miss', () => {
    expect(matches(fixture.nomatch)).toBe(false);
  });
});
