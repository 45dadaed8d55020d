/** The flat event the Sigma engine matches, and a per-event view that derives each field's forms once for every rule. */
import { parseEventIp, type EventIp } from './ipRange';
import type { LiteralSource } from './literalSource';

export type SigmaScalar = string | number | boolean | null;
/** Field names are flat strings, possibly dotted (`user.name`); a field may hold one value or a list. */
export type SigmaEvent = Readonly<Record<string, SigmaScalar | readonly SigmaScalar[]>>;
/** What an event is: rules apply when each logsource key they set equals this one's (case-insensitive). */
export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
}

/** A compiled test of one event. */
export type EventTest = (view: EventView) => boolean;

const NO_VALUES: readonly never[] = [];

/**
 * One event as the compiled rules read it. Derived forms (text, lower-case text, numbers, IP addresses) are
 * computed on first use and shared by every rule that reads the same field, so 1,000 rules over one event
 * lower-case each field once.
 */
export class EventView {
  private textCache: Map<string, readonly string[]> | undefined;
  private lowerCache: Map<string, readonly string[]> | undefined;
  private numberCache: Map<string, readonly number[]> | undefined;
  private ipCache: Map<string, readonly EventIp[]> | undefined;
  private all: readonly string[] | undefined;
  private allLower: readonly string[] | undefined;
  private placesCache: (Uint8Array | undefined)[] | undefined;
  /** Results of the rule set's shared tests for this event: 0 not yet evaluated, 1 false, 2 true. */
  readonly memo: Uint8Array | undefined;

  /** `memoSize`: how many results the rule set remembers per event (0: none). */
  constructor(
    readonly event: SigmaEvent,
    memoSize = 0,
  ) {
    this.memo = memoSize > 0 ? new Uint8Array(memoSize) : undefined;
  }

  /** The field is present (even when null or an empty list). */
  has(field: string): boolean {
    return Object.hasOwn(this.event, field);
  }

  /** The field's values as a list; a missing field has none. Own properties only, so `constructor` is no field. */
  values(field: string): readonly SigmaScalar[] {
    if (!Object.hasOwn(this.event, field)) return NO_VALUES;
    const value = this.event[field];
    if (value === undefined) return NO_VALUES;
    return isList(value) ? value : [value];
  }

  /** Non-null values as text: numbers in JavaScript's shortest form, booleans as `true`/`false`. */
  texts(field: string): readonly string[] {
    this.textCache ??= new Map();
    let texts = this.textCache.get(field);
    if (texts === undefined) {
      texts = toTexts(this.values(field));
      this.textCache.set(field, texts);
    }
    return texts;
  }

  /** `texts` in lower case, for Sigma's default case-insensitive matching. */
  lowerTexts(field: string): readonly string[] {
    this.lowerCache ??= new Map();
    let lower = this.lowerCache.get(field);
    if (lower === undefined) {
      lower = this.texts(field).map((text) => text.toLowerCase());
      this.lowerCache.set(field, lower);
    }
    return lower;
  }

  /** Every value of every field as text: what keyword selections search. */
  allTexts(): readonly string[] {
    if (this.all === undefined) {
      const all: string[] = [];
      for (const field of Object.keys(this.event)) for (const text of this.texts(field)) all.push(text);
      this.all = all;
    }
    return this.all;
  }

  /** `allTexts` in lower case. */
  allLowerTexts(): readonly string[] {
    this.allLower ??= this.allTexts().map((text) => text.toLowerCase());
    return this.allLower;
  }

  /** Where each literal of an indexed source occurs in this event (one automaton pass per source). */
  places(source: LiteralSource): Uint8Array {
    this.placesCache ??= [];
    let places = this.placesCache[source.slot];
    if (places === undefined) {
      places = source.scan(source.texts(this));
      this.placesCache[source.slot] = places;
    }
    return places;
  }

  /** Numbers, and strings that are decimal numbers; other values are skipped. */
  numbers(field: string): readonly number[] {
    this.numberCache ??= new Map();
    let numbers = this.numberCache.get(field);
    if (numbers === undefined) {
      numbers = toNumbers(this.values(field));
      this.numberCache.set(field, numbers);
    }
    return numbers;
  }

  /** Values that are IPv4 (four-part decimal) or IPv6 addresses, parsed. */
  ips(field: string): readonly EventIp[] {
    this.ipCache ??= new Map();
    let ips = this.ipCache.get(field);
    if (ips === undefined) {
      const parsed: EventIp[] = [];
      for (const value of this.values(field)) {
        const ip = typeof value === 'string' ? parseEventIp(value) : undefined;
        if (ip) parsed.push(ip);
      }
      ips = parsed;
      this.ipCache.set(field, ips);
    }
    return ips;
  }
}

function isList(value: SigmaScalar | readonly SigmaScalar[]): value is readonly SigmaScalar[] {
  return Array.isArray(value);
}

function toTexts(values: readonly SigmaScalar[]): readonly string[] {
  const texts: string[] = [];
  for (const value of values) if (value !== null) texts.push(typeof value === 'string' ? value : String(value));
  return texts;
}

const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function toNumbers(values: readonly SigmaScalar[]): readonly number[] {
  const numbers: number[] = [];
  for (const value of values) {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) numbers.push(value);
    } else if (typeof value === 'string' && DECIMAL.test(value)) {
      const number = Number(value);
      if (Number.isFinite(number)) numbers.push(number);
    }
  }
  return numbers;
}
