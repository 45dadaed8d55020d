/** Every activity the alert workflows use, built from injected dependencies (no module-level singletons). */
import { createAnalysisActivities, type AnalysisDeps } from './analysis/analyseAlert';
import { createNotificationActivities, type NotificationDeps } from './notification/notifyActivities';
import { createPublicationActivities, type PublicationDeps } from './publication/publishAlert';
import { createResponseActivities, type ResponseDeps } from './response';
import { createRetentionActivities } from './retention/retentionActivities';
import { createLeakCheckActivities, type LeakCheckDeps } from './leakCheck/leakCheckActivities';
import { createGraphIntakeActivities, type GraphIntakeDeps } from './intake/graphIntakeActivities';
import { createIsolationBudgetActivities } from './isolationBudget/isolationBudgetActivities';
import { createFairUseActivities, type FairUseDeps } from './fairUse/fairUseActivities';
import type { RateLimitStore } from '../stores/rateLimitStore';
import type { CallerSigner } from '../infra/crypto/callerSigner';
import { createSocChannelActivities, type TeamsChannelSettings } from './socChannel/teamsChannel';

export type ActivityDeps = AnalysisDeps &
  PublicationDeps &
  NotificationDeps & {
    /** The vendor adapters' tenants, secrets and endpoints; without them every response activity fails IntegrationNotConfigured. */
    response?: ResponseDeps;
    /** The weekly credential-leak check (R4); without it its activities fail LeakCheckNotConfigured. */
    leakCheck?: LeakCheckDeps;
    /** The scheduled Microsoft 365 alert pull; without it its activity fails IntegrationNotConfigured. */
    graphIntake?: GraphIntakeDeps;
    /** Shared counters (R11's hourly budget of automatic isolations); without them none is granted. */
    counters?: RateLimitStore;
    /** The monthly fair-use notice (R15); without it its activities fail FairUseNotConfigured. */
    fairUse?: FairUseDeps;
    /** Signs the Updates the worker itself sends (the R14 expiry), as the API signs its own (domain/callerAssertion.ts). */
    callerSigner?: CallerSigner;
    /** The SOC's Teams channel; without it the cards are not posted (the integration is off). */
    socChannel?: { teams?: TeamsChannelSettings };
  };

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAnalysisActivities(deps),
    ...createPublicationActivities(deps),
    ...createNotificationActivities(deps),
    ...createResponseActivities(deps.response),
    ...createRetentionActivities(deps),
    ...createLeakCheckActivities(deps.leakCheck),
    ...createGraphIntakeActivities(deps.graphIntake),
    ...createIsolationBudgetActivities({ counters: deps.counters, now: deps.now }),
    ...createFairUseActivities(deps.readModel, deps.fairUse),
    ...createSocChannelActivities(deps.socChannel ?? {}),
  };
}

export type AlertActivities = ReturnType<typeof createActivities>;
