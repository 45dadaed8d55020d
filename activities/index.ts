/** Every activity the alert workflows use, built from injected dependencies (no module-level singletons). */
import { createAnalysisActivities, type AnalysisDeps } from './analysis/analyseAlert';
import { createNotificationActivities, type NotificationDeps } from './notification/notifyActivities';
import { createPublicationActivities, type PublicationDeps } from './publication/publishAlert';

export type ActivityDeps = AnalysisDeps & PublicationDeps & NotificationDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createAnalysisActivities(deps),
    ...createPublicationActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type AlertActivities = ReturnType<typeof createActivities>;
