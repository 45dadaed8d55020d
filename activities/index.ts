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
import { createEnrichmentActivities, type EnrichmentDeps } from './enrichment/enrichmentActivities';
import { createWebhookActivities, type WebhookDeps } from './webhooks/webhookActivities';
import { createPackage1Activities } from './package1/analyseClassifyPublish';

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
    /** IoC enrichment (VirusTotal, AbuseIPDB, MISP); without it none is configured and alerts are not enriched. */
    enrichment?: EnrichmentDeps;
    /** Signed outbound webhooks (tenants' and the SOC's); without them no event is sent. */
    webhooks?: WebhookDeps;
  };

export function createActivities(deps: ActivityDeps) {
  const analysis = createAnalysisActivities(deps);
  const publication = createPublicationActivities(deps);
  return {
    ...analysis,
    ...publication,
    // Package 1's one step calls these same two (not a copy of them).
    ...createPackage1Activities({ ...analysis, ...publication, now: deps.now }),
    ...createNotificationActivities(deps),
    ...createResponseActivities(deps.response),
    ...createRetentionActivities(deps),
    ...createLeakCheckActivities(deps.leakCheck),
    ...createGraphIntakeActivities(deps.graphIntake),
    ...createIsolationBudgetActivities({ counters: deps.counters, now: deps.now }),
    ...createFairUseActivities(deps.readModel, deps.fairUse),
    ...createSocChannelActivities(deps.socChannel ?? {}),
    ...createEnrichmentActivities(deps.enrichment),
    ...createWebhookActivities(deps.webhooks),
  };
}

export type AlertActivities = ReturnType<typeof createActivities>;
