/** Finds the rules whose logsource fits an event's, without looking at the rules that cannot apply. */
import type { SigmaLogsource } from './sigmaEvent';

const KEYS = ['product', 'category', 'service'] as const;
/** Distinct logsources seen in practice are few (one per source kind); the cache is cleared beyond this. */
const MAX_CACHED_LOGSOURCES = 1024;

/**
 * Rules are bucketed by which logsource keys they set (a bit mask over product, category, service) and the
 * lower-cased values of those keys. An event's logsource is looked up in at most eight buckets; the merged
 * list is cached per distinct logsource.
 */
export class LogsourceIndex {
  private readonly buckets = new Map<string, number[]>();
  private readonly masks: readonly number[];
  private readonly cache = new Map<string, readonly number[]>();

  /** `logsources[i]` is rule `i`'s; candidates come back as ascending rule positions. */
  constructor(logsources: readonly SigmaLogsource[]) {
    const masks = new Set<number>();
    logsources.forEach((logsource, position) => {
      const mask = maskOf(logsource);
      masks.add(mask);
      const key = bucketKey(mask, logsource);
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(position);
      else this.buckets.set(key, [position]);
    });
    this.masks = [...masks];
  }

  /** Positions of the rules whose every set logsource key equals the event's (case-insensitive), ascending. */
  candidates(logsource: SigmaLogsource): readonly number[] {
    const cacheKey = KEYS.map((key) => (logsource[key] === undefined ? '\u0001' : logsource[key].toLowerCase())).join('\u0000');
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const eventMask = maskOf(logsource);
    const found: number[] = [];
    for (const mask of this.masks) {
      if ((mask & eventMask) !== mask) continue;
      const bucket = this.buckets.get(bucketKey(mask, logsource));
      if (bucket) for (const position of bucket) found.push(position);
    }
    found.sort((a, b) => a - b);
    if (this.cache.size >= MAX_CACHED_LOGSOURCES) this.cache.clear();
    this.cache.set(cacheKey, found);
    return found;
  }
}

function maskOf(logsource: SigmaLogsource): number {
  let mask = 0;
  KEYS.forEach((key, bit) => {
    if (logsource[key] !== undefined) mask |= 1 << bit;
  });
  return mask;
}

function bucketKey(mask: number, logsource: SigmaLogsource): string {
  let key = String(mask);
  KEYS.forEach((name, bit) => {
    if (mask & (1 << bit)) key += `\u0000${(logsource[name] ?? '').toLowerCase()}`;
  });
  return key;
}
