/** Loading a directory of tenant files: which files count, and clashes between tenants. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTenantYaml, TenantCatalog, TenantCatalogConflictError, TenantConfigError } from '../../domain/tenant/loadTenants';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { edit, PACKAGE_1 } from './tenantFixtures';

const GUID = 'b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c';

function tenantText(id: string, azureTenantId?: string): string {
  const text = edit(PACKAGE_1, 'id: acme', `id: ${id}`);
  return azureTenantId ? edit(text, '    kind: edr\n', `    kind: edr\n  - id: defender\n    kind: defender-endpoint\n    azureTenantId: ${azureTenantId}\n`) : text;
}

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'soar-tenants-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function directoryRefusal(dir: string): TenantConfigError {
  try {
    loadTenantDirectory(dir);
  } catch (error) {
    if (error instanceof TenantConfigError) return error;
    throw error;
  }
  throw new Error('expected the directory to be refused');
}

describe('tenant directory', () => {
  test('an empty directory gives an empty catalog', () => {
    const catalog = loadTenantDirectory(directory({}));
    expect(catalog.all()).toEqual([]);
    expect(catalog.size).toBe(0);
  });

  test('.yaml and .yml files are read; other files and folders are ignored', () => {
    const dir = directory({ 'alpha.yaml': tenantText('alpha'), 'beta.yml': tenantText('beta'), 'README.md': '# not a tenant', 'notes.txt': 'x' });
    mkdirSync(join(dir, 'archive.yaml'));
    expect(loadTenantDirectory(dir).all().map((t) => t.id)).toEqual(['alpha', 'beta']);
  });

  test('a missing directory is refused naming it', () => {
    const missing = join(tmpdir(), 'soar-no-such-tenants-dir');
    expect(() => loadTenantDirectory(missing)).toThrow(TenantConfigError);
  });

  test('a bad file refuses the whole directory, naming that file', () => {
    const dir = directory({ 'alpha.yaml': tenantText('alpha'), 'beta.yaml': tenantText('beta') + 'colour: blue\n' });
    const error = directoryRefusal(dir);
    expect(error.file).toBe(join(dir, 'beta.yaml'));
    expect(error.message).toMatch(/beta\.yaml:12 colour: unknown key 'colour'/);
  });

  test('a duplicate tenant id (acme.yaml and acme.yml) is refused', () => {
    const dir = directory({ 'acme.yaml': tenantText('acme'), 'acme.yml': tenantText('acme') });
    const error = directoryRefusal(dir);
    expect(error.file).toBe(join(dir, 'acme.yml'));
    expect(error.issues).toEqual([{ path: 'id', line: 1, message: "tenant id 'acme' is already used by tenant 'acme' in acme.yaml" }]);
  });

  test('R1 R13 two tenants claiming the same Azure tenant are refused', () => {
    const dir = directory({ 'alpha.yaml': tenantText('alpha', GUID), 'beta.yaml': tenantText('beta', GUID.toUpperCase()) });
    const error = directoryRefusal(dir);
    expect(error.file).toBe(join(dir, 'beta.yaml'));
    expect(error.issues).toEqual([
      {
        path: 'sources[1].azureTenantId',
        line: 9,
        message: `Azure tenant ${GUID} is already connected for tenant 'alpha' in alpha.yaml; one Microsoft 365 tenant belongs to one customer`,
      },
    ]);
  });

  test('one tenant may connect the same Azure tenant to its Microsoft 365 and Defender sources', () => {
    const text = edit(tenantText('alpha', GUID), '    kind: edr\n', `    kind: edr\n  - id: m365\n    kind: microsoft365\n    azureTenantId: ${GUID}\n`);
    const connected = `${text}credentials:\n  graph: { clientId: soar-app, secretRef: 'env:ALPHA_GRAPH_SECRET' }\n`;
    expect(loadTenantDirectory(directory({ 'alpha.yaml': connected })).findByAzureTenantId(GUID)?.id).toBe('alpha');
  });

  test('R1 syslog sender ranges of two tenants that overlap are refused at load, naming both files and both ranges', () => {
    const withAddresses = (id: string, addresses: string) => edit(tenantText(id), '    kind: edr\n', `    kind: edr\n    addresses: [${addresses}]\n`);
    const dir = directory({ 'alpha.yaml': withAddresses('alpha', '10.20.0.0/16'), 'beta.yaml': withAddresses('beta', '192.0.2.7, 10.20.30.40') });
    const error = directoryRefusal(dir);
    expect(error.file).toBe(join(dir, 'beta.yaml'));
    expect(error.issues).toEqual([
      {
        path: 'sources[0].addresses[1]',
        line: 7,
        message:
          "syslog sender range 10.20.30.40 overlaps 10.20.0.0/16 of tenant 'alpha' in alpha.yaml; a sender address must identify one tenant (R1), so overlapping ranges (NAT, RFC 1918) are refused",
      },
    ]);
    // Ranges that only touch are fine, and so are overlaps within one tenant.
    expect(loadTenantDirectory(directory({ 'alpha.yaml': withAddresses('alpha', '10.20.0.0/24, 10.20.0.7'), 'beta.yaml': withAddresses('beta', '10.20.1.0/24') })).size).toBe(2);
  });

  test('a catalog built in code refuses the same clashes', () => {
    const alpha = parseTenantYaml(tenantText('alpha', GUID), 'alpha.yaml');
    const beta = parseTenantYaml(tenantText('beta', GUID), 'beta.yaml');
    expect(() => new TenantCatalog([alpha, beta])).toThrow(TenantCatalogConflictError);
    expect(() => new TenantCatalog([alpha, alpha])).toThrow(/tenant id 'alpha' is already used/);
  });
});
