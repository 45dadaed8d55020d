/**
 * Loads the engine's files (tenants, on-call directory, playbooks, detection rules, API keys, payload keys), refusing any
 * invalid one at start-up. Each is read once per process; the worker, the namespace set-up and the API share them.
 */
import type { EngineConfig } from '../infra/config';
import { loadTenantDirectory } from '../infra/files/tenantFiles';
import { loadOnCallDirectory } from '../infra/files/onCallFile';
import { policyOf } from '../domain/tenant/tenantPolicyOf';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { LiveDetectionRules } from '../activities/analysis/liveDetectionRules';
import { loadApiKeys } from '../api/auth/apiKeys';
import { loadPlaybookDirectory } from '../infra/files/playbookFiles';
import { loadMappings } from '../detection/eventMapping';
import { ensureDevPayloadKeys, loadConfiguredKeyring } from '../infra/crypto/payloadKeys';

/** `createDevPayloadKeys`: `npm start` makes random development keys once when no keys file is configured. */
/** The engine's files as one process reads them. */
export type EngineFiles = ReturnType<typeof loadEngineFiles>;

export function loadEngineFiles(config: EngineConfig, { createDevPayloadKeys = false } = {}) {
  const tenants = loadTenantDirectory(config.tenantsDir);
  const tenantIds = tenants.all().map((tenant) => tenant.id);
  const onCall = loadOnCallDirectory(config.onCallFile);
  const playbooks = loadPlaybookDirectory(config.playbooksDir);
  // Every tenant's policy is built once here, so a bad escalation reference stops the start, not an alert.
  const policies = new Map(tenants.all().map((tenant) => [tenant.id, policyOf(tenant, onCall, playbooks, config.notifications.socLanguage)]));
  // The file's tenant has its policy ready; the tenant as a package or option change makes it (R16) gets its own.
  const policyFor = (tenant: Tenant): TenantPolicy => (tenants.get(tenant.id) === tenant ? policies.get(tenant.id) : undefined) ?? policyOf(tenant, onCall, playbooks, config.notifications.socLanguage);
  return {
    tenants,
    onCall,
    policyFor,
    playbooks,
    // Hot-reloadable: the process entry starts watching the folder (`detection.watch`).
    detection: new LiveDetectionRules(config.rulesDir),
    mappings: loadMappings(config.events.mappingsDir),
    keys: loadApiKeys(config.api.keysFile, { production: config.production }),
    // A missing or invalid keys file, or a served tenant without a key, stops the start before any connection.
    payloadKeys:
      createDevPayloadKeys && config.payloadEncryption.devKeys
        ? ensureDevPayloadKeys(config.payloadEncryption.keysFile, tenantIds) // docs/payload-encryption.md
        : loadConfiguredKeyring(config.payloadEncryption, tenantIds),
  };
}
