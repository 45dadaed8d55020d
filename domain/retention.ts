/** Retention (R14) as pure rules: which retention each tenant agreed, the namespace's, and the cut-off at a given time. */
const DAY_MS = 86_400_000;

/** The alert workflow's Update that closes an open alert past its retention as expired (R14). */
export const EXPIRE_ALERT_UPDATE = 'expireAlert';

/** A tenant's agreed retention, as the purge workflow receives it. */
export interface TenantRetention {
  tenantId: string;
  retentionDays: number;
}

/** The tenants' agreed retention, ordered by tenant id. */
export function retentionOf(tenants: readonly { id: string; retentionDays: number }[]): TenantRetention[] {
  return tenants.map((t) => ({ tenantId: t.id, retentionDays: t.retentionDays })).sort((a, b) => a.tenantId.localeCompare(b.tenantId));
}

/**
 * Temporal keeps one retention per namespace: the longest agreed one, so that no tenant loses history early. Tenants
 * with a shorter retention are purged by the engine's own job (`retentionPurgeWorkflow`).
 */
export function namespaceRetentionDays(defaultDays: number, tenants: readonly TenantRetention[]): number {
  return Math.max(defaultDays, ...tenants.map((t) => t.retentionDays));
}

/** Data dated before this instant is past the retention at `now` (ISO 8601, UTC). */
export function retentionCutoff(now: Date | number, retentionDays: number): string {
  return new Date(new Date(now).getTime() - retentionDays * DAY_MS).toISOString();
}
