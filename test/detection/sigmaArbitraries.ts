/**
 * fast-check generators of Sigma rules and events for the differential test against pySigma: every modifier and
 * condition form both engines support, values with wildcards, escapes, Unicode and mixed case, numbers and IP
 * ranges; events with missing, null, numeric, boolean and list fields, built from the rule's own fragments so
 * that matches are frequent.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { OracleEvent } from '../support/pySigma';

export const FIELDS = ['CommandLine', 'Image', 'User', 'Port', 'SrcIp', 'Note'] as const;
type Field = (typeof FIELDS)[number];
const TEXT_FIELDS: readonly Field[] = ['CommandLine', 'Image', 'User', 'Note'];

/** Characters that stress case folding, windash, escaping and SQL/regex specials. */
const CHARS = ['a', 'A', 'b', 'B', 'ä', 'Ä', 'é', 'ß', '1', ' ', '-', '/', '–', '.', '%', '_', "'", '\\'] as const;
/** Pieces of a Sigma string value: plain characters, wildcards and escapes. */
const VALUE_PIECES = [...CHARS, '*', '?', '\\*', '\\?', '\\\\'] as const;
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '192.168.1.0/24', '192.168.1.128/25', '0.0.0.0/0'] as const;
/** Addresses only: pySigma's DuckDB backend expands a range into text prefixes, which a non-address can match (sigmaDifferences.test.ts). */
const IPS = ['10.1.2.3', '10.200.0.1', '192.168.1.7', '192.168.1.200', '192.168.2.7', '11.0.0.1', '8.8.8.8'] as const;
const NUMBERS = [0, 1, 4, 44, 4444, -2, 1.5] as const;
const NUMERIC_TEXTS = ['44', '4444', '1.5', '-2', '044', '4e1'] as const;
const REGEXES = ['a.b', '^a', 'b$', 'a[bB]', 'ä+', '\\d', '-a', '^$', 'A|b'] as const;

export interface GeneratedItem {
  field: Field;
  modifiers: string[];
  values: (string | number | boolean | null)[];
}
export interface GeneratedRule {
  selections: Record<string, GeneratedItem[][]>;
  condition: string;
}

const sigmaString = fc.array(fc.constantFrom(...VALUE_PIECES), { minLength: 1, maxLength: 5 }).map((pieces) => pieces.join(''));
const plainText = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 4 }).map((chars) => chars.join(''));

function list<T>(value: fc.Arbitrary<T>, all: boolean): fc.Arbitrary<T[]> {
  return fc.array(value, { minLength: all ? 2 : 1, maxLength: 3 });
}

const stringItem: fc.Arbitrary<GeneratedItem> = fc
  .record({
    field: fc.constantFrom(...TEXT_FIELDS, 'Port'),
    position: fc.constantFrom('', 'contains', 'startswith', 'endswith'),
    cased: fc.boolean(),
    windash: fc.boolean(),
    all: fc.boolean(),
    neq: fc.boolean(),
    numbers: fc.boolean(),
  })
  .chain(({ field, position, cased, windash, all, neq, numbers }) => {
    // pySigma refuses numbers under string modifiers; the engine reads them as text (sigmaDifferences.test.ts).
    const plainNumbers = numbers && position === '' && !cased && !windash;
    const value: fc.Arbitrary<string | number> = plainNumbers ? fc.constantFrom(...NUMBERS, ...NUMERIC_TEXTS) : sigmaString;
    const modifiers = [position, windash ? 'windash' : '', cased ? 'cased' : '', all ? 'all' : '', neq ? 'neq' : ''].filter(Boolean);
    return list(value, all).map((values) => ({ field, modifiers, values }));
  });

const regexItem: fc.Arbitrary<GeneratedItem> = fc
  .record({ field: fc.constantFrom(...TEXT_FIELDS), flag: fc.constantFrom('', 'i'), values: fc.array(fc.constantFrom(...REGEXES), { minLength: 1, maxLength: 2 }) })
  .map(({ field, flag, values }) => ({ field, modifiers: ['re', flag].filter(Boolean), values }));

const cidrItem: fc.Arbitrary<GeneratedItem> = fc
  .record({ neq: fc.boolean(), values: fc.array(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 2 }) })
  .map(({ neq, values }) => ({ field: 'SrcIp' as const, modifiers: ['cidr', neq ? 'neq' : ''].filter(Boolean), values }));

const compareItem: fc.Arbitrary<GeneratedItem> = fc
  .record({ op: fc.constantFrom('lt', 'lte', 'gt', 'gte'), value: fc.constantFrom(...NUMBERS) })
  .map(({ op, value }) => ({ field: 'Port' as const, modifiers: [op], values: [value] }));

