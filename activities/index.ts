/** Every activity the alert workflows use, built from injected dependencies (no module-level singletons). */
import { createAnalysisActivities, type AnalysisDeps } from './analysis/analyseAlert';
import { createNotificationActivities, type NotificationDeps } from './notification/notifyActivities';
import { createPublicationActivities, type PublicationDeps } from './publication/publishAlert';
import { createResponseActivities, type ResponseDeps } from './response';
import { createRetentionActivities } from './retention/retentionActivities';

export type ActivityDeps = AnalysisDeps &
  PublicationDeps &
  NotificationDeps & {
    /** The vendor adapters' tenants, secrets and endpoints; without them every response activity fails IntegrationNotConfigured. */
    response?: ResponseDeps;
  };

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAnalysisActivities(deps),
    ...createPublicationActivities(deps),
    ...createNotificationActivities(deps),
    ...createResponseActivities(deps.response),
    ...createRetentionActivities(deps),
  };
}

export type AlertActivities = ReturnType<typeof createActivities>;
