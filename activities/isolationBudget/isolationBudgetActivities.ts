/**
 * R11: each tenant's budget of automatic isolations per hour, counted in the engine's shared store so every worker
 * draws from one budget. Beyond it a human decides: a forged or runaway feed cannot isolate a tenant's whole estate.
 */
import type { RateLimitStore } from '../../stores/rateLimitStore';

const HOUR_MS = 3_600_000;

export interface IsolationBudgetDeps {
  /** The shared counters; without them no automatic isolation is granted (a human decides). */
  counters?: RateLimitStore | undefined;
  now: () => Date;
}

export interface IsolationBudgetGrant {
  granted: boolean;
  /** Automatic isolations of the tenant in this hour, this one included. */
  used: number;
}

export function createIsolationBudgetActivities(deps: IsolationBudgetDeps) {
  return {
    /**
     * Takes one automatic isolation of the tenant's hour. A retry after a lost answer counts again, which errs on the
     * side of a human deciding, never of one more isolation.
     */
    async takeAutomaticIsolation({ tenantId, maxPerHour }: { tenantId: string; maxPerHour: number }): Promise<IsolationBudgetGrant> {
      if (!deps.counters) return { granted: false, used: 0 };
      const { count } = await deps.counters.hit(`auto-isolation:${tenantId}`, HOUR_MS, deps.now().getTime());
      return { granted: count <= maxPerHour, used: count };
    },
  };
}
