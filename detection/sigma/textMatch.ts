/** String values of a field test: plain, wildcard, windash and base64 patterns, tested directly or via the literal index. */
import { PLACE } from './ahoCorasick';
import { base64Of, base64OffsetVariants, encodeText } from './encodings';
import type { FieldKey } from './fieldKey';
import type { LiteralSource } from './literalSource';
import { RuleDefinitionError, type RulePath } from './ruleDefinitionError';
import type { SigmaValue } from './ruleSchema';
import type { SharedTests } from './sharedTests';
import type { EventTest } from './sigmaEvent';
import { compileLiteral, compileSigmaString, literalText, testOf, type TextPattern, type TextTest } from './stringPattern';


/**
 * The values of a string field test. Each value compiles to a pattern (several variants for
 * base64offset); literal patterns are registered with the field's source, and once the rule set is sealed
 * an indexed source answers them from one automaton pass per event instead of one string search each.
 */
export function textTest(fieldKey: FieldKey, values: readonly SigmaValue[], valuePath: (i: number) => RulePath, shared: SharedTests): EventTest {
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
  // Each value compiles to one pattern, or to several variants of which any may match (base64offset).
  const perValue: TextPattern[][] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    if (typeof value === 'boolean' && keyword) throw new RuleDefinitionError(valuePath(i), 'keywords are strings or numbers');
    const text = String(value);
    if (encoding === undefined) {
      perValue.push([compileSigmaString(text, options)]);
      return;
    }
    // Encodings encode the text the value stands for: escapes resolved, wildcards refused (as pySigma does).
    const literal = literalText(text);
    if (literal === undefined) throw new RuleDefinitionError(valuePath(i), `'${encoding}' encodes a plain value: wildcards cannot be encoded (escape them as \\* or \\?)`);
    const bytes = encodeText(literal, charset);
    if (encoding === 'base64') perValue.push([compileLiteral(base64Of(bytes), options)]);
    else {
      // One byte at offset 1 leaves no base64 character of its own: that variant would match any text.
      if (bytes.length < 2) throw new RuleDefinitionError(valuePath(i), "'base64offset' needs a value of at least two bytes: one byte has an offset with no base64 character of its own, which would match any text");
      perValue.push(base64OffsetVariants(bytes).map((variant) => compileLiteral(variant, options)));
    }
  });
  const source = shared.source({ field, caseSensitive });
  const direct = all ? allOf(perValue) : anyOf(perValue.flat());
  const directTest: EventTest = (view) => direct(source.texts(view));
  const indexed = all ? allIndexed(perValue, source) : anyIndexed(perValue.flat(), source);
  const test: EventTest = (view) => (source.indexed ? indexed(view) : directTest(view));
  if (!hasNull) return test;
  const missing: EventTest = (view) => {
    const found = view.values(field);
    return found.length === 0 || found.includes(null);
  };
  return perValue.length === 0 ? missing : (view) => missing(view) || test(view);
}

/** Literal patterns become look-ups in the source's per-event places; the rest are tested on the texts. */
function anyIndexed(patterns: readonly TextPattern[], source: LiteralSource): EventTest {
  const ids: number[] = [];
  const places: number[] = [];
  const others: TextPattern[] = [];
  for (const pattern of patterns) {
    if (pattern.kind !== 'any' && pattern.kind !== 'regex' && pattern.text !== '') {
      ids.push(source.add(pattern.text));
      places.push(PLACE[pattern.kind]);
    } else {
      others.push(pattern);
    }
  }
  const rest = others.length > 0 ? anyOf(others) : undefined;
  const count = ids.length;
  return (view) => {
    if (count > 0) {
      const found = view.places(source);
      for (let i = 0; i < count; i++) if (((found[ids[i] ?? 0] ?? 0) & (places[i] ?? 0)) !== 0) return true;
    }
    return rest !== undefined && rest(source.texts(view));
  };
}

function allIndexed(perValue: readonly (readonly TextPattern[])[], source: LiteralSource): EventTest {
  const tests = perValue.map((variants) => anyIndexed(variants, source));
  return (view) => tests.every((test) => test(view));
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

