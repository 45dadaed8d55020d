/**
 * Sigma field modifiers (`field|contains|all: [...]`) compiled into event tests.
 *
 * Semantics: strings match case-insensitively (except `re`, `cased` and the base64 encodings, whose output is
 * case-sensitive by nature); plain values support `*`, `?` and `\` escapes; a list of values is OR, with `all`
 * AND; a null value matches a missing or null field; a list-valued event field matches when any element does.
 * Modifiers may be written in any order: encodings and windash shape the value, then contains/startswith/
 * endswith place it. An empty field name (`'|all': [...]`) searches keywords across all fields.
 */
import { base64Of, base64OffsetVariants, CHARSETS, encodeText, type Charset } from './encodings';
import { compileCidr, InvalidCidrError } from './ipRange';
import { RuleDefinitionError } from './ruleDefinitionError';
import type { FieldValue, SigmaValue } from './ruleSchema';
import type { EventView } from './sigmaEvent';
import { compileLiteral, compileSigmaString, testOf, type Position, type TextPattern, type TextTest } from './stringPattern';

/** Every supported modifier and its group; `expand`, `fieldref`, `neq` and the time modifiers are not supported. */
export const MODIFIERS = {
  contains: 'position',
  startswith: 'position',
  endswith: 'position',
  all: 'all',
  cased: 'cased',
  windash: 'windash',
  re: 'type',
  cidr: 'type',
  exists: 'type',
  lt: 'type',
  lte: 'type',
  gt: 'type',
  gte: 'type',
  i: 'regexFlag',
  m: 'regexFlag',
  s: 'regexFlag',
  base64: 'encoding',
  base64offset: 'encoding',
  utf16le: 'charset',
  utf16be: 'charset',
  utf16: 'charset',
  wide: 'charset',
} as const;
export type ModifierName = keyof typeof MODIFIERS;
type ModifierGroup = (typeof MODIFIERS)[ModifierName];

/** A compiled test of one event. */
export type EventTest = (view: EventView) => boolean;

type Path = readonly (string | number)[];
type TypeModifier = 're' | 'cidr' | 'exists' | keyof typeof COMPARE;

/** A field key split into the field name and what its modifiers ask for. */
interface FieldKey {
  /** `''` for a keyword search across all fields. */
  readonly field: string;
  readonly modifierCount: number;
  readonly position: Position | undefined;
  readonly type: TypeModifier | undefined;
  readonly encoding: 'base64' | 'base64offset' | undefined;
  readonly charset: Charset;
  readonly regexFlags: string;
  readonly all: boolean;
  readonly cased: boolean;
  readonly windash: boolean;
}

/** Which groups may join each type modifier. */
const ALLOWED_WITH_TYPE: Record<TypeModifier, readonly ModifierGroup[]> = {
  re: ['type', 'regexFlag', 'all'],
  cidr: ['type', 'all'],
  exists: ['type'],
  lt: ['type', 'all'],
  lte: ['type', 'all'],
  gt: ['type', 'all'],
  gte: ['type', 'all'],
};
const KEYWORD_GROUPS: readonly ModifierGroup[] = ['position', 'all', 'cased', 'windash', 'encoding', 'charset'];

/** Compiles `key: value` of a selection map; `path` locates the entry in the rule for errors. */
export function compileFieldTest(key: string, value: FieldValue, path: Path): EventTest {
  const fieldKey = parseFieldKey(key, path);
  const values: readonly SigmaValue[] = Array.isArray(value) ? value : [value];
  const valuePath = (index: number): Path => (Array.isArray(value) ? [...path, index] : path);
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
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return anyOrAll(all, values.map((v, i) => compareTest(fieldKey.field, type, v, valuePath(i))));
    case undefined:
      return textTest(fieldKey, values, valuePath);
  }
}

