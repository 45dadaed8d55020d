/** Shares identical field tests and selections across the rules of a set, so an event evaluates each only once. */
import type { EventTest } from './modifiers';

/**
 * Large rule sets repeat themselves (`process.image|endswith: '\powershell.exe'` appears in hundreds of
 * SigmaHQ rules). Each distinct test gets a slot; the per-event view remembers the slot's result, so the
 * second rule that asks gets the answer without matching again. Identical tests are also compiled once.
 */
export class SharedTests {
  private readonly tests = new Map<string, EventTest>();

  /** How many distinct tests there are: the size of the per-event memo. */
  get size(): number {
    return this.tests.size;
  }

  /** The shared test for `key` (a canonical text of what the test checks), built on first use. */
  intern(key: string, build: () => EventTest): EventTest {
    let shared = this.tests.get(key);
    if (shared === undefined) {
      const slot = this.tests.size;
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
      this.tests.set(key, shared);
    }
    return shared;
  }
}
