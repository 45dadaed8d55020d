/**
 * Sigma field modifiers (`field|contains|all: [...]`) compiled into event tests.
 *
 * Semantics: strings match case-insensitively (except `re`, `cased` and the base64 encodings, whose output is
 * case-sensitive by nature); plain values support `*`, `?` and `\` escapes; a list of values is OR, with `all`
 * AND; a null value matches a missing or null field; a list-valued event field matches when any element does.
 * Modifiers may be written in any order: encodings and windash shape the value, then contains/startswith/
 * endswith place it. An empty field name (`'|all': [...]`) searches keywords across all fields.
 */
import { parseFieldKey, type Comparison, type FieldKey } from './fieldKey';
import { compileCidr, InvalidCidrError } from './ipRange';
import { RuleDefinitionError, type RulePath } from './ruleDefinitionError';
import type { FieldValue, SigmaValue } from './ruleSchema';
import type { SharedTests } from './sharedTests';
import type { EventTest } from './sigmaEvent';
import { textTest } from './textMatch';

export { MODIFIERS, type ModifierName } from './fieldKey';


/**
 * Compiles `key: value` of a selection map; `path` locates the entry in the rule for errors. Literal
 * strings are registered with `shared`, whose index answers them once the rule set is sealed.
 */
export function compileFieldTest(key: string, value: FieldValue, path: RulePath, shared: SharedTests): EventTest {
  const fieldKey = parseFieldKey(key, path);
  const test = compileValues(fieldKey, value, path, shared);
  // `neq` negates the whole item, its list included (pySigma: NOT over the item's values).
  return fieldKey.negated ? (view) => !test(view) : test;
}

function compileValues(fieldKey: FieldKey, value: FieldValue, path: RulePath, shared: SharedTests): EventTest {
  const values: readonly SigmaValue[] = Array.isArray(value) ? value : [value];
  const valuePath = (index: number): RulePath => (Array.isArray(value) ? [...path, index] : path);
  if (values.length === 0) throw new RuleDefinitionError(path, 'an empty list of values matches nothing');
  if (fieldKey.all && values.length < 2) throw new RuleDefinitionError(path, "the 'all' modifier needs a list of at least two values");
  const { type, all } = fieldKey;
  switch (type) {
    case 'exists':
      return existsTest(fieldKey.field, value, path);
    case 're':
      return anyOrAll(all, strings(values, valuePath, 're').map((v, i) => regexTest(fieldKey, v, valuePath(i))));
    case 'cidr':
      return anyOrAll(all, strings(values, valuePath, 'cidr').map((v, i) => cidrTest(fieldKey.field, v, valuePath(i))));
    case 'fieldref':
      return anyOrAll(all, strings(values, valuePath, 'fieldref').map((v, i) => fieldRefTest(fieldKey, v, valuePath(i))));
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return anyOrAll(all, values.map((v, i) => compareTest(fieldKey.field, type, v, valuePath(i))));
    case undefined:
      return plainTest(fieldKey, values, valuePath, shared);
  }
}

/**
 * Values without a type modifier. A YAML number with no string modifier matches numerically (the number, or a
 * decimal text of the same value: `44` matches 44, `'44'` and `'044'`), as SQL and search backends compare numbers;
 * under contains/startswith/endswith/cased/windash/base64 it is read as its text.
 */
function plainTest(fieldKey: FieldKey, values: readonly SigmaValue[], valuePath: (i: number) => RulePath, shared: SharedTests): EventTest {
  const numeric = fieldKey.field !== '' && fieldKey.position === undefined && !fieldKey.cased && !fieldKey.windash && fieldKey.encoding === undefined;
  const numbers = numeric ? values.filter((value) => typeof value === 'number') : [];
  if (numbers.length === 0) return textTest(fieldKey, values, valuePath, shared);
  const field = fieldKey.field;
  const tests: EventTest[] = numbers.map((number) => (view) => view.numbers(field).includes(number));
  const others = values.flatMap((value, i) => (typeof value === 'number' ? [] : [{ value, i }]));
  if (others.length > 0) {
    tests.push(textTest(fieldKey, others.map((other) => other.value), (j) => valuePath(others[j]?.i ?? 0), shared));
  }
  return anyOrAll(fieldKey.all, tests);
}