/** Splits `field|mod|mod` and checks that the modifiers exist, appear once and go together. */
function parseFieldKey(key: string, path: Path): FieldKey {
  const [field = '', ...rawNames] = key.split('|');
  const refuse = (reason: string): never => {
    throw new RuleDefinitionError(path, reason);
  };
  const names: ModifierName[] = [];
  for (const name of rawNames) {
    if (name === '') refuse('empty modifier name (two pipes in a row, or a trailing pipe)');
    else if (!isModifierName(name)) refuse(`unknown modifier '${name}' (supported: ${Object.keys(MODIFIERS).join(', ')})`);
    else if (names.includes(name)) refuse(`modifier '${name}' is given twice`);
    else names.push(name);
  }
  const inGroup = (group: ModifierGroup) => names.filter((name) => MODIFIERS[name] === group);
  for (const [group, what] of [
    ['position', 'contains, startswith or endswith'],
    ['type', 're, cidr, exists, lt, lte, gt or gte'],
    ['encoding', 'base64 or base64offset'],
    ['charset', 'utf16le, utf16be, utf16 or wide'],
  ] as const) {
    const given = inGroup(group);
    if (given.length > 1) refuse(`${given.map((n) => `'${n}'`).join(' and ')} cannot be combined: give one of ${what}`);
  }
  let position: Position | undefined;
  let type: TypeModifier | undefined;
  let encoding: FieldKey['encoding'];
  let charset: Charset = 'utf8';
  let regexFlags = '';
  for (const name of names) {
    switch (name) {
      case 'contains':
      case 'startswith':
      case 'endswith':
        position = name;
        break;
      case 're':
      case 'cidr':
      case 'exists':
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        type = name;
        break;
      case 'base64':
      case 'base64offset':
        encoding = name;
        break;
      case 'utf16le':
      case 'utf16be':
      case 'utf16':
      case 'wide':
        charset = CHARSETS[name];
        break;
      case 'i':
      case 'm':
      case 's':
        regexFlags += name;
        break;
      case 'all':
      case 'cased':
      case 'windash':
        break;
    }
  }
  const has = (name: ModifierName) => names.includes(name);
  if (type) {
    const stray = names.find((name) => !ALLOWED_WITH_TYPE[type].includes(MODIFIERS[name]));
    if (stray) refuse(`'${stray}' cannot be combined with '${type}'`);
  }
  const flag = inGroup('regexFlag')[0];
  if (flag && type !== 're') refuse(`'${flag}' is a sub-modifier of 're' and needs it`);
  const charsetName = inGroup('charset')[0];
  if (charsetName && !encoding) refuse(`'${charsetName}' encodes text for base64 or base64offset and needs one of them`);
  if (encoding === 'base64offset' && position !== 'contains') refuse(`'base64offset' finds a value inside base64 text and must be used with 'contains'`);
  if (encoding && has('windash')) refuse(`'windash' cannot be combined with '${encoding}'`);
  if (field === '') {
    const stray = names.find((name) => !KEYWORD_GROUPS.includes(MODIFIERS[name]) || name === 'startswith' || name === 'endswith');
    if (stray) refuse(`'${stray}' needs a field name; keyword searches take only contains, all, cased, windash and the base64 modifiers`);
  }
  return {
    field,
    modifierCount: names.length,
    position,
    type,
    encoding,
    charset,
    regexFlags,
    all: has('all'),
    cased: has('cased'),
    windash: has('windash'),
  };
}

function isModifierName(name: string): name is ModifierName {
  return Object.hasOwn(MODIFIERS, name);
}

function anyOrAll(all: boolean, tests: readonly EventTest[]): EventTest {
  const [only] = tests;
  if (tests.length === 1 && only) return only;
  return all ? (view) => tests.every((test) => test(view)) : (view) => tests.some((test) => test(view));
}

function strings(values: readonly SigmaValue[], valuePath: (i: number) => Path, modifier: string): string[] {
  return values.map((value, i) => {
    if (typeof value !== 'string') throw new RuleDefinitionError(valuePath(i), `'${modifier}' needs string values, not ${describe(value)}`);
    return value;
  });
}

function existsTest(field: string, value: FieldValue, path: Path): EventTest {
  if (typeof value !== 'boolean') throw new RuleDefinitionError(path, `'exists' takes true or false, not ${describe(value)}`);
  return value ? (view) => view.has(field) : (view) => !view.has(field);
}