const existsItem: fc.Arbitrary<GeneratedItem> = fc
  .record({ field: fc.constantFrom(...FIELDS), exists: fc.boolean() })
  .map(({ field, exists }) => ({ field, modifiers: ['exists'], values: [exists] }));

const nullItem: fc.Arbitrary<GeneratedItem> = fc
  .record({ field: fc.constantFrom(...FIELDS), more: fc.option(plainText, { nil: undefined }) })
  .map(({ field, more }) => ({ field, modifiers: [], values: more === undefined ? [null] : [null, more] }));

const fieldRefItem: fc.Arbitrary<GeneratedItem> = fc
  .record({ field: fc.constantFrom(...TEXT_FIELDS), other: fc.constantFrom(...TEXT_FIELDS), position: fc.constantFrom('', 'contains', 'startswith', 'endswith'), neq: fc.boolean() })
  .filter(({ field, other }) => field !== other)
  .map(({ field, other, position, neq }) => ({ field, modifiers: ['fieldref', position, neq ? 'neq' : ''].filter(Boolean), values: [other] }));

/**
 * ASCII for base64offset: pySigma 1.5.1 cuts the offset variants by the value's length in characters, not bytes,
 * so it misses non-ASCII values inside base64 text; at least three characters, since the engine refuses one byte
 * and the oracle's ILIKE would let two-character variants collide with other base64 text in another case
 * (sigmaDifferences.test.ts).
 */
const asciiText = fc.array(fc.constantFrom(...CHARS.filter((char) => char.charCodeAt(0) < 128)), { minLength: 3, maxLength: 5 }).map((chars) => chars.join(''));

const base64Item: fc.Arbitrary<GeneratedItem> = fc
  .boolean()
  .chain((offset) => fc.record({ field: fc.constantFrom(...TEXT_FIELDS), offset: fc.constant(offset), values: fc.array(offset ? asciiText : plainText, { minLength: 1, maxLength: 2 }) }))
  .map(({ field, offset, values }) => ({ field, modifiers: [offset ? 'base64offset' : 'base64', 'contains'], values }));

const item = fc.oneof(
  { arbitrary: stringItem, weight: 8 },
  { arbitrary: regexItem, weight: 1 },
  { arbitrary: cidrItem, weight: 1 },
  { arbitrary: compareItem, weight: 1 },
  { arbitrary: existsItem, weight: 1 },
  { arbitrary: nullItem, weight: 1 },
  { arbitrary: fieldRefItem, weight: 1 },
  { arbitrary: base64Item, weight: 1 },
);

/** A selection: one map, or a list of maps (OR); a field appears once per map. */
const selection = fc.array(
  fc.uniqueArray(item, { minLength: 1, maxLength: 3, selector: (entry) => entry.field }),
  { minLength: 1, maxLength: 2 },
);

const SELECTION_NAMES = ['sel_a', 'sel_b', 'filter_c'] as const;

function conditionOf(names: readonly string[]): fc.Arbitrary<string> {
  const leaf = fc.constantFrom(...names, '1 of sel_*', 'all of sel_*', '1 of them', 'all of them');
  const tree = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('node').map((operand) => `not ${operand}`),
      fc.tuple(tie('node'), fc.constantFrom('and', 'or'), tie('node')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    ),
  }));
  return tree.node;
}

export const ruleArbitrary: fc.Arbitrary<GeneratedRule> = fc.integer({ min: 1, max: 3 }).chain((count) => {
  const names = SELECTION_NAMES.slice(0, count);
  return fc.record({ selections: fc.tuple(...names.map(() => selection)), condition: conditionOf(names) }).map(({ selections, condition }) => ({
    selections: Object.fromEntries(names.map((name, i) => [name, selections[i] ?? []])),
    condition,
  }));
});

export function keyOf(item: GeneratedItem): string {
  return [item.field, ...item.modifiers].join('|');
}

