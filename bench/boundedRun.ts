/** Runs `count` calls with at most `concurrency` in flight and reports the time and each call's latency (benchmarks). */
export interface RunResult {
  seconds: number;
  latenciesMs: number[];
}

export async function runBounded(count: number, concurrency: number, one: (i: number) => Promise<number>): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) latencies.push(await one(next++));
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latenciesMs: latencies };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
