/** Enrichment answers per provider and indicator, kept until their time to live ends (shared by every worker). */
export interface IndicatorCache {
  /** The stored answer (JSON text) of `key`, unless it expired by `now` (ms). */
  get(key: string, now: number): Promise<string | null>;
  /** Stores (or replaces) the answer of `key` until `expiresAt` (ms); expired answers of every key go at the same time. */
  put(key: string, value: string, expiresAt: number, now: number): Promise<void>;
}
