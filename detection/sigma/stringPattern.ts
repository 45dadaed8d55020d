/** Sigma string values: wildcards `*` and `?`, `\` escapes and windash, compiled into the cheapest text test. */

/** Where the value must appear in the field: the whole field, or as `contains`/`startswith`/`endswith` say. */
export const POSITIONS = ['equals', 'contains', 'startswith', 'endswith'] as const;
export type Position = (typeof POSITIONS)[number];

type Piece = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' } | { kind: 'dash' };

/**
 * A compiled value. `equals`, `contains`, `startswith` and `endswith` carry a literal and become plain string
 * operations (and `equals` lists become set look-ups); only real wildcards in the middle need a regex.
 */
export type TextPattern =
  | { readonly kind: 'equals' | 'contains' | 'startswith' | 'endswith'; readonly text: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'regex'; readonly regex: RegExp };

export type TextTest = (text: string) => boolean;

export interface PatternOptions {
  position: Position;
  /** Matching ignores case: the pattern is lower-cased and tested against lower-cased event text. */
  caseInsensitive: boolean;
  /** `-` and `/` that start a word also match en dash, em dash and horizontal bar, and each other. */
  windash: boolean;
}

/** Compiles a Sigma string: `*` any run, `?` one character, `\*` `\?` `\\` literal, any other `\` literal. */
export function compileSigmaString(value: string, options: PatternOptions): TextPattern {
  return compilePieces(parsePieces(value, options.windash), options);
}

/** Compiles a value that has no wildcards at all (an encoded value). */
export function compileLiteral(value: string, options: PatternOptions): TextPattern {
  return compilePieces([{ kind: 'text', text: value }], options);
}

/**
 * The text a Sigma string stands for when it has no wildcards (what an encoding modifier encodes): `\\*`, `\\?`
 * and `\\\\` unescaped, any other `\\` literal; `undefined` when the value has a wildcard.
 */
export function literalText(value: string): string | undefined {
  let text = '';
  for (const piece of parsePieces(value, false)) {
    if (piece.kind !== 'text') return undefined;
    text += piece.text;
  }
  return text;
}

export function testOf(pattern: TextPattern): TextTest {
  switch (pattern.kind) {
    case 'equals': {
      const text = pattern.text;
      return (value) => value === text;
    }
    case 'contains': {
      const text = pattern.text;
      return (value) => value.includes(text);
    }
    case 'startswith': {
      const text = pattern.text;
      return (value) => value.startsWith(text);
    }
    case 'endswith': {
      const text = pattern.text;
      return (value) => value.endsWith(text);
    }
    case 'any':
      return () => true;
    case 'regex': {
      const regex = pattern.regex;
      return (value) => regex.test(value);
    }
  }
}

const WORD = /\w/;
const WINDASH_CLASS = '[\\-/\\u2013\\u2014\\u2015]';

function parsePieces(value: string, windash: boolean): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text) pieces.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    if (char === '\\') {
      const next = value.charAt(i + 1);
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else {
        text += char;
      }
    } else if (char === '*' || char === '?') {
      flush();
      pieces.push({ kind: char === '*' ? 'star' : 'one' });
    } else if (windash && (char === '-' || char === '/') && startsWord(value, i)) {
      // pySigma's rule: a `-` or `/` after a non-word character (or at the start) and before a word character.
      flush();
      pieces.push({ kind: 'dash' });
    } else {
      text += char;
    }
  }
  flush();
  return pieces;
}

function startsWord(value: string, i: number): boolean {
  return (i === 0 || !WORD.test(value.charAt(i - 1))) && WORD.test(value.charAt(i + 1));
}

function compilePieces(parsed: Piece[], { position, caseInsensitive }: PatternOptions): TextPattern {
  const pieces = parsed.map((piece) => (caseInsensitive && piece.kind === 'text' ? { kind: 'text' as const, text: piece.text.toLowerCase() } : piece));
  const leading = position === 'contains' || position === 'endswith' || pieces[0]?.kind === 'star';
  const trailing = position === 'contains' || position === 'startswith' || pieces[pieces.length - 1]?.kind === 'star';
  let start = 0;
  let end = pieces.length;
  while (start < end && pieces[start]?.kind === 'star') start++;
  while (end > start && pieces[end - 1]?.kind === 'star') end--;
  const core = pieces.slice(start, end);
  if (core.length === 0) return leading || trailing ? { kind: 'any' } : { kind: 'equals', text: '' };
  const only = core[0];
  if (core.length === 1 && only?.kind === 'text') {
    const kind = leading ? (trailing ? 'contains' : 'endswith') : trailing ? 'startswith' : 'equals';
    return { kind, text: only.text };
  }
  let source = leading ? '' : '^';
  let previousStar = false;
  for (const piece of core) {
    if (piece.kind === 'star' && previousStar) continue;
    previousStar = piece.kind === 'star';
    source += regexOf(piece);
  }
  if (!trailing) source += '$';
  return { kind: 'regex', regex: new RegExp(source, 'su') };
}

function regexOf(piece: Piece): string {
  switch (piece.kind) {
    case 'text':
      return piece.text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    case 'star':
      return '.*';
    case 'one':
      return '.';
    case 'dash':
      return WINDASH_CLASS;
  }
}
