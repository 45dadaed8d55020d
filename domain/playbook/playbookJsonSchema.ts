/** The JSON Schema of playbook files for editors, generated from the zod schema (checks across steps stay in zod). */
import { z } from 'zod';
import { PLAYBOOK_ACTIONS, playbookSchema } from './playbookSchema';

/** Where the generated schema is committed, relative to the repository root. */
export const PLAYBOOK_JSON_SCHEMA_FILE = 'config/schema/playbook.schema.json';

/** The schema file's exact text: draft-07 (what YAML editors support best), describing what a file may hold. */
export function playbookJsonSchemaText(): string {
  const schema = z.toJSONSchema(playbookSchema, { io: 'input', target: 'draft-7' });
  spellOutRefinements(schema);
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * zod keeps two things in refinements that JSON Schema can say directly, so editors complete them: the action names
 * (an enum) and the three forms of a reference (oneOf instead of one object with every key optional).
 */
function spellOutRefinements(schema: z.core.JSONSchema.BaseSchema): void {
  const step = schema.properties?.steps;
  const items = typeof step === 'object' && !Array.isArray(step.items) && typeof step.items === 'object' ? step.items : undefined;
  const properties = items?.properties;
  if (!properties) throw new Error('the playbook schema no longer has steps[].properties: update spellOutRefinements');
  const action = properties.action;
  if (typeof action === 'object') properties.action = { description: action.description, enum: [...PLAYBOOK_ACTIONS] };
  for (const key of ['target', 'subject'] as const) {
    const ref = properties[key];
    if (typeof ref === 'object') properties[key] = { description: ref.description, oneOf: REFERENCE_FORMS };
  }
}

const REFERENCE_FORMS: z.core.JSONSchema.BaseSchema[] = [
  { type: 'object', properties: { alert: { enum: ['users', 'hosts', 'ips', 'files', 'source'] } }, required: ['alert'], additionalProperties: false },
  { type: 'object', properties: { tenant: { const: 'firewalls' } }, required: ['tenant'], additionalProperties: false },
  {
    type: 'object',
    properties: { step: { type: 'string', pattern: '^[a-z](?:[a-z0-9-]{0,62}[a-z0-9])?$' }, output: { type: 'string', minLength: 1, maxLength: 64 } },
    required: ['step', 'output'],
    additionalProperties: false,
  },
];
