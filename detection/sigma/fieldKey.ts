/** Field keys of a selection (`field|modifier|modifier`): the supported modifiers and which go together. */
import { CHARSETS, type Charset } from './encodings';
import { RuleDefinitionError, type RulePath } from './ruleDefinitionError';
import type { Position } from './stringPattern';

/**
 * Every supported modifier and its group. Refused, with the reason in `REFUSED_MODIFIERS`: `expand` and the time
 * modifiers (`minute` ... `year`).
 */
export const MODIFIERS = {
  contains: 'position',
  startswith: 'position',
  endswith: 'position',
  all: 'all',
  cased: 'cased',
  windash: 'windash',
  neq: 'neq',
  re: 'type',
  cidr: 'type',
  fieldref: 'type',
  exists: 'type',
  lt: 'type',
  lte: 'type',
  gt: 'type',
  gte: 'type',
  i: 'regexFlag',
  m: 'regexFlag',
  s: 'regexFlag',
  ignorecase: 'regexFlag',
  multiline: 'regexFlag',
  dotall: 'regexFlag',
  base64: 'encoding',
  base64offset: 'encoding',
  utf16le: 'charset',
  utf16be: 'charset',
  utf16: 'charset',
  wide: 'charset',
} as const;
export type ModifierName = keyof typeof MODIFIERS;

/** Modifiers of the Sigma specification (2.x) that the engine refuses, and why. */
export const REFUSED_MODIFIERS: Readonly<Record<string, string>> = {
  expand: "'expand' fills %placeholders% from a processing pipeline's values, and the engine has no pipeline: write the values",
  minute: 'time modifiers read a timestamp field, and events here carry their time outside the Sigma fields (@timestamp)',
  hour: 'time modifiers read a timestamp field, and events here carry their time outside the Sigma fields (@timestamp)',
  day: 'time modifiers read a timestamp field, and events here carry their time outside the Sigma fields (@timestamp)',
  week: 'time modifiers read a timestamp field, and events here carry their time outside the Sigma fields (@timestamp)',
  month: 'time modifiers read a timestamp field, and events here carry their time outside the Sigma fields (@timestamp)',
  year: 'time modifiers read a timestamp field, and events here carry their time outside the Sigma fields (@timestamp)',
};

/** The long names of the regular expression flags. */
const REGEX_FLAG: Record<string, string> = { i: 'i', m: 'm', s: 's', ignorecase: 'i', multiline: 'm', dotall: 's' };
type ModifierGroup = (typeof MODIFIERS)[ModifierName];

export const COMPARISONS = ['lt', 'lte', 'gt', 'gte'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export type TypeModifier = 're' | 'cidr' | 'exists' | 'fieldref' | Comparison;

/** A field key split into the field name and what its modifiers ask for. */
export interface FieldKey {
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
  /** `neq`: the field matches none of the values (Sigma 2.x: the negation of the test without `neq`). */
  readonly negated: boolean;
}

/** Which groups may join each type modifier. */
const ALLOWED_WITH_TYPE: Record<TypeModifier, readonly ModifierGroup[]> = {
  re: ['type', 'regexFlag', 'all', 'neq'],
  cidr: ['type', 'all', 'neq'],
  exists: ['type'],
  fieldref: ['type', 'position', 'all', 'neq'],
  lt: ['type', 'all'],
  lte: ['type', 'all'],
  gt: ['type', 'all'],
  gte: ['type', 'all'],
};
const KEYWORD_GROUPS: readonly ModifierGroup[] = ['position', 'all', 'cased', 'windash', 'encoding', 'charset'];

/** Splits `field|mod|mod` and checks that the modifiers exist, appear once and go together. */
export function parseFieldKey(key: string, path: RulePath): FieldKey {
  const [field = '', ...rawNames] = key.split('|');
  const refuse = (reason: string): never => {
    throw new RuleDefinitionError(path, reason);
  };
  const names: ModifierName[] = [];
  for (const name of rawNames) {
    if (name === '') refuse('empty modifier name (two pipes in a row, or a trailing pipe)');
    else if (Object.hasOwn(REFUSED_MODIFIERS, name)) refuse(`modifier '${name}' is not supported: ${REFUSED_MODIFIERS[name] ?? ''}`);
    else if (!isModifierName(name)) refuse(`unknown modifier '${name}' (supported: ${Object.keys(MODIFIERS).join(', ')})`);
    else if (names.includes(name)) refuse(`modifier '${name}' is given twice`);
    else names.push(name);
  }
  const inGroup = (group: ModifierGroup) => names.filter((name) => MODIFIERS[name] === group);
  for (const [group, what] of [
    ['position', 'contains, startswith or endswith'],
    ['type', 're, cidr, exists, fieldref, lt, lte, gt or gte'],
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
      case 'fieldref':
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
      case 'ignorecase':
      case 'multiline':
      case 'dotall': {
        const flag = REGEX_FLAG[name] ?? '';
        if (regexFlags.includes(flag)) refuse(`regular expression flag '${flag}' is given twice`);
        regexFlags += flag;
        break;
      }
      case 'neq':
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
    negated: has('neq'),
  };
}

function isModifierName(name: string): name is ModifierName {
  return Object.hasOwn(MODIFIERS, name);
}

