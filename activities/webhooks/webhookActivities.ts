/**
 * Signed outbound webhooks: each lifecycle event is posted as JSON to every subscribed target (the tenant's own
 * webhooks from its file, and the SOC's from the environment), one activity per target so Temporal retries each with
 * back-off on its own. Signature: `Soar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
 * target's secret; the receiver checks it and the timestamp's age (docs/integrations.md).
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { TenantCatalog } from '../../domain/tenant/tenantCatalog';
import type { LifecycleEvent } from '../../domain/webhooks/lifecycleEvents';
import { webhookTargetsOf, type WebhookTarget } from '../../domain/webhooks/webhookTargets';
import { retryAfterMs } from '../notification/smsSender';

export type { WebhookTarget } from '../../domain/webhooks/webhookTargets';

export interface WebhookDeps {
  tenants: Pick<TenantCatalog, 'get'>;
  resolveSecret: (ref: string) => string;
  /** The SOC's own webhook; null: none. */
  soc: { url: string; secretRef: string } | null;
  now: () => Date;
}

export const SIGNATURE_HEADER = 'Soar-Signature';

/** The signature header's value for `body` sent at `unixSeconds`. */
export function signature(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex')}`;
}

export function createWebhookActivities(deps: WebhookDeps | undefined) {
  const endpointOf = (tenantId: string, targetId: string): { url: string; secretRef: string } => {
    if (targetId === 'soc' && deps?.soc) return deps.soc;
    const hook = deps?.tenants.get(tenantId)?.webhooks?.find((w) => `tenant:${w.id}` === targetId);
    if (!hook) throw ApplicationFailure.nonRetryable(`No webhook ${targetId} for tenant ${tenantId} (removed from the configuration?)`, 'WebhookNotConfigured');
    return hook;
  };
  return {
    /** The targets subscribed for the tenant's events (none: the integration is off). */
    async webhookTargets(input: { tenantId: string }): Promise<WebhookTarget[]> {
      if (!deps) return [];
      return webhookTargetsOf(deps.tenants.get(input.tenantId)?.webhooks, deps.soc !== null);
    },
    /** Posts the event once; 2xx delivered, 408/429/5xx and no answer retry, any other answer fails for good. */
    async deliverWebhook(input: { targetId: string; event: LifecycleEvent }): Promise<{ status: number; at: string }> {
      const { url, secretRef } = endpointOf(input.event.tenantId, input.targetId);
      const secret = deps!.resolveSecret(secretRef);
      const body = JSON.stringify(input.event);
      const sentAt = deps!.now();
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'soar-engine-webhooks',
            [SIGNATURE_HEADER]: signature(secret, Math.floor(sentAt.getTime() / 1000), body),
            'Soar-Event-Id': input.event.id,
            'Soar-Event-Type': input.event.type,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
      } catch (error) {
        throw ApplicationFailure.create({ message: `${input.targetId} not reached: ${error instanceof Error ? error.message : String(error)}`, type: 'WebhookDeferred', details: [{ status: null }] });
      }
      if (response.status >= 200 && response.status < 300) return { status: response.status, at: sentAt.toISOString() };
      const reason = `${input.targetId} answered HTTP ${response.status}`;
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        throw ApplicationFailure.create({ message: reason, type: 'WebhookDeferred', nextRetryDelay: retryAfterMs(response.headers.get('retry-after'), Date.now()), details: [{ status: response.status }] });
      }
      throw ApplicationFailure.create({ message: reason, type: 'WebhookRejected', nonRetryable: true, details: [{ status: response.status }] });
    },
  };
}