const INLINE_FLAGS = /^\(\?([a-z]+)\)/;

function regexTest(fieldKey: FieldKey, source: string, path: Path): EventTest {
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

function cidrTest(field: string, value: string, path: Path): EventTest {
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

const COMPARE = {
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
} as const;

function compareTest(field: string, modifier: keyof typeof COMPARE, value: SigmaValue, path: Path): EventTest {
  if (typeof value !== 'number') throw new RuleDefinitionError(path, `'${modifier}' needs a number, not ${describe(value)}`);
  const compare = COMPARE[modifier];
  return (view) => {
    for (const number of view.numbers(field)) if (compare(number, value)) return true;
    return false;
  };
}

function textTest(fieldKey: FieldKey, values: readonly SigmaValue[], valuePath: (i: number) => Path): EventTest {
  const { field, encoding, charset, all } = fieldKey;
  const keyword = field === '';
  const caseSensitive = fieldKey.cased || encoding !== undefined;
  const hasNull = values.includes(null);
  if (hasNull && (fieldKey.modifierCount > 0 || keyword)) {
    throw new RuleDefinitionError(valuePath(values.indexOf(null)), 'null matches a missing field and takes no modifiers; use a separate selection');
  }
  const options = {
    position: fieldKey.position ?? (keyword ? 'contains' : 'equals'),
    caseInsensitive: !caseSensitive,
    windash: fieldKey.windash,
  };
  const perValue: TextPattern[][] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    if (typeof value === 'boolean' && keyword) throw new RuleDefinitionError(valuePath(i), 'keywords are strings or numbers');
    const text = String(value);
    if (encoding === 'base64') perValue.push([compileLiteral(base64Of(encodeText(text, charset)), options)]);
    else if (encoding === 'base64offset') perValue.push(base64OffsetVariants(encodeText(text, charset)).map((variant) => compileLiteral(variant, options)));
    else perValue.push([compileSigmaString(text, options)]);
  });
  const textsOf: (view: EventView) => readonly string[] = keyword
    ? caseSensitive
      ? (view) => view.allTexts()
      : (view) => view.allLowerTexts()
    : caseSensitive
      ? (view) => view.texts(field)
      : (view) => view.lowerTexts(field);
  const matchTexts = all ? allOf(perValue) : anyOf(perValue.flat());
  const test: EventTest = (view) => matchTexts(textsOf(view));
  if (!hasNull) return test;
  const missing: EventTest = (view) => {
    const found = view.values(field);
    return found.length === 0 || found.includes(null);
  };
  return perValue.length === 0 ? missing : (view) => missing(view) || test(view);
}

type TextsTest = (texts: readonly string[]) => boolean;

/** Any text matches any pattern: exact values go into one set look-up, the rest are tried in order. */
function anyOf(patterns: readonly TextPattern[]): TextsTest {
  if (patterns.some((pattern) => pattern.kind === 'any')) return (texts) => texts.length > 0;
  const exact = new Set<string>();
  const tests: TextTest[] = [];
  for (const pattern of patterns) {
    if (pattern.kind === 'equals') exact.add(pattern.text);
    else tests.push(testOf(pattern));
  }
  const [single] = tests;
  if (tests.length === 0) {
    return (texts) => {
      for (const text of texts) if (exact.has(text)) return true;
      return false;
    };
  }
  if (exact.size === 0 && tests.length === 1 && single) {
    return (texts) => {
      for (const text of texts) if (single(text)) return true;
      return false;
    };
  }
  return (texts) => {
    for (const text of texts) {
      if (exact.has(text)) return true;
      for (const test of tests) if (test(text)) return true;
    }
    return false;
  };
}

/** Every value (each with its variants) is matched by some text. */
function allOf(perValue: readonly (readonly TextPattern[])[]): TextsTest {
  const tests = perValue.map(anyOf);
  return (texts) => tests.every((test) => test(texts));
}

function describe(value: FieldValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `${typeof value} ${JSON.stringify(value)}`;
}
