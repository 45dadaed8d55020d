/**
 * Tells the SOC's team channel (Teams) about a critical incident, an escalation step or an approval waiting. The post
 * runs beside the workflow's own course, never in its way: the escalation's clock does not wait for Teams, and a post
 * that fails for good is recorded in the timeline, never silently lost. Off (nothing posted, nothing recorded) until a
 * channel is configured.
 */
import { ActivityFailure, ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import type { SocCard } from '../../activities/socChannel/socCard';
import { notification } from '../activityProfiles';
import type { NotificationLog } from './notifyPeople';

const { postSocCard } = proxyActivities<AlertActivities>(notification);

/** Histories from before the SOC channel replay without its activity. */
const SOC_CHANNEL_PATCH = 'soc-channel-cards';

export function tellSoc(log: NotificationLog, card: Omit<SocCard, 'tenantId' | 'alertId' | 'at'>): void {
  if (!patched(SOC_CHANNEL_PATCH)) return;
  void postSocCard({ ...card, tenantId: log.status.tenantId, alertId: log.status.alertId, at: new Date().toISOString() }).catch((error: unknown) => {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? `${error.cause.type ?? 'Error'}: ${error.cause.message}` : String(error.cause?.message ?? error.message);
    log.record('notification_failed', 'system', `SOC channel card '${card.kind}' failed for good: ${cause}`);
  });
}
