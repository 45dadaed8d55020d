/**
 * R13 "Beim Einsatz von Microsoft 365 ist eine Anbindung der Umgebung zwingend erforderlich": in production every tenant
 * with a microsoft365 source must have its Graph credentials available when the worker starts (the secret reference
 * resolves); otherwise the start fails naming each tenant and reference, never a secret value.
 */
import type { Tenant } from '../domain/tenant/tenantSchema';
import { SecretUnavailableError, type SecretResolver } from './secrets';

/** Thrown when a tenant that uses Microsoft 365 has no usable Graph credentials at start. */
export class Microsoft365NotConnectedError extends Error {
  constructor(readonly problems: { tenantId: string; reason: string }[]) {
    super(`R13: Microsoft 365 in use but not connected: ${problems.map((p) => `${p.tenantId} (${p.reason})`).join('; ')}`);
  }
}

export function checkMicrosoft365Connections(tenants: readonly Tenant[], secrets: SecretResolver): void {
  const problems: { tenantId: string; reason: string }[] = [];
  for (const tenant of tenants) {
    if (!tenant.sources.some((s) => s.kind === 'microsoft365')) continue;
    const graph = tenant.credentials?.graph;
    if (!graph) {
      problems.push({ tenantId: tenant.id, reason: 'no credentials.graph' });
      continue;
    }
    try {
      secrets.resolve(graph.secretRef);
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      problems.push({ tenantId: tenant.id, reason: error.message });
    }
  }
  if (problems.length > 0) throw new Microsoft365NotConnectedError(problems);
}
