/** The development API keys (config/dev/api-keys.yaml) that tests present, looked up by role. */
import { join } from 'node:path';
import { loadApiKeys, type DevKey } from '../../api/auth/apiKeys';
import { REPO } from './testEnv';

export function loadDevKeys(): readonly DevKey[] {
  return loadApiKeys(join(REPO, 'config/dev/api-keys.yaml'), { production: false }).devKeys;
}

/** The dev key of a role (and tenant, for tenant-bound roles; or one key by its id; otherwise the `dev-` one). */
export function devKeyOf(devKeys: readonly DevKey[], role: string, tenantId?: string, keyId?: string): string {
  const found = devKeys.find((k) => k.role === role && (tenantId === undefined || k.tenantId === tenantId) && (keyId === undefined ? k.id.startsWith('dev-') : k.id === keyId));
  if (!found) throw new Error(`no dev key for role ${role} ${tenantId ?? ''}`);
  return found.key;
}
