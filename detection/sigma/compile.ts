/** Compiles a validated Sigma rule once into a predicate over events: regexes, wildcards and ranges are built here, not per event. */
import { ConditionSyntaxError, parseCondition, type ConditionNode } from './condition';
import { compileFieldTest } from './modifiers';
import { RuleDefinitionError, type RulePath } from './ruleDefinitionError';
import type { FieldMap, Selection, SigmaDetection, SigmaRule } from './ruleSchema';
import { SharedTests } from './sharedTests';
import { EventView, type EventTest, type SigmaEvent } from './sigmaEvent';

export type { EventTest } from './sigmaEvent';

export interface CompiledRule {
  readonly rule: SigmaRule;
  /** The detection over a shared per-event view (what a rule set uses across many rules). */
  readonly test: EventTest;
}

/**
 * Compiles the rule's detection; throws `RuleDefinitionError` with the path of what is wrong. Rules of one
 * set pass the same `shared`: identical tests are compiled once, identical selections evaluated once per event,
 * and literals join the set's index.
 */
export function compileRule(rule: SigmaRule, shared: SharedTests = new SharedTests()): CompiledRule {
  return { rule, test: compileDetection(rule.detection, shared) };
}

/** One rule over one event, for callers outside a rule set. */
export function evaluate(rule: CompiledRule, event: SigmaEvent): boolean {
  return rule.test(new EventView(event));
}

function compileDetection(detection: SigmaDetection, shared: SharedTests): EventTest {
  const { condition, timeframe: _timeframe, ...selections } = detection;
  const names = Object.keys(selections);
  const tests = new Map<string, EventTest>();
  for (const name of names) {
    const selection = selections[name];
    if (selection !== undefined) tests.set(name, compileSelection(selection, ['detection', name], shared));
  }
  const conditions = typeof condition === 'string' ? [condition] : condition;
  const compiled = conditions.map((text, i) => {
    const path = typeof condition === 'string' ? ['detection', 'condition'] : ['detection', 'condition', i];
    try {
      return compileNode(parseCondition(text, names), tests);
    } catch (error) {
      if (error instanceof ConditionSyntaxError) throw new RuleDefinitionError(path, error.message);
      throw error;
    }
  });
  // A list of conditions is OR (Sigma: each would be its own query).
  return anyOf(compiled);
}

function compileSelection(selection: Selection, path: RulePath, shared: SharedTests): EventTest {
  return shared.remember(`selection\u0000${JSON.stringify(selection)}`, () => buildSelection(selection, path, shared));
}

function buildSelection(selection: Selection, path: RulePath, shared: SharedTests): EventTest {
  if (!Array.isArray(selection)) return compileFieldMap(selection, path, shared);
  // The schema keeps a list to maps only or keywords only.
  const maps: FieldMap[] = [];
  const keywords: (string | number)[] = [];
  for (const item of selection) {
    if (typeof item === 'object') maps.push(item);
    else keywords.push(item);
  }
  // Keywords are the values of a field-less entry: contains, case-insensitive, searched in every field.
  return maps.length > 0 ? anyOf(maps.map((map, i) => compileFieldMap(map, [...path, i], shared))) : compileFieldTest('', keywords, path, shared);
}

/** Every field of the map must match (AND). */
function compileFieldMap(map: FieldMap, path: RulePath, shared: SharedTests): EventTest {
  const tests = Object.entries(map).map(([key, value]) =>
    shared.intern(`field\u0000${key}\u0000${JSON.stringify(value)}`, () => compileFieldTest(key, value, [...path, key], shared)),
  );
  const [only] = tests;
  if (tests.length === 1 && only) return only;
  return (view) => {
    for (const test of tests) if (!test(view)) return false;
    return true;
  };
}

function compileNode(node: ConditionNode, tests: ReadonlyMap<string, EventTest>): EventTest {
  switch (node.kind) {
    case 'selection':
      return selectionTest(node.name, tests);
    case 'not': {
      const operand = compileNode(node.operand, tests);
      return (view) => !operand(view);
    }
    case 'and':
      return allOf(node.operands.map((operand) => compileNode(operand, tests)));
    case 'or':
      return anyOf(node.operands.map((operand) => compileNode(operand, tests)));
    case 'of': {
      const operands = node.names.map((name) => selectionTest(name, tests));
      if (node.quantity === 'all') return allOf(operands);
      if (node.quantity === 1) return anyOf(operands);
      const needed = node.quantity;
      return (view) => {
        let found = 0;
        for (const operand of operands) if (operand(view) && ++found >= needed) return true;
        return false;
      };
    }
  }
}

function selectionTest(name: string, tests: ReadonlyMap<string, EventTest>): EventTest {
  const test = tests.get(name);
  if (!test) throw new RuleDefinitionError(['detection', 'condition'], `condition: unknown selection '${name}'`);
  return test;
}

function anyOf(tests: readonly EventTest[]): EventTest {
  const [only] = tests;
  if (tests.length === 1 && only) return only;
  return (view) => {
    for (const test of tests) if (test(view)) return true;
    return false;
  };
}

function allOf(tests: readonly EventTest[]): EventTest {
  const [only] = tests;
  if (tests.length === 1 && only) return only;
  return (view) => {
    for (const test of tests) if (!test(view)) return false;
    return true;
  };
}
