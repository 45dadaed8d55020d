/** An alert's id is derived from its business key, so the same (tenant, source, external id) always lands in one workflow. */
import { createHash } from 'node:crypto';

export const ALERT_ID_PATTERN = /^alert\.([a-z0-9-]+)\.([a-z0-9-]+)\.([0-9a-f]{32})$/;

/** The external id is hashed: vendors' ids carry characters and lengths a workflow id should not. */
export function alertIdFor(key: { tenantId: string; source: string; externalId: string }): string {
  const digest = createHash('sha256').update(key.externalId, 'utf8').digest('hex').slice(0, 32);
  return `alert.${key.tenantId}.${key.source}.${digest}`;
}

export function tenantOfAlertId(alertId: string): string | undefined {
  return ALERT_ID_PATTERN.exec(alertId)?.[1];
}
