/** The committed JSON Schema for editors is what the zod schema generates, and the sample tenants satisfy it. */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TENANT_JSON_SCHEMA_FILE, tenantJsonSchemaText } from '../../domain/tenant/tenantJsonSchema';

const REPO = join(__dirname, '../..');
const TENANTS_DIR = join(REPO, 'config/tenants');
const committed = readFileSync(join(REPO, TENANT_JSON_SCHEMA_FILE), 'utf8');

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  // zod writes these formats; the patterns next to them do the checking.
  ajv.addFormat('cidrv4', true);
  ajv.addFormat('cidrv6', true);
  return ajv.compile(JSON.parse(committed));
}

describe('tenant JSON Schema', () => {
  test('the committed schema equals freshly generated output (run scripts/generate-tenant-schema.ts)', () => {
    expect(committed).toBe(tenantJsonSchemaText());
  });

  test('every sample tenant validates against it and names it on its first line', () => {
    const validate = validator();
    const samples = readdirSync(TENANTS_DIR).filter((name) => /\.ya?ml$/.test(name));
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (const name of samples) {
      const text = readFileSync(join(TENANTS_DIR, name), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/tenant.schema.json');
      const valid = validate(parse(text));
      expect({ name, errors: validate.errors ?? null }).toEqual({ name, errors: null });
      expect(valid).toBe(true);
    }
  });

  test('editors see unknown keys as errors too', () => {
    const validate = validator();
    const sample = parse(readFileSync(join(TENANTS_DIR, 'nordwind-handel.yaml'), 'utf8'));
    expect(validate({ ...sample, retention: 30 })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'retention' } });
  });
});
