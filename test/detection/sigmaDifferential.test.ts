/**
 * Differential test of the Sigma engine against pySigma (R3): generated rules and events, the same matching events
 * in both engines, or the rule refused by both. Bounded here (SIGMA_CONFORMANCE_RUNS, default 300 rules);
 * `npm run conformance:sigma` is the long run. Where the engines differ on purpose, the generator leaves the case
 * out and `sigmaDifferences.test.ts` proves the engine's choice. The conformance set (detection/conformance/) is
 * judged by pySigma as well.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileRules, RuleFileError } from '../../detection/sigma/ruleSet';
import { CONFORMANCE, useSigmaOracle, type OracleEvent } from '../support/pySigma';
import { eventsFor, FIELDS, listSafe, ruleArbitrary, ruleYaml, type GeneratedRule } from './sigmaArbitraries';

const RUNS = CONFORMANCE.runs;
const RULE_ID = '5d1c0a4e-8f7b-4c1d-9e2a-3b4c5d6e7f80';

const oracle = useSigmaOracle();

/** What the run compared, printed at the end so that a run that compares nothing shows it. */
const seen = { rules: 0, refusedByBoth: 0, events: 0, matches: 0, oracleErrors: 0 };
afterAll(() => {
  console.log(`pySigma differential: ${JSON.stringify(seen)}`);
});

type Verdict = { refused: string } | { matches: number[] };

function engineVerdict(yaml: string, events: readonly OracleEvent[]): Verdict {
  let set;
  try {
    set = compileRules([{ file: 'generated.yml', text: yaml }]);
  } catch (error) {
    if (error instanceof RuleFileError) return { refused: error.message };
    throw error;
  }
  return { matches: events.flatMap((event, i) => (set.evaluate(event, { product: 'test' }).length > 0 ? [i] : [])) };
}

/** The oracle's verdict; events the oracle could not evaluate (a DuckDB type error) are left out of both sides. */
async function compare(rule: GeneratedRule, events: OracleEvent[]): Promise<void> {
  const yaml = ruleYaml(rule, RULE_ID);
  const answer = (await oracle().ask({ fields: FIELDS, rules: [{ key: 'r', yaml }], events }))['r'];
  const engine = engineVerdict(yaml, events);
  if (!answer) throw new Error('the oracle gave no verdict');
  if ('refused' in answer || 'refused' in engine) {
    if ('refused' in engine !== 'refused' in answer) {
      throw new Error(`only one engine refuses the rule\n${yaml}\nengine: ${JSON.stringify(engine)}\npySigma: ${JSON.stringify(answer)}`);
    }
    seen.refusedByBoth += 1;
    return;
  }
  const skipped = new Set(Object.keys(answer.errors).map(Number));
  const engineMatches = engine.matches.filter((i) => !skipped.has(i));
  seen.rules += 1;
  seen.events += events.length;
  seen.matches += answer.matches.length;
  seen.oracleErrors += skipped.size;
  expect({ yaml, events, sql: answer.sql, matches: engineMatches }).toEqual({ yaml, events, sql: answer.sql, matches: answer.matches });
}

test(`R3 the engine matches the same events as pySigma for ${RUNS} generated rules`, async () => {
  await fc.assert(
    fc.asyncProperty(
      ruleArbitrary.chain((rule) => eventsFor(rule, listSafe(rule)).map((events) => ({ rule, events }))),
      async ({ rule, events }) => compare(rule, events),
    ),
    { numRuns: RUNS, seed: CONFORMANCE.seed },
  );
  expect(seen.matches).toBeGreaterThan(seen.rules / 2);
}, 900_000);

const CONFORMANCE_DIR = join(__dirname, '../../detection/conformance/sigmahq');

test('R3 pySigma agrees on the conformance set: each rule matches its event and not its near miss', async () => {
  const fixtures = parse(readFileSync(join(CONFORMANCE_DIR, 'events.yml'), 'utf8')) as Record<string, { match: OracleEvent; nomatch: OracleEvent }>;
  const files = readdirSync(join(CONFORMANCE_DIR, 'rules')).filter((file) => file.endsWith('.yml'));
  const rules = files.map((file) => ({ key: file, yaml: readFileSync(join(CONFORMANCE_DIR, 'rules', file), 'utf8') }));
  const verdicts: Record<string, unknown> = {};
  for (const { key, yaml } of rules) {
    const fixture = fixtures[key];
    if (!fixture) throw new Error(`no events for ${key}`);
    const events = [fixture.match, fixture.nomatch];
    const fields = [...new Set([...events.flatMap((event) => Object.keys(event)), ...[...yaml.matchAll(/^ {2,}(?:- )?([\w.]+)(?:\|[\w|]+)?:/gm)].map((m) => m[1] ?? '')])];
    const verdict = (await oracle().ask({ fields, rules: [{ key, yaml }], events }))[key];
    verdicts[key] = verdict && 'matches' in verdict ? verdict.matches : verdict;
  }
  expect(verdicts).toEqual(Object.fromEntries(files.map((file) => [file, [0]])));
});
