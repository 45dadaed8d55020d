/** The alert lifecycle events the engine sends to subscribed webhooks (a tenant's ticket system, the SOC's own). */
export const LIFECYCLE_EVENTS = ['alert.received', 'alert.classified', 'alert.escalated', 'alert.measure_taken', 'alert.closed'] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENTS)[number];

/** One event as delivered: `id` is stable across retries (receivers drop repeats by it), `sequence` orders an alert's events. */
export interface LifecycleEvent {
  id: string;
  type: LifecycleEventType;
  sequence: number;
  occurredAt: string;
  tenantId: string;
  alertId: string;
  data: Record<string, string | number | null>;
}

/** One delivery as the alert records it: visible in its record (`webhookDeliveries`) and, when it fails for good, in its timeline. */
export interface WebhookDelivery {
  target: string;
  eventId: string;
  type: LifecycleEventType;
  delivered: boolean;
  /** The receiver's HTTP status of the last attempt (null: no answer). */
  status: number | null;
  at: string;
  failure: string | null;
}
