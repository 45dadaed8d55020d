/** Builds Sigma rules for tests: a valid rule around a given detection, compiled into a match function. */
import { stringify } from 'yaml';
import { compileRules, RuleFileError } from '../../detection/sigma/ruleSet';
import type { SigmaEvent } from '../../detection/sigma/sigmaEvent';

export const TEST_PRODUCT = 'test';

export interface RuleOptions {
  id?: string;
  title?: string;
  level?: string;
  logsource?: Record<string, string>;
}

let next = 0;

/** A distinct valid UUID per call, so rules never collide on id by accident. */
export function testRuleId(): string {
  next += 1;
  return `00000000-0000-4000-8000-${next.toString(16).padStart(12, '0')}`;
}

/** YAML text of a valid rule around `detection`. */
export function ruleText(detection: Record<string, unknown>, options: RuleOptions = {}): string {
  return stringify({
    title: options.title ?? 'Test rule',
    id: options.id ?? testRuleId(),
    logsource: options.logsource ?? { product: TEST_PRODUCT },
    detection,
    level: options.level ?? 'high',
  });
}

/** Compiles one rule and answers whether it matches an event. */
export function detects(detection: Record<string, unknown>): (event: SigmaEvent) => boolean {
  const set = compileRules([{ file: 'test.yml', text: ruleText(detection) }]);
  return (event) => set.evaluate(event, { product: TEST_PRODUCT }).length > 0;
}

/** A single selection `sel` with condition `sel`. */
export function selection(fields: unknown): (event: SigmaEvent) => boolean {
  return detects({ sel: fields, condition: 'sel' });
}

/** The RuleFileError compiling these files raises (fails the test when there is none). */
export function refusalOf(sources: { file: string; text: string }[] | string): RuleFileError {
  const list = typeof sources === 'string' ? [{ file: 'rule.yml', text: sources }] : sources;
  try {
    compileRules(list);
  } catch (error) {
    if (error instanceof RuleFileError) return error;
    throw error;
  }
  throw new Error('expected the rule to be refused');
}

/** Refusal of a rule built around `detection`. */
export function detectionRefusal(detection: Record<string, unknown>): RuleFileError {
  return refusalOf(ruleText(detection));
}
