/**
 * Tells the alert's webhook subscribers (the tenant's ticket system, the SOC's) about a lifecycle event. Each delivery
 * runs beside the workflow and is retried by Temporal with back-off; its outcome is recorded on the alert
 * (`webhookDeliveries`), a final failure also in the timeline. Off (no activity at all after the first look-up of
 * the targets) when nothing subscribes.
 */
import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import type { WebhookTarget } from '../../domain/webhooks/webhookTargets';
import type { LifecycleEvent, LifecycleEventType, WebhookDelivery } from '../../domain/webhooks/lifecycleEvents';
import { localPipeline, webhookDelivery } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';

/** A look-up in the worker's own configuration: a local activity, so an alert with no webhooks pays no task round trip (issue 18). */
const { webhookTargets } = proxyLocalActivities<AlertActivities>(localPipeline);
const { deliverWebhook } = proxyActivities<AlertActivities>(webhookDelivery);

/** Histories from before outbound webhooks replay without their activities. */
const WEBHOOKS_PATCH = 'outbound-webhooks';
/** Bounds the deliveries kept on one alert's record. */
const MAX_DELIVERIES = 200;

const targetsOf = new WeakMap<AlertRecord, Promise<WebhookTarget[]>>();
const sequenceOf = new WeakMap<AlertRecord, number>();
const pendingOf = new WeakMap<AlertRecord, Promise<unknown>[]>();

/** Waits for every delivery started so far to be delivered or to fail for good: a workflow that ends abandons its activities. */
export async function deliveriesSettled(alert: AlertRecord): Promise<void> {
  for (let pending = pendingOf.get(alert) ?? []; pending.length > 0; pending = pendingOf.get(alert) ?? []) {
    pendingOf.set(alert, []);
    await Promise.all(pending);
  }
}

export function announce(alert: AlertRecord, type: LifecycleEventType, data: LifecycleEvent['data'] = {}): void {
  // A lean package-1 history (PACKAGE1_LEAN_PATCH in workflows/alertWorkflow.ts) implies this patch.
  if (!alert.leanHistory && !patched(WEBHOOKS_PATCH)) return;
  const sequence = (sequenceOf.get(alert) ?? 0) + 1;
  sequenceOf.set(alert, sequence);
  const { alertId, tenantId } = alert.status;
  const event: LifecycleEvent = {
    id: `${alertId}/${sequence}`,
    type,
    sequence,
    occurredAt: new Date().toISOString(),
    tenantId,
    alertId,
    data: { title: alert.status.title, severity: alert.status.severity, state: alert.status.state, ...data },
  };
  let targets = targetsOf.get(alert);
  if (!targets) {
    // A lean history has them from intake, in its input; otherwise one look-up per alert.
    const known = alert.leanHistory ? alert.input.webhookTargets : undefined;
    targets = known ? Promise.resolve(known) : webhookTargets({ tenantId });
    targetsOf.set(alert, targets);
  }
  const delivering = targets.then((all) =>
    Promise.all(
      all
        .filter((target) => target.events === null || target.events.includes(type))
        .map(async (target) => {
          const deliveries = (alert.status.webhookDeliveries ??= []);
          const record = (entry: WebhookDelivery) => {
            if (deliveries.length < MAX_DELIVERIES) deliveries.push(entry);
          };
          try {
            const { status, at } = await deliverWebhook({ targetId: target.id, event });
            record({ target: target.id, eventId: event.id, type, delivered: true, status, at, failure: null });
          } catch (error) {
            if (!(error instanceof ActivityFailure)) throw error;
            const cause = error.cause instanceof ApplicationFailure ? error.cause : null;
            const status = (cause?.details?.[0] as { status?: number | null } | undefined)?.status ?? null;
            const failure = cause ? `${cause.type ?? 'Error'}: ${cause.message}` : error.message;
            record({ target: target.id, eventId: event.id, type, delivered: false, status, at: new Date().toISOString(), failure });
            alert.record('notification_failed', 'system', `Webhook ${target.id}: ${type} (${event.id}) failed for good: ${failure}`);
          }
        }),
    ),
  );
  pendingOf.set(alert, [...(pendingOf.get(alert) ?? []), delivering]);
}
