/** Request counters in fixed windows, shared by every API process so a limit holds across them (per key, per tenant). */
export interface RateLimitStore {
  /** Counts one hit of `key` in the window that contains `now`; returns the count so far and when the window ends. */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  /** The count of `key` in the window that contains `now`, counting nothing. */
  peek(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  /** Takes one hit back (a request that should not count, e.g. a successful one under a failure limit). */
  unhit(key: string, windowMs: number, now: number): Promise<void>;
  reset(key: string): Promise<void>;
}

/** The start of the fixed window that contains `now`. */
export function windowStart(windowMs: number, now: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** Counters older than this are deleted whatever their key (no limit of the engine has a longer window). */
export const STALE_AFTER_MS = 24 * 3_600_000;
