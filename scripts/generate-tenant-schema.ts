/** Writes config/schema/tenant.schema.json from the tenant zod schema: `node_modules/.bin/tsx scripts/generate-tenant-schema.ts`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TENANT_JSON_SCHEMA_FILE, tenantJsonSchemaText } from '../domain/tenant/tenantJsonSchema';

const target = resolve(__dirname, '..', TENANT_JSON_SCHEMA_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, tenantJsonSchemaText());
process.stdout.write(`Wrote ${TENANT_JSON_SCHEMA_FILE}\n`);
