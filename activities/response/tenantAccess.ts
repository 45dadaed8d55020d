/**
 * What a response activity needs to reach a tenant's vendor: the tenant, the Azure tenant its Microsoft 365 source
 * names, the credential reference from the tenant file and the secret it points at. Missing pieces fail the action
 * as IntegrationNotConfigured, naming what is missing (never a secret).
 */
import type { Tracer } from '@opentelemetry/api';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { z } from 'zod';
import type { CredentialIntegration } from '../../domain/tenant/credentialsSchema';
import type { TenantCatalog } from '../../domain/tenant/tenantCatalog';
import { azureTenantIdsOf, type Tenant } from '../../domain/tenant/tenantSchema';
import { SecretUnavailableError, type SecretResolver } from '../../infra/secrets';
import { redact, refused, unavailable } from './failures';

export interface VendorEndpoints {
  /** Microsoft Graph, e.g. https://graph.microsoft.com/ (the client adds the version). */
  graphBaseUrl: string;
  /** Entra ID authority host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Defender for Endpoint API, e.g. https://api.security.microsoft.com. */
  defenderBaseUrl: string;
}

export interface ResponseDeps {
  tenants: TenantCatalog;
  secrets: SecretResolver;
  endpoints: VendorEndpoints;
  /** Bound on each vendor request (Graph calls include the client's own retries); 30 s unless set. */
  requestTimeoutMs?: number;
  /** How often a Defender MachineAction is polled; 5 s unless set (tests use a few ms). */
  machineActionPollMs?: number;
  /** The worker's tracer: each vendor HTTP call is a span under its activity's (activities/response/vendorCall.ts). */
  tracer?: Tracer;
}

export interface IntegrationAccess {
  tenant: Tenant;
  clientId: string | undefined;
  secret: string;
}

export function tenantOf(deps: ResponseDeps, tenantId: string): Tenant {
  const tenant = deps.tenants.get(tenantId);
  if (!tenant) throw refused('IntegrationNotConfigured', `Tenant '${tenantId}' is not in the tenant catalogue of this worker`);
  return tenant;
}

/** The tenant's credential for one integration, with its secret resolved. */
export function integrationAccess(deps: ResponseDeps, tenantId: string, integration: CredentialIntegration): IntegrationAccess {
  const tenant = tenantOf(deps, tenantId);
  const reference = tenant.credentials?.[integration];
  if (!reference) throw refused('IntegrationNotConfigured', `Tenant '${tenant.id}' has no ${integration} credentials (credentials.${integration} in its tenant file)`);
  try {
    return { tenant, clientId: reference.clientId, secret: deps.secrets.resolve(reference.secretRef) };
  } catch (error) {
    const reason = error instanceof SecretUnavailableError ? error.message : `Secret ${reference.secretRef} is not available`;
    throw refused('IntegrationNotConfigured', `Tenant '${tenant.id}' ${integration} credentials: ${reason}`);
  }
}

/** An app credential (client id + secret) in the tenant's Entra ID, for Graph or Defender. */
export function entraCredential(deps: ResponseDeps, tenantId: string, integration: 'graph' | 'defender'): { credential: TokenCredential; secret: string } {
  const access = integrationAccess(deps, tenantId, integration);
  const azureTenantId = azureTenantIdsOf(access.tenant)[0];
  if (azureTenantId === undefined) {
    throw refused('IntegrationNotConfigured', `Tenant '${access.tenant.id}' has no microsoft365 or defender-endpoint source naming its Azure tenant`);
  }
  if (!access.clientId) throw refused('IntegrationNotConfigured', `Tenant '${access.tenant.id}' credentials.${integration} has no clientId (the Entra app id)`);
  const credential = new ClientSecretCredential(azureTenantId, access.clientId, access.secret, {
    authorityHost: deps.endpoints.authorityHost,
    disableInstanceDiscovery: true,
  });
  return { credential, secret: access.secret };
}

const authenticationErrorSchema = z.object({ name: z.string(), message: z.string(), statusCode: z.number().optional() });

/** OAuth error codes and AADSTS numbers in a token refusal: the app, its secret or the tenant is wrong; retrying will not help. */
const PERMANENT_TOKEN_ERROR = /invalid_client|unauthorized_client|invalid_request|invalid_scope|invalid_grant|AADSTS\d+/;

/**
 * Maps what @azure/identity throws: the token endpoint's refusal (bad secret, unknown app or tenant) is permanent,
 * throttling and outages are retryable; the secret is removed from the text. Other errors are returned unchanged.
 */
export function tokenFailure(error: unknown, vendor: string, secret: string): unknown {
  const parsed = authenticationErrorSchema.safeParse(error);
  if (!parsed.success) return error;
  const { name, message } = parsed.data;
  return tokenFailureOf(name, message, vendor, secret) ?? error;
}

/**
 * Whether Entra ID itself refused the token (an OAuth error or AADSTS code: wrong secret, unknown app or tenant), as
 * opposed to not being reached (network, outage, timeout), where the identity library also says "unavailable".
 */
export function isEntraRefusal(error: unknown): boolean {
  const parsed = authenticationErrorSchema.safeParse(error);
  return parsed.success && /^(AuthenticationError|AuthenticationRequiredError|CredentialUnavailableError)$/.test(parsed.data.name) && PERMANENT_TOKEN_ERROR.test(parsed.data.message);
}

/** The failure for an identity-library error by its name and message, or null when it is not one. */
export function tokenFailureOf(name: string, message: string, vendor: string, secret: string) {
  const text = redact(`${vendor}: Entra ID gave no token: ${message}`, [secret]);
  if (name === 'CredentialUnavailableError') return refused('IntegrationNotConfigured', text);
  if (name !== 'AuthenticationError' && name !== 'AuthenticationRequiredError') return null;
  return PERMANENT_TOKEN_ERROR.test(message) ? refused('VendorRefused', text) : unavailable(text);
}
