/** The workflow id of a correlated incident: deterministic in (tenant, rule, entity, window bucket), so every hit finds the same workflow. */
import { createHash } from 'node:crypto';
import type { CorrelationKey } from '../domain/correlation';

/**
 * `alert.<tenant>.correlated.<digest>`: the alert id form the API already reads (tenant first, R17), with
 * `correlated` in the place of the source, since hits from several sources of a tenant may join one incident.
 */
export function incidentIdFor(tenantId: string, key: CorrelationKey): string {
  const digest = createHash('sha256')
    .update([key.ruleId.toLowerCase(), key.entity.field, key.entity.value, key.windowStart].join('\u0000'), 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `alert.${tenantId}.correlated.${digest}`;
}
