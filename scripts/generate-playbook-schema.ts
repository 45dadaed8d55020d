/** Writes config/schema/playbook.schema.json from the playbook zod schema: `node_modules/.bin/tsx scripts/generate-playbook-schema.ts`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PLAYBOOK_JSON_SCHEMA_FILE, playbookJsonSchemaText } from '../domain/playbook/playbookJsonSchema';

const target = resolve(__dirname, '..', PLAYBOOK_JSON_SCHEMA_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, playbookJsonSchemaText());
process.stdout.write(`Wrote ${PLAYBOOK_JSON_SCHEMA_FILE}\n`);
