/** The Sigma condition language: parsing, precedence, quantifiers and refusals with positions. */
import { ConditionSyntaxError, parseCondition, type ConditionNode } from '../../detection/sigma/condition';
import { detects } from './sigmaRuleBuilder';

const NAMES = ['a', 'b', 'c', 'sel_one', 'sel_two', 'filter_x', '_helper'];
const parse = (condition: string) => parseCondition(condition, NAMES);
const sel = (name: string): ConditionNode => ({ kind: 'selection', name });

function syntaxError(condition: string, names = NAMES): ConditionSyntaxError {
  try {
    parseCondition(condition, names);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected '${condition}' to be refused`);
}

describe('parsing and precedence', () => {
  test('a single selection', () => {
    expect(parse('a')).toEqual(sel('a'));
  });

  test('and binds tighter than or', () => {
    expect(parse('a or b and c')).toEqual({ kind: 'or', operands: [sel('a'), { kind: 'and', operands: [sel('b'), sel('c')] }] });
    expect(parse('a and b or c')).toEqual({ kind: 'or', operands: [{ kind: 'and', operands: [sel('a'), sel('b')] }, sel('c')] });
  });

  test('not binds tighter than and', () => {
    expect(parse('not a and b')).toEqual({ kind: 'and', operands: [{ kind: 'not', operand: sel('a') }, sel('b')] });
    expect(parse('not not a')).toEqual({ kind: 'not', operand: { kind: 'not', operand: sel('a') } });
  });

  test('parentheses group', () => {
    expect(parse('(a or b) and c')).toEqual({ kind: 'and', operands: [{ kind: 'or', operands: [sel('a'), sel('b')] }, sel('c')] });
    expect(parse('not (a or b)')).toEqual({ kind: 'not', operand: { kind: 'or', operands: [sel('a'), sel('b')] } });
    expect(parse('((a))')).toEqual(sel('a'));
  });

  test('chains of the same operator are flattened', () => {
    expect(parse('a and b and c')).toEqual({ kind: 'and', operands: [sel('a'), sel('b'), sel('c')] });
    expect(parse('a or (b or c)')).toEqual({ kind: 'or', operands: [sel('a'), sel('b'), sel('c')] });
  });

  test('keywords are case-insensitive, whitespace is free', () => {
    expect(parse('  a AND\tNOT\nb ')).toEqual({ kind: 'and', operands: [sel('a'), { kind: 'not', operand: sel('b') }] });
  });
});

describe('quantifiers', () => {
  test('1 of, any of and all of a pattern', () => {
    expect(parse('1 of sel_*')).toEqual({ kind: 'of', quantity: 1, names: ['sel_one', 'sel_two'] });
    expect(parse('any of sel_*')).toEqual({ kind: 'of', quantity: 1, names: ['sel_one', 'sel_two'] });
    expect(parse('all of sel_*')).toEqual({ kind: 'of', quantity: 'all', names: ['sel_one', 'sel_two'] });
    expect(parse('1 of *_x')).toEqual({ kind: 'of', quantity: 1, names: ['filter_x'] });
  });

  test('them is every selection except those starting with an underscore', () => {
    expect(parse('1 of them')).toEqual({ kind: 'of', quantity: 1, names: ['a', 'b', 'c', 'sel_one', 'sel_two', 'filter_x'] });
    expect(parse('all of them')).toMatchObject({ quantity: 'all' });
  });

  test('a quantifier binds tighter than not, and, or', () => {
    expect(parse('1 of sel_* and not 1 of filter_*')).toEqual({
      kind: 'and',
      operands: [
        { kind: 'of', quantity: 1, names: ['sel_one', 'sel_two'] },
        { kind: 'not', operand: { kind: 'of', quantity: 1, names: ['filter_x'] } },
      ],
    });
  });

  test('N of means at least N', () => {
    const match = detects({ s1: { a: 1 }, s2: { b: 1 }, s3: { c: 1 }, condition: '2 of s*' });
    expect(match({ a: 1, b: 1 })).toBe(true);
    expect(match({ a: 1, c: 1 })).toBe(true);
    expect(match({ a: 1 })).toBe(false);
  });
});

describe('evaluation', () => {
  const match = detects({ a: { x: 1 }, b: { y: 1 }, c: { z: 1 }, condition: 'a or b and not c' });

  test('follows the precedence not > and > or', () => {
    expect(match({ x: 1 })).toBe(true);
    expect(match({ x: 1, z: 1 })).toBe(true);
    expect(match({ y: 1 })).toBe(true);
    expect(match({ y: 1, z: 1 })).toBe(false);
    expect(match({ z: 1 })).toBe(false);
  });

  test('all of needs every selection, 1 of any', () => {
    const all = detects({ sel_a: { x: 1 }, sel_b: { y: 1 }, condition: 'all of sel_*' });
    expect(all({ x: 1, y: 1 })).toBe(true);
    expect(all({ x: 1 })).toBe(false);
    const one = detects({ sel_a: { x: 1 }, sel_b: { y: 1 }, condition: '1 of sel_*' });
    expect(one({ y: 1 })).toBe(true);
    expect(one({})).toBe(false);
  });

  test('1 of them ignores helper selections starting with an underscore', () => {
    const match = detects({ sel: { x: 1 }, _helper: { y: 1 }, condition: '1 of them' });
    expect(match({ y: 1 })).toBe(false);
    expect(match({ x: 1 })).toBe(true);
  });

  test('a list of conditions is OR', () => {
    const match = detects({ a: { x: 1 }, b: { y: 1 }, condition: ['a and b', 'not a'] });
    expect(match({ x: 1, y: 1 })).toBe(true);
    expect(match({})).toBe(true);
    expect(match({ x: 1 })).toBe(false);
  });
});

describe('refusals name the position and token', () => {
  test('an unknown selection', () => {
    const error = syntaxError('a and selection');
    expect(error).toMatchObject({ position: 7, token: 'selection' });
    expect(error.reason).toMatch(/unknown selection 'selection'/);
    expect(error.message).toMatch(/at position 7/);
  });

  test('trailing tokens after a complete condition', () => {
    const error = syntaxError('a b');
    expect(error).toMatchObject({ position: 3, token: 'b' });
    expect(error.reason).toMatch(/unexpected 'b' after a complete condition/);
  });

  test('a parenthesis that is never closed', () => {
    const error = syntaxError('(a and b');
    expect(error).toMatchObject({ position: 9, token: '' });
    expect(error.reason).toMatch(/expected '\)' to close the '\(' at position 1, found the end of the condition/);
  });

  test('a closing parenthesis without an opening one', () => {
    const error = syntaxError('a or b)');
    expect(error).toMatchObject({ position: 7, token: ')' });
    expect(error.reason).toMatch(/without a matching '\('/);
  });

  test('an operator without an operand', () => {
    expect(syntaxError('a and').reason).toMatch(/found the end of the condition/);
    expect(syntaxError('and a')).toMatchObject({ position: 1, token: 'and' });
    expect(syntaxError('a and or b')).toMatchObject({ position: 7, token: 'or' });
    expect(syntaxError('()')).toMatchObject({ position: 2, token: ')' });
    expect(syntaxError('')).toMatchObject({ position: 1, token: '' });
  });

  test('aggregation pipes are not supported', () => {
    const error = syntaxError('a | count(user) by host > 10');
    expect(error).toMatchObject({ position: 3, token: '|' });
    expect(error.reason).toMatch(/aggregation.*not supported/);
  });

  test('near is not supported', () => {
    expect(syntaxError('a near b').reason).toMatch(/'near' is deprecated in Sigma and not supported/);
  });

  test('a pattern that matches no selection', () => {
    const error = syntaxError('1 of nothing_*');
    expect(error).toMatchObject({ position: 6, token: 'nothing_*' });
    expect(error.reason).toMatch(/matches no selection/);
  });

  test('a pattern needs a quantifier', () => {
    expect(syntaxError('sel_*').reason).toMatch(/needs '1 of' or 'all of'/);
  });

  test('quantifiers other than 1, any, all or a count are refused', () => {
    expect(syntaxError('0 of sel_*').reason).toMatch(/not a quantifier/);
    expect(syntaxError('some of sel_*').reason).toMatch(/not a quantifier/);
    expect(syntaxError('3 of sel_*').reason).toMatch(/can never match/);
    expect(syntaxError('1 of').reason).toMatch(/expected a selection pattern or 'them' after 'of'/);
  });

  test('them with only underscore selections matches nothing', () => {
    expect(syntaxError('1 of them', ['_a']).reason).toMatch(/'them' matches no selection/);
  });

  test('characters outside the language', () => {
    expect(syntaxError('a && b')).toMatchObject({ position: 3, token: '&' });
  });
});
