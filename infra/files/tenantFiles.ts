/** Reads the tenant files of config/tenants; what they say is checked by the pure domain/tenant/loadTenants.ts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTenantYaml, tenantCatalogOf, TenantConfigError, type TenantCatalog } from '../../domain/tenant/loadTenants';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import { displayPath } from './displayPath';
import { fileNamesIn } from './folderListing';

const TENANT_FILE = /\.ya?ml$/;

export function loadTenantFile(path: string): Tenant {
  return parseTenantYaml(readTenantText(path), displayPath(path));
}

/** Every `.yaml`/`.yml` file of the directory, in name order; an empty directory gives an empty catalog. */
export function loadTenantDirectory(dir: string): TenantCatalog {
  const names = fileNamesIn(dir, TENANT_FILE);
  if (names === null) throw new TenantConfigError(displayPath(dir), [{ path: '', line: undefined, message: 'the tenant directory cannot be read' }]);
  return tenantCatalogOf(names.map((name) => join(dir, name)).map((path) => ({ file: displayPath(path), text: readTenantText(path) })));
}

function readTenantText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new TenantConfigError(displayPath(path), [{ path: '', line: undefined, message: 'the tenant file cannot be read' }]);
  }
}
