/** The JSON Schema of tenant files for editors, generated from the zod schema (rules across fields stay in zod). */
import { z } from 'zod';
import { tenantSchema } from './tenantSchema';

/** Where the generated schema is committed, relative to the repository root. */
export const TENANT_JSON_SCHEMA_FILE = 'config/schema/tenant.schema.json';

/** The schema file's exact text: draft-07 (what YAML editors support best), describing what a file may hold. */
export function tenantJsonSchemaText(): string {
  const schema = z.toJSONSchema(tenantSchema, { io: 'input', target: 'draft-7' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
