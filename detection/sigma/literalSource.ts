/** The literal strings all rules of a set look for in one text source, found in a single pass per event. */
import { AhoCorasick } from './ahoCorasick';
import type { EventView } from './sigmaEvent';

/** Below this many distinct literals, testing each one directly is cheaper than a pass of the automaton. */
export const MIN_LITERALS_TO_INDEX = 8;

/** Which texts a source reads: one field or every field, lower-cased (Sigma's default) or as they are. */
export interface SourceSpec {
  /** `''`: every field (keyword search). */
  readonly field: string;
  readonly caseSensitive: boolean;
}

/**
 * Rules register their literals while they compile; `seal` then builds an Aho-Corasick automaton when
 * there are enough of them. Tests ask `indexed` at run time and read the per-event places of their
 * literal, or fall back to testing the text directly.
 */
export class LiteralSource {
  private readonly ids = new Map<string, number>();
  private automaton: AhoCorasick | undefined;
  readonly texts: (view: EventView) => readonly string[];

  constructor(
    /** Position of this source in the rule set, for the per-event cache. */
    readonly slot: number,
    spec: SourceSpec,
  ) {
    const { field, caseSensitive } = spec;
    if (field === '') this.texts = caseSensitive ? (view) => view.allTexts() : (view) => view.allLowerTexts();
    else this.texts = caseSensitive ? (view) => view.texts(field) : (view) => view.lowerTexts(field);
  }

  get indexed(): boolean {
    return this.automaton !== undefined;
  }

  /** The id of a non-empty literal (the same text gets the same id). */
  add(literal: string): number {
    let id = this.ids.get(literal);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(literal, id);
    }
    return id;
  }

  seal(): void {
    if (this.automaton === undefined && this.ids.size >= MIN_LITERALS_TO_INDEX) this.automaton = new AhoCorasick([...this.ids.keys()]);
  }

  /** Place bits (see `PLACE`) of every literal in the texts; only for an indexed source. */
  scan(texts: readonly string[]): Uint8Array {
    const places = new Uint8Array(this.ids.size);
    for (const text of texts) this.automaton?.scanInto(text, places);
    return places;
  }
}
