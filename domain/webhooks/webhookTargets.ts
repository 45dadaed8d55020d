/** Who subscribes to an alert's lifecycle events: the tenant's own webhooks from its file, and the SOC's from the environment. */
import type { LifecycleEventType } from './lifecycleEvents';

export interface WebhookTarget {
  /** `soc`, or `tenant:<webhook id>`. */
  id: string;
  /** The events it subscribes to; null: every event. */
  events: readonly LifecycleEventType[] | null;
}

/** The targets of a tenant's alerts (none: the integration is off). No URL and no secret: the delivery looks those up. */
export function webhookTargetsOf(tenantWebhooks: readonly { id: string; events?: readonly LifecycleEventType[] | undefined }[] | undefined, socWebhook: boolean): WebhookTarget[] {
  const own = (tenantWebhooks ?? []).map((w) => ({ id: `tenant:${w.id}`, events: w.events ?? null }));
  return socWebhook ? [...own, { id: 'soc', events: null }] : own;
}
