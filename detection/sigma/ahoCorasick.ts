/** Aho-Corasick: finds every occurrence of many literal strings in one pass over a text. */

/** What an occurrence says about the pattern's place in the text, as bits. */
export const PLACE = { contains: 1, startswith: 2, endswith: 4, equals: 8 } as const;

/**
 * The automaton over UTF-16 code units. `scanInto` ORs the place bits of every pattern found into
 * `places[patternId]`, so one pass over a field answers contains, startswith, endswith and equals for all
 * the literals any rule looks for in that field.
 */
export class AhoCorasick {
  private readonly transitions: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Patterns that end exactly at the state. */
  private readonly ends: number[][] = [[]];
  /** The nearest state down the failure chain that ends a pattern (0: none). */
  private readonly outputLink: number[] = [0];
  private readonly lengths: number[];

  constructor(patterns: readonly string[]) {
    this.lengths = patterns.map((pattern) => pattern.length);
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) state = this.childOrNew(state, pattern.charCodeAt(i));
      this.ends[state]?.push(id);
    });
    this.link();
  }

  scanInto(text: string, places: Uint8Array): void {
    let state = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      let next = this.transitions[state]?.get(code);
      while (next === undefined && state !== 0) {
        state = this.fail[state] ?? 0;
        next = this.transitions[state]?.get(code);
      }
      state = next ?? 0;
      for (let out = (this.ends[state]?.length ?? 0) > 0 ? state : (this.outputLink[state] ?? 0); out !== 0; out = this.outputLink[out] ?? 0) {
        for (const id of this.ends[out] ?? []) {
          const end = i + 1;
          const start = end - (this.lengths[id] ?? 0);
          let place: number = PLACE.contains;
          if (start === 0) place |= PLACE.startswith;
          if (end === length) place |= PLACE.endswith;
          if (start === 0 && end === length) place |= PLACE.equals;
          places[id] = (places[id] ?? 0) | place;
        }
      }
    }
  }

  private childOrNew(state: number, code: number): number {
    const transitions = this.transitions[state];
    const existing = transitions?.get(code);
    if (existing !== undefined) return existing;
    const child = this.transitions.length;
    this.transitions.push(new Map());
    this.fail.push(0);
    this.ends.push([]);
    this.outputLink.push(0);
    transitions?.set(code, child);
    return child;
  }

  /** Breadth-first: failure links, then output links. */
  private link(): void {
    const queue: number[] = [];
    for (const child of this.transitions[0]?.values() ?? []) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      for (const [code, child] of this.transitions[state] ?? []) {
        let fallback = this.fail[state] ?? 0;
        while (fallback !== 0 && !this.transitions[fallback]?.has(code)) fallback = this.fail[fallback] ?? 0;
        const target = this.transitions[fallback]?.get(code);
        const failure = target !== undefined && target !== child ? target : 0;
        this.fail[child] = failure;
        this.outputLink[child] = (this.ends[failure]?.length ?? 0) > 0 ? failure : (this.outputLink[failure] ?? 0);
        queue.push(child);
      }
    }
  }
}
