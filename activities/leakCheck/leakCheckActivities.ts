/** The weekly credential-leak check's side effects (R4): ask the breach provider, and remember what was reported. */
import { ApplicationFailure } from '@temporalio/common';
import type { LeakFinding, TenantLedger } from '../../stores/tenantLedger';
import { BreachProviderRejectedError, BreachProviderThrottledError, type BreachedAddress, type BreachProvider } from './breachProvider';

export const LeakCheckFailureType = {
  /** The provider refused for good (401 bad key, 403 missing user agent or unverified domain). */
  LeakCheckRejected: 'LeakCheckRejected',
  /** No breach provider (API key) is configured. */
  LeakCheckNotConfigured: 'LeakCheckNotConfigured',
} as const;

export interface LeakCheckDeps {
  provider?: BreachProvider;
  ledger: TenantLedger;
  now: () => Date;
}

export function createLeakCheckActivities(deps: LeakCheckDeps | undefined) {
  return {
    /** The domain's breached addresses; a 429 is retried after the provider's Retry-After. */
    async checkBreachedDomain({ domain }: { tenantId: string; domain: string }): Promise<BreachedAddress[]> {
      if (!deps?.provider) throw ApplicationFailure.nonRetryable('No breach provider is configured (SOAR_HIBP_API_KEY_REF)', LeakCheckFailureType.LeakCheckNotConfigured);
      try {
        return await deps.provider.breachedDomain(domain);
      } catch (error) {
        if (error instanceof BreachProviderRejectedError) {
          throw ApplicationFailure.create({ message: error.message, type: LeakCheckFailureType.LeakCheckRejected, nonRetryable: true, details: [{ status: error.status }] });
        }
        if (error instanceof BreachProviderThrottledError) {
          throw ApplicationFailure.create({ message: error.message, type: 'LeakCheckThrottled', nonRetryable: false, nextRetryDelay: error.retryAfterMs });
        }
        throw error;
      }
    },

    /** Stores the findings and returns those never reported before (idempotent: a retry returns none twice). */
    async recordLeakFindings({ tenantId, findings }: { tenantId: string; findings: BreachedAddress[] }): Promise<LeakFinding[]> {
      if (!deps) throw ApplicationFailure.nonRetryable('No leak-check ledger is configured', LeakCheckFailureType.LeakCheckNotConfigured);
      return deps.ledger.recordLeakFindings(tenantId, findings, deps.now().toISOString());
    },
  };
}
