/** A compiled set of Sigma rules: loaded from a folder (or from strings), validated at start-up, evaluated per event. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { compileRule, type CompiledRule, type EventTest } from './compile';
import { compileCorrelation, type CompiledCorrelation, type ReferencedRule } from './correlation';
import { levelRank, type SigmaLevel } from '../../domain/sigmaLevel';
import { LogsourceIndex } from './logsourceIndex';
import { RuleDefinitionError } from './ruleDefinitionError';
import { formatKeyPath, RuleFileError } from './ruleFileError';
import { parseRuleSource, type ParsedRule, type RuleSource } from './ruleSource';
import { SharedTests } from './sharedTests';
import { EventView, type SigmaEvent, type SigmaLogsource } from './sigmaEvent';

export { RuleFileError } from './ruleFileError';
export type { RuleSource } from './ruleSource';
export type { SigmaEvent, SigmaLogsource, SigmaScalar } from './sigmaEvent';
export type { CompiledCorrelation } from './correlation';

export interface RuleMatch {
  readonly ruleId: string;
  readonly title: string;
  readonly level: SigmaLevel;
  readonly file: string;
}

/** A rule as listed: what it is called, how severe, which events it applies to, where it is written. */
export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly level: SigmaLevel;
  readonly logsource: Readonly<SigmaLogsource>;
  readonly file: string;
}

interface SetEntry {
  readonly test: EventTest;
  readonly match: RuleMatch;
}

/** Compiled rules, indexed by logsource. Build one with `compileRules` or `loadRuleSet`. */
export class RuleSet {
  /** In file order (the order they were given or loaded). */
  readonly rules: readonly RuleSummary[];
  /** Most severe first, then by rule id: evaluation order is result order, so matches need no sorting. */
  private readonly ordered: readonly SetEntry[];
  private readonly index: LogsourceIndex;
  /** Ids (lower-case) of the rules that correlations reference and that do not raise incidents of their own. */
  private readonly correlatedOnly: ReadonlySet<string>;

  /**
   * `memoSize`: the memo size of the `SharedTests` the rules were compiled with (see `compileRules`);
   * `contentDigest`: a digest of the rule texts, so an edited detection makes a new set version;
   * `correlations`: the correlation rules over these rules.
   */
  constructor(
    compiled: readonly { rule: CompiledRule; file: string }[],
    private readonly memoSize = 0,
    readonly contentDigest = '',
    readonly correlations: readonly CompiledCorrelation[] = [],
  ) {
    this.rules = compiled.map(({ rule: { rule }, file }) => Object.freeze({ id: rule.id, title: rule.title, level: rule.level, logsource: logsourceOf(rule.logsource), file }));
    const sorted = [...compiled].sort((a, b) => levelRank(b.rule.rule.level) - levelRank(a.rule.rule.level) || compareText(a.rule.rule.id, b.rule.rule.id));
    this.ordered = sorted.map(({ rule, file }) => ({
      test: rule.test,
      match: Object.freeze({ ruleId: rule.rule.id, title: rule.rule.title, level: rule.rule.level, file }),
    }));
    this.index = new LogsourceIndex(sorted.map(({ rule }) => rule.rule.logsource));
    // Sigma correlation `generate` (default false): a referenced rule raises its own incidents only if a correlation says so.
    const referenced = new Set(correlations.flatMap((correlation) => correlation.ruleIds));
    const generated = new Set(correlations.filter((correlation) => correlation.generate).flatMap((correlation) => correlation.ruleIds));
    this.correlatedOnly = new Set([...referenced].filter((id) => !generated.has(id)));
  }

  /** Whether a rule's matches raise incidents of their own (false for a rule only correlations use). */
  standsAlone(ruleId: string): boolean {
    return !this.correlatedOnly.has(ruleId.toLowerCase());
  }

  get size(): number {
    return this.rules.length;
  }

  /** The rules that apply to the logsource and match the event: highest level first, then by rule id. */
  evaluate(event: SigmaEvent, logsource: SigmaLogsource): RuleMatch[] {
    const view = new EventView(event, this.memoSize);
    const matches: RuleMatch[] = [];
    for (const position of this.index.candidates(logsource)) {
      const entry = this.ordered[position];
      if (entry?.test(view)) matches.push(entry.match);
    }
    return matches;
  }
}

