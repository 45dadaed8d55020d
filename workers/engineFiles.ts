/** Loads the engine's files (tenants, on-call directory, playbooks, detection rules, API keys), refusing any invalid one at start-up. */
import type { EngineConfig } from '../infra/config';
import { loadTenantDirectory } from '../domain/tenant/loadTenants';
import { loadOnCallDirectory, policyOf } from '../domain/soc/onCallDirectory';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { LiveDetectionRules } from '../activities/analysis/liveDetectionRules';
import { loadApiKeys } from '../api/auth/apiKeys';
import { loadPlaybookDirectory } from '../domain/playbook/loadPlaybooks';
import { loadMappings } from '../detection/eventMapping';

export function loadEngineFiles(config: EngineConfig) {
  const tenants = loadTenantDirectory(config.tenantsDir);
  const onCall = loadOnCallDirectory(config.onCallFile);
  const playbooks = loadPlaybookDirectory(config.playbooksDir);
  // Every tenant's policy is built once here, so a bad escalation reference stops the start, not an alert.
  const policies = new Map(tenants.all().map((tenant) => [tenant.id, policyOf(tenant, onCall, playbooks)]));
  const policyFor = (tenant: Tenant): TenantPolicy => policies.get(tenant.id) ?? policyOf(tenant, onCall, playbooks);
  return {
    tenants,
    policyFor,
    playbooks,
    // Hot-reloadable: the process entry starts watching the folder (`detection.watch`).
    detection: new LiveDetectionRules(config.rulesDir),
    mappings: loadMappings(config.events.mappingsDir),
    keys: loadApiKeys(config.api.keysFile, { production: config.production }),
  };
}
