/**
 * Sigma conditions, parsed by recursive descent into a tree of selection names.
 *
 * Grammar (precedence: `or` < `and` < `not` < `x of` < parentheses; keywords in any case):
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | primary
 *   primary := '(' or ')' | quantity 'of' (pattern | 'them') | selection
 *   quantity:= '1' | 'any' | 'all' | a positive whole number (at least that many)
 * A pattern uses `*` wildcards; `them` is every selection whose name does not start with `_`.
 * Aggregations (`| count() by ...`) and `near` are refused as not supported.
 */

export type ConditionNode =
  | { readonly kind: 'selection'; readonly name: string }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly ConditionNode[] }
  /** At least `quantity` of `names` match (`all`: every one). */
  | { readonly kind: 'of'; readonly quantity: number | 'all'; readonly names: readonly string[] };

/** Thrown when a condition cannot be parsed; `position` is the 1-based character where the problem starts. */
export class ConditionSyntaxError extends Error {
  override readonly name = 'ConditionSyntaxError';
  constructor(
    readonly condition: string,
    readonly position: number,
    /** The offending token; empty at the end of the condition. */
    readonly token: string,
    readonly reason: string,
  ) {
    super(`${reason} at position ${position} of '${condition}'`);
  }
}

interface Token {
  readonly kind: 'word' | '(' | ')' | 'end';
  readonly text: string;
  /** 1-based. */
  readonly position: number;
}

const WORD = /[A-Za-z0-9_*.-]/;
const NEAR_UNSUPPORTED = "'near' is deprecated in Sigma and not supported";

export function parseCondition(condition: string, selectionNames: readonly string[]): ConditionNode {
  return new ConditionParser(condition, selectionNames).parse();
}

class ConditionParser {
  private readonly tokens: Token[];
  private index = 0;
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly condition: string,
    private readonly selectionNames: readonly string[],
  ) {
    this.known = new Set(selectionNames);
    this.tokens = this.tokenize();
  }

  parse(): ConditionNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind === ')') this.fail(rest, "unexpected ')' without a matching '('");
    if (this.isKeyword(rest, 'near')) this.fail(rest, NEAR_UNSUPPORTED);
    if (rest.kind !== 'end') this.fail(rest, `unexpected '${rest.text}' after a complete condition (missing 'and' or 'or'?)`);
    return node;
  }

  private tokenize(): Token[] {
    const tokens: Token[] = [];
    const text = this.condition;
    let i = 0;
    while (i < text.length) {
      const char = text.charAt(i);
      if (/\s/.test(char)) {
        i++;
      } else if (char === '(' || char === ')') {
        tokens.push({ kind: char, text: char, position: i + 1 });
        i++;
      } else if (char === '|') {
        this.fail({ kind: 'word', text: '|', position: i + 1 }, "aggregation expressions ('| count() by ...') are deprecated in Sigma and not supported");
      } else if (WORD.test(char)) {
        const start = i;
        while (i < text.length && WORD.test(text.charAt(i))) i++;
        tokens.push({ kind: 'word', text: text.slice(start, i), position: start + 1 });
      } else {
        this.fail({ kind: 'word', text: char, position: i + 1 }, `unexpected character '${char}'`);
      }
    }
    tokens.push({ kind: 'end', text: '', position: text.length + 1 });
    return tokens;
  }

  private parseOr(): ConditionNode {
    const operands = [this.parseAnd()];
    while (this.isKeyword(this.peek(), 'or')) {
      this.index++;
      operands.push(this.parseAnd());
    }
    return combine('or', operands);
  }

  private parseAnd(): ConditionNode {
    const operands = [this.parseNot()];
    while (this.isKeyword(this.peek(), 'and')) {
      this.index++;
      operands.push(this.parseNot());
    }
    return combine('and', operands);
  }

  private parseNot(): ConditionNode {
    if (this.isKeyword(this.peek(), 'not')) {
      this.index++;
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    const token = this.next();
    if (token.kind === '(') {
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== ')') {
        this.fail(close, `expected ')' to close the '(' at position ${token.position}, found ${describe(close)}`);
      }
      return inner;
    }
    if (token.kind !== 'word') this.fail(token, `expected a selection, 'not', '1 of', 'all of' or '(', found ${describe(token)}`);
    const word = token.text.toLowerCase();
    if (this.isKeyword(this.peek(), 'of')) return this.parseQuantifier(token);
    if (word === 'near') this.fail(token, NEAR_UNSUPPORTED);
    if (['and', 'or', 'not', 'of', 'them', 'all', 'any'].includes(word)) this.fail(token, `unexpected keyword '${token.text}'`);
    if (token.text.includes('*')) this.fail(token, `the pattern '${token.text}' needs '1 of' or 'all of' before it`);
    if (!this.known.has(token.text)) this.fail(token, `unknown selection '${token.text}' (the rule defines: ${this.selectionNames.join(', ')})`);
    return { kind: 'selection', name: token.text };
  }

  /** `1 of`, `any of`, `all of`, `N of`, followed by a pattern or `them`. */
  private parseQuantifier(quantityToken: Token): ConditionNode {
    const word = quantityToken.text.toLowerCase();
    let quantity: number | 'all';
    if (word === 'all') quantity = 'all';
    else if (word === 'any') quantity = 1;
    else if (/^\d+$/.test(word) && Number(word) >= 1) quantity = Number(word);
    else this.fail(quantityToken, `'${quantityToken.text} of' is not a quantifier; write '1 of', 'any of' or 'all of'`);
    this.index++; // `of`
    const target = this.next();
    if (target.kind !== 'word' || ['and', 'or', 'not', 'of', 'all', 'any'].includes(target.text.toLowerCase())) {
      this.fail(target, `expected a selection pattern or 'them' after 'of', found ${describe(target)}`);
    }
    let names: string[];
    if (target.text.toLowerCase() === 'them') {
      names = this.selectionNames.filter((name) => !name.startsWith('_'));
      if (names.length === 0) this.fail(target, "'them' matches no selection (names starting with _ are excluded)");
    } else {
      const pattern = globRegex(target.text);
      names = this.selectionNames.filter((name) => pattern.test(name));
      if (names.length === 0) this.fail(target, `the pattern '${target.text}' matches no selection (the rule defines: ${this.selectionNames.join(', ')})`);
    }
    if (typeof quantity === 'number' && quantity > names.length) {
      this.fail(quantityToken, `'${quantity} of ${target.text}' can never match: it covers only ${names.length} selection(s)`);
    }
    return { kind: 'of', quantity, names };
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.endToken();
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private endToken(): Token {
    return { kind: 'end', text: '', position: this.condition.length + 1 };
  }

  private fail(token: Token, reason: string): never {
    throw new ConditionSyntaxError(this.condition, token.position, token.text, reason);
  }
}

function combine(kind: 'and' | 'or', operands: ConditionNode[]): ConditionNode {
  const [only] = operands;
  if (operands.length === 1 && only) return only;
  return { kind, operands: operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand])) };
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the condition' : `'${token.text}'`;
}

function globRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`);
}
