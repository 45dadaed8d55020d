/**
 * R1: which of a tenant's registered sources a Microsoft Graph security alert comes from. The alert's Azure tenant must
 * be one the tenant connected; Defender for Endpoint alerts belong to an endpoint source, the other Microsoft 365
 * services to the Microsoft 365 source.
 */
import type { Tenant } from '../../domain/tenant/tenantSchema';
import type { TenantSource } from '../../domain/tenant/sourceSchema';
import { azureTenantIdOf, type GraphAlert } from './parseDefenderPayload';

function preferredSourceKinds(alert: Pick<GraphAlert, 'serviceSource'>): readonly string[] {
  return alert.serviceSource === 'microsoftDefenderForEndpoint' ? ['defender-endpoint', 'microsoft365'] : ['microsoft365', 'defender-endpoint'];
}

/** The source, or undefined when the alert's Azure tenant is not connected for this tenant. */
export function graphAlertSourceOf(tenant: Tenant, alert: Pick<GraphAlert, 'tenantId' | 'serviceSource'>): TenantSource | undefined {
  const azureTenantId = azureTenantIdOf(alert);
  const candidates = tenant.sources.filter((s) => s.azureTenantId === azureTenantId);
  return preferredSourceKinds(alert)
    .map((kind) => candidates.find((s) => s.kind === kind))
    .find((s) => s !== undefined);
}

/** The refusal both intakes give for an alert from an Azure tenant that is not connected. */
export function notConnectedMessage(tenant: Tenant, alert: Pick<GraphAlert, 'tenantId'>): string {
  return `Azure tenant '${alert.tenantId}' is not a Microsoft 365 tenant connected for '${tenant.id}' (R1: approved sources only)`;
}
