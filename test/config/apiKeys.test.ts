/** API keys come from configuration, stored hashed; dev keys are refused in production. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeysFileError, loadApiKeys, sha256Hex } from '../../api/auth/apiKeys';
import { loadConfig, ConfigError } from '../../infra/config';
import { waitFor } from '../support/waitFor';

const dir = mkdtempSync(join(tmpdir(), 'soar-keys-'));
function keysFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('API keys', () => {
  test('a hashed key authenticates to its role and tenant; other keys do not', () => {
    const file = keysFile('ok.yaml', `keys:\n  - { id: acme-ingest, role: ingest, tenantId: acme, sha256: ${sha256Hex('s3cret-key-for-acme-ingest')} }\n`);
    const registry = loadApiKeys(file, { production: true });
    expect(registry.authenticate('s3cret-key-for-acme-ingest')).toEqual({ keyId: 'acme-ingest', role: 'ingest', tenantId: 'acme' });
    expect(registry.authenticate('s3cret-key-for-acme-ingesT')).toBeUndefined();
    expect(registry.devKeys).toEqual([]);
  });

  test('a key with expiresAt authenticates until then and not after; during a rotation both hashes are the same key', () => {
    const file = keysFile(
      'rotation.yaml',
      `keys:\n  - id: acme-ingest\n    role: ingest\n    tenantId: acme\n    sha256: ["${sha256Hex('old-key-for-acme-ingest')}", "${sha256Hex('new-key-for-acme-ingest')}"]\n    expiresAt: 2027-03-31T23:59:59Z\n`,
    );
    const registry = loadApiKeys(file, { production: true });
    const before = Date.parse('2027-03-31T23:59:58Z');
    const principal = { keyId: 'acme-ingest', role: 'ingest', tenantId: 'acme' };
    expect(registry.authenticate('old-key-for-acme-ingest', before)).toEqual(principal);
    expect(registry.authenticate('new-key-for-acme-ingest', before)).toEqual(principal);
    expect(registry.authenticate('new-key-for-acme-ingest', Date.parse('2027-03-31T23:59:59Z'))).toBeUndefined();
    expect(() => loadApiKeys(keysFile('bad-expiry.yaml', `keys:\n  - { id: a, role: admin, sha256: "${sha256Hex('x'.repeat(20))}", expiresAt: "next week" }\n`), { production: true })).toThrow(
      /keys\.0\.expiresAt: must be an ISO 8601 date-time with offset/,
    );
  });

  test('revoking a key by editing the file takes effect without a restart; a broken edit keeps the keys in force', async () => {
    const line = (id: string, key: string) => `  - { id: ${id}, role: admin, sha256: "${sha256Hex(key)}" }\n`;
    const file = keysFile('reload.yaml', `keys:\n${line('ops-a', 'key-of-ops-a-0123456789')}${line('ops-b', 'key-of-ops-b-0123456789')}`);
    const registry = loadApiKeys(file, { production: true });
    expect(registry.authenticate('key-of-ops-a-0123456789')?.keyId).toBe('ops-a');
    writeFileSync(file, `keys:\n${line('ops-b', 'key-of-ops-b-0123456789')}`);
    await waitFor(async () => registry.authenticate('key-of-ops-a-0123456789'), (principal) => principal === undefined, 'the revoked key to be refused');
    expect(registry.authenticate('key-of-ops-b-0123456789')?.keyId).toBe('ops-b');
    writeFileSync(file, 'keys: [ {{ broken');
    const noticed = async () => {
      registry.authenticate('key-of-ops-b-0123456789');
      return registry.reloadError;
    };
    await waitFor(noticed, (error) => error !== null, 'the broken edit to be noticed');
    expect(registry.reloadError).toContain('not valid YAML');
    expect(registry.authenticate('key-of-ops-b-0123456789')?.keyId).toBe('ops-b');
  });

  test('the dev keys file is refused when NODE_ENV=production', () => {
    expect(() => loadApiKeys(join(__dirname, '../../config/dev/api-keys.yaml'), { production: true })).toThrow(/refused when NODE_ENV=production/);
    expect(loadApiKeys(join(__dirname, '../../config/dev/api-keys.yaml'), { production: false }).devKeys.length).toBeGreaterThan(0);
  });

  test('a plain-text key outside a devOnly file is refused', () => {
    const file = keysFile('plain.yaml', 'keys:\n  - { id: a, role: admin, key: plain-text-key-123456 }\n');
    expect(() => loadApiKeys(file, { production: false })).toThrow(/plain text/);
  });

  test.each([
    ['an ingest key without a tenant', 'keys:\n  - { id: a, role: ingest, sha256: ' + 'a'.repeat(64) + ' }\n', /tenantId: role ingest needs a tenantId/],
    ['an analyst key bound to a tenant', 'keys:\n  - { id: a, role: analyst, tenantId: acme, sha256: ' + 'a'.repeat(64) + ' }\n', /not bound to a tenant/],
    ['an unknown role', 'keys:\n  - { id: a, role: root, sha256: ' + 'a'.repeat(64) + ' }\n', /keys\.0\.role/],
    ['an unknown key', 'keys:\n  - { id: a, role: admin, sha256: ' + 'a'.repeat(64) + ', note: x }\n', /note/],
    ['an unquoted all-digit hash that YAML reads as a number', 'keys:\n  - { id: a, role: admin, sha256: ' + '1'.repeat(64) + ' }\n', /quoted string/],
    ['duplicate ids', 'keys:\n  - { id: a, role: admin, sha256: ' + 'a'.repeat(64) + ' }\n  - { id: a, role: auditor, sha256: ' + 'b'.repeat(64) + ' }\n', /duplicate key id 'a'/],
  ])('refuses %s, naming the file', (_name, text, reason) => {
    const file = keysFile(`bad-${Math.random()}.yaml`, text);
    let error: unknown;
    try {
      loadApiKeys(file, { production: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiKeysFileError);
    expect((error as ApiKeysFileError).file).toBe(file);
    expect((error as Error).message).toMatch(reason);
  });
});

describe('configuration', () => {
  test('production requires an API keys file', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const production = {
      NODE_ENV: 'production',
      SOAR_API_KEYS_FILE: '/etc/soar/keys.yaml',
      SOAR_PAYLOAD_KEYS_FILE: '/etc/soar/payload-keys.yaml',
      SOAR_ENDPOINT_LOCATIONS_FILE: join(__dirname, '../../config/endpoint-locations.example.yaml'),
    } as const;
    expect(loadConfig(production).api.keysFile).toBe('/etc/soar/keys.yaml');
  });

  test('production requires a payload keys file: alert content is never stored unencrypted', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SOAR_API_KEYS_FILE: '/etc/soar/keys.yaml' })).toThrow(/SOAR_PAYLOAD_KEYS_FILE/);
  });

  test('R14 the default namespace retention is 90 days', () => {
    expect(loadConfig({}).temporal.retentionDays).toBe(90);
  });

  test('a bad value names its variable', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
  });
});
