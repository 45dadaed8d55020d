/** The strict schema of a tenant file and what the engine asks of a validated tenant. */
import { z } from 'zod';
import { tenantFieldsSchema } from './tenantFieldsSchema';
import { checkTenantRules } from './tenantRules';
import { isMicrosoft365Kind, type TenantSource } from './sourceSchema';

export const tenantSchema = tenantFieldsSchema.superRefine(checkTenantRules);

/** What a tenant file holds (defaults not yet applied). */
export type TenantInput = z.input<typeof tenantSchema>;
/** A validated tenant, defaults applied. */
export type Tenant = z.output<typeof tenantSchema>;

export type { TenantSource } from './sourceSchema';
export type { TenantContact } from './contactSchema';
export type { TenantOptions } from './tenantOptionsSchema';
export type { ReleaseMatrix, ReleaseRule } from './releaseMatrixSchema';
export type { Escalation, EscalationStep } from './escalationSchema';
export type { CredentialReference, TenantCredentials } from './credentialsSchema';

/** True when the tenant has Microsoft 365 connected (a microsoft365 or defender-endpoint source, R13). */
export function tenantUsesMicrosoft365(tenant: Tenant): boolean {
  return tenant.sources.some((source) => isMicrosoft365Kind(source.kind));
}

export function findSource(tenant: Tenant, sourceId: string): TenantSource | undefined {
  return tenant.sources.find((source) => source.id === sourceId);
}

/** The Azure (Entra ID) tenant ids this tenant's Microsoft 365 sources are connected to, without repeats. */
export function azureTenantIdsOf(tenant: Tenant): string[] {
  return [...new Set(tenant.sources.flatMap((source) => (source.azureTenantId ? [source.azureTenantId] : [])))];
}