/** The rule as YAML (a valid rule for both engines: id, level and logsource included). */
export function ruleYaml(rule: GeneratedRule, id: string): string {
  const detection: Record<string, unknown> = { condition: rule.condition };
  for (const [name, maps] of Object.entries(rule.selections)) {
    const yamlMaps = maps.map((map) => Object.fromEntries(map.map((entry) => [keyOf(entry), entry.values.length === 1 ? entry.values[0] : entry.values])));
    detection[name] = yamlMaps.length === 1 ? yamlMaps[0] : yamlMaps;
  }
  // Quoted strings: PyYAML reads YAML 1.1, where plain `1_0` or `on` are a number and a boolean, not text.
  return stringify({ title: 'Generated rule', id, status: 'test', logsource: { product: 'test' }, detection, level: 'high' }, { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' });
}

/** Text fragments of the rule's values (wildcards and escapes removed) and base64 forms, to build events from. */
function fragmentsOf(rule: GeneratedRule): { fragments: string[]; encoded: string[] } {
  const fragments = new Set<string>();
  const encoded = new Set<string>();
  for (const maps of Object.values(rule.selections)) {
    for (const map of maps) {
      for (const entry of map) {
        for (const value of entry.values) {
          if (typeof value !== 'string') continue;
          const plain = value.replace(/\\([*?\\])/g, '$1').replace(/[*?]/g, '');
          fragments.add(plain);
          if (entry.modifiers.some((modifier) => modifier.startsWith('base64'))) {
            for (const prefix of ['', 'x', 'xy']) encoded.add(Buffer.from(`${prefix}${value}zz`).toString('base64'));
          }
        }
      }
    }
  }
  return { fragments: [...fragments].filter((fragment) => fragment !== ''), encoded: [...encoded] };
}

function flipCase(text: string, seed: number): string {
  return [...text].map((char, i) => ((seed >> i % 16) & 1 ? char.toUpperCase() : char.toLowerCase())).join('');
}

type Scalar = string | number | boolean | null;

/** Texts joined from fragments, each in mixed case; base64 forms keep their case (both engines match them case-sensitively, sigmaDifferences.test.ts). */
function textFrom(fragments: readonly string[], encoded: readonly string[]): fc.Arbitrary<string> {
  const flipped = fc.tuple(fragments.length > 0 ? fc.oneof(fc.constantFrom(...fragments), fc.constantFrom(...CHARS)) : fc.constantFrom(...CHARS), fc.nat()).map(([text, seed]) => flipCase(text, seed));
  const piece = encoded.length > 0 ? fc.oneof(flipped, fc.constantFrom(...encoded)) : flipped;
  return fc.array(piece, { maxLength: 3 }).map((pieces) => pieces.join(''));
}

function fieldValue(field: Field, { fragments, encoded }: ReturnType<typeof fragmentsOf>, lists: boolean): fc.Arbitrary<Scalar | Scalar[] | undefined> {
  const text = textFrom(fragments, encoded);
  const scalar: fc.Arbitrary<Scalar> =
    field === 'SrcIp'
      ? fc.oneof(fc.constantFrom(...IPS), fc.constant(null))
      : field === 'Port'
        ? fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...NUMERIC_TEXTS), text, fc.constant(null))
        : fc.oneof({ arbitrary: text, weight: 6 }, { arbitrary: fc.constantFrom(...NUMBERS), weight: 1 }, { arbitrary: fc.boolean(), weight: 1 }, { arbitrary: fc.constant(null), weight: 1 });
  const variants: fc.Arbitrary<Scalar | Scalar[] | undefined>[] = [scalar, scalar, scalar, fc.constant(undefined)];
  if (lists && field !== 'SrcIp') variants.push(fc.array(text, { minLength: 2, maxLength: 2 }));
  return fc.oneof(...variants);
}

/**
 * Events for one rule: each field missing, null, a number, a boolean, a text (from the rule's fragments), or a list.
 * A field the rule tests with `exists` is never null: the engine counts a null field as present, as the
 * specification says, which SQL (IS NOT NULL) cannot express (sigmaDifferences.test.ts).
 */
export function eventsFor(rule: GeneratedRule, lists: boolean): fc.Arbitrary<OracleEvent[]> {
  const fragments = fragmentsOf(rule);
  const existsFields = new Set(Object.values(rule.selections).flat(2).filter((entry) => entry.modifiers.includes('exists')).map((entry) => entry.field));
  const event = fc
    .tuple(...FIELDS.map((field) => fieldValue(field, fragments, lists).filter((value) => !(existsFields.has(field) && value === null))))
    .map((values) => {
      const built: OracleEvent = {};
      FIELDS.forEach((field, i) => {
        const value = values[i];
        if (value !== undefined) built[field] = value;
      });
      return built;
    });
  return fc.array(event, { minLength: 1, maxLength: 12 });
}

/**
 * Whether list-valued event fields can be compared for this rule: the oracle reads a list as one row per
 * element, which agrees with the engine (a list matches when any element does) only for rules that test each
 * field once and never negate (`not`, `neq`, `all`, `null`, `exists` read the field as a whole).
 */
export function listSafe(rule: GeneratedRule): boolean {
  if (/\bnot\b/.test(rule.condition)) return false;
  const seen = new Set<string>();
  for (const maps of Object.values(rule.selections)) {
    for (const map of maps) {
      for (const entry of map) {
        if (entry.modifiers.some((modifier) => ['neq', 'all', 'exists', 'fieldref'].includes(modifier)) || entry.values.includes(null)) return false;
        if (seen.has(entry.field)) return false;
        seen.add(entry.field);
      }
    }
  }
  return true;
}