function anyOrAll(all: boolean, tests: readonly EventTest[]): EventTest {
  const [only] = tests;
  if (tests.length === 1 && only) return only;
  return all ? (view) => tests.every((test) => test(view)) : (view) => tests.some((test) => test(view));
}

function strings(values: readonly SigmaValue[], valuePath: (i: number) => RulePath, modifier: string): string[] {
  return values.map((value, i) => {
    if (typeof value !== 'string') throw new RuleDefinitionError(valuePath(i), `'${modifier}' needs string values, not ${describe(value)}`);
    return value;
  });
}

function existsTest(field: string, value: FieldValue, path: RulePath): EventTest {
  if (typeof value !== 'boolean') throw new RuleDefinitionError(path, `'exists' takes true or false, not ${describe(value)}`);
  // Presence, not value (Sigma Modifiers Appendix 2.1.0, "Generic Modifiers": "be it empty or null").
  return value ? (view) => view.has(field) : (view) => !view.has(field);
}

const INLINE_FLAGS = /^\(\?([a-z]+)\)/;

function regexTest(fieldKey: FieldKey, source: string, path: RulePath): EventTest {
  let flags = fieldKey.regexFlags;
  let pattern = source;
  // PCRE-style leading flags such as (?i) become JavaScript flags.
  const inline = INLINE_FLAGS.exec(source);
  if (inline?.[1] && /^[ims]+$/.test(inline[1])) {
    for (const flag of inline[1]) if (!flags.includes(flag)) flags += flag;
    pattern = source.slice(inline[0].length);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    throw new RuleDefinitionError(path, `invalid regular expression '${source}': ${error instanceof Error ? error.message : String(error)}`);
  }
  const field = fieldKey.field;
  return (view) => {
    for (const text of view.texts(field)) if (regex.test(text)) return true;
    return false;
  };
}

function cidrTest(field: string, value: string, path: RulePath): EventTest {
  let inRange: ReturnType<typeof compileCidr>;
  try {
    inRange = compileCidr(value);
  } catch (error) {
    if (error instanceof InvalidCidrError) throw new RuleDefinitionError(path, error.message);
    throw error;
  }
  return (view) => {
    for (const ip of view.ips(field)) if (inRange(ip)) return true;
    return false;
  };
}

const FIELD_REF_TEST = {
  equals: (text: string, other: string) => text === other,
  contains: (text: string, other: string) => text.includes(other),
  startswith: (text: string, other: string) => text.startsWith(other),
  endswith: (text: string, other: string) => text.endsWith(other),
} as const;

/**
 * `fieldref`: the field's value compared with another field's value of the same event (equal, or as contains/
 * startswith/endswith place it), case-insensitively like every Sigma string (`cased` is refused with it, as pySigma
 * does). A missing or null field on either side matches nothing; list fields match when any pair of values does.
 */
function fieldRefTest(fieldKey: FieldKey, other: string, path: RulePath): EventTest {
  if (other === '' || /[*?]/.test(other)) throw new RuleDefinitionError(path, "'fieldref' names another field: no wildcards, not empty");
  const compare = FIELD_REF_TEST[fieldKey.position ?? 'equals'];
  const field = fieldKey.field;
  return (view) => {
    const theirs = view.lowerTexts(other);
    if (theirs.length === 0) return false;
    for (const text of view.lowerTexts(field)) for (const value of theirs) if (compare(text, value)) return true;
    return false;
  };
}

const COMPARE = {
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
} as const satisfies Record<Comparison, (a: number, b: number) => boolean>;

function compareTest(field: string, modifier: Comparison, value: SigmaValue, path: RulePath): EventTest {
  if (typeof value !== 'number') throw new RuleDefinitionError(path, `'${modifier}' needs a number, not ${describe(value)}`);
  const compare = COMPARE[modifier];
  return (view) => {
    for (const number of view.numbers(field)) if (compare(number, value)) return true;
    return false;
  };
}

function describe(value: FieldValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `${typeof value} ${JSON.stringify(value)}`;
}
