/** What the rules of one set share: identical tests (compiled once), selection results (once per event), literal indexes. */
import { LiteralSource, type SourceSpec } from './literalSource';
import type { EventTest } from './sigmaEvent';

/**
 * Large rule sets repeat themselves (`process.image|endswith: '\powershell.exe'` appears in hundreds of
 * SigmaHQ rules). Identical field tests and selections are compiled once; each distinct selection also
 * gets a slot whose result the per-event view remembers, so the second rule with the same selection gets
 * the answer without matching again. (Field tests are not memoised: their look-ups cost less than the
 * memo.) Literal strings are collected per source for the Aho-Corasick index.
 */
export class SharedTests {
  private readonly compiled = new Map<string, EventTest>();
  private readonly remembered = new Map<string, EventTest>();
  private readonly sources = new Map<string, LiteralSource>();

  /** How many remembered tests there are: the size of the per-event memo. */
  get memoSize(): number {
    return this.remembered.size;
  }

  /** The test for `key` (a canonical text of what it checks), built on first use and shared after. */
  intern(key: string, build: () => EventTest): EventTest {
    let test = this.compiled.get(key);
    if (test === undefined) {
      test = build();
      this.compiled.set(key, test);
    }
    return test;
  }

  /** Like `intern`, and the result is evaluated at most once per event. */
  remember(key: string, build: () => EventTest): EventTest {
    let shared = this.remembered.get(key);
    if (shared === undefined) {
      const slot = this.remembered.size;
      const test = build();
      shared = (view) => {
        const memo = view.memo;
        if (memo === undefined) return test(view);
        const known = memo[slot];
        if (known) return known === 2;
        const result = test(view);
        memo[slot] = result ? 2 : 1;
        return result;
      };
      this.remembered.set(key, shared);
    }
    return shared;
  }

  /** The literal source of a field (or of all fields, `''`) in one case mode. */
  source(spec: SourceSpec): LiteralSource {
    const key = `${spec.caseSensitive ? 'cased' : 'lower'}\u0000${spec.field}`;
    let source = this.sources.get(key);
    if (source === undefined) {
      source = new LiteralSource(this.sources.size, spec);
      this.sources.set(key, source);
    }
    return source;
  }

  /** After the last rule: build the indexes of the sources with enough literals. */
  seal(): void {
    for (const source of this.sources.values()) source.seal();
  }
}