/**
 * Validates and compiles rule texts; the first invalid file throws `RuleFileError`. Rule ids must be unique
 * (compared case-insensitively); a repeated id names both files.
 */
export function compileRules(sources: readonly RuleSource[]): RuleSet {
  const fileOfId = new Map<string, string>();
  const byReference = new Map<string, ReferencedRule & { file: string }>();
  const shared = new SharedTests();
  const compiled: { rule: CompiledRule; file: string }[] = [];
  const correlations: { parsed: Extract<ParsedRule, { kind: 'correlation' }>; file: string }[] = [];
  for (const source of sources) {
    const parsed = parseRuleSource(source);
    const id = parsed.rule.id.toLowerCase();
    const other = fileOfId.get(id);
    if (other !== undefined) {
      throw new RuleFileError(source.file, `duplicate rule id ${parsed.rule.id}: ${other} has the same id`, { line: parsed.lineOf(['id']), path: 'id' });
    }
    fileOfId.set(id, source.file);
    const { name } = parsed.rule;
    if (name !== undefined) {
      const named = byReference.get(`name:${name}`);
      if (named) throw new RuleFileError(source.file, `duplicate rule name ${name}: ${named.file} has the same name`, { line: parsed.lineOf(['name']), path: 'name' });
      byReference.set(`name:${name}`, { id: parsed.rule.id, name, correlation: parsed.kind === 'correlation', file: source.file });
    }
    byReference.set(`id:${id}`, { id: parsed.rule.id, name, correlation: parsed.kind === 'correlation', file: source.file });
    if (parsed.kind === 'correlation') {
      correlations.push({ parsed, file: source.file });
      continue;
    }
    compiled.push({ rule: definitionOf(source.file, parsed, () => compileRule(parsed.rule, shared)), file: source.file });
  }
  const resolve = (reference: string) => byReference.get(`name:${reference}`) ?? byReference.get(`id:${reference.toLowerCase()}`);
  const compiledCorrelations = correlations.map(({ parsed, file }) => definitionOf(file, parsed, () => compileCorrelation(parsed.rule, file, resolve)));
  shared.seal();
  const digest = createHash('sha256');
  for (const source of sources) digest.update(`${source.file}\u0000${source.text}\u0000`);
  return new RuleSet(compiled, shared.memoSize, digest.digest('hex'), compiledCorrelations);
}

/** Runs a compile step of one file, turning its `RuleDefinitionError` into a `RuleFileError` with the line. */
function definitionOf<T>(file: string, parsed: ParsedRule, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof RuleDefinitionError)) throw error;
    throw new RuleFileError(file, error.reason, { line: parsed.lineOf(error.path), path: formatKeyPath(error.path) });
  }
}

const RULE_FILE = /\.ya?ml$/i;

/**
 * Loads every `*.yml`/`*.yaml` below `dir` (recursively, in path order). Matches and listings name files
 * relative to `dir` (`m365/mailbox-forwarding.yml`), so the set's content does not depend on where it is
 * installed; errors name the full path. A folder without rule files is refused: it is a misconfiguration.
 */
export function loadRuleSet(dir: string): RuleSet {
  const files = listRuleFiles(dir);
  if (files.length === 0) throw new RuleFileError(dir, 'the folder holds no rule files (*.yml, *.yaml)');
  const sources = files.map((file) => ({ file, text: readRuleFile(join(dir, file)) }));
  try {
    return compileRules(sources);
  } catch (error) {
    if (!(error instanceof RuleFileError)) throw error;
    throw new RuleFileError(join(dir, error.file), error.reason, { line: error.line, path: error.path });
  }
}

function listRuleFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    throw new RuleFileError(dir, 'the rules folder cannot be read');
  }
  return entries
    .filter((entry) => RULE_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && isFile(join(entry.parentPath, entry.name)))))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(compareText);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readRuleFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new RuleFileError(path, 'the rule file cannot be read');
  }
}

function logsourceOf(logsource: SigmaLogsource): SigmaLogsource {
  const { product, category, service } = logsource;
  return Object.freeze({
    ...(product === undefined ? {} : { product }),
    ...(category === undefined ? {} : { category }),
    ...(service === undefined ? {} : { service }),
  });
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
