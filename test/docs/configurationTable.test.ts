/** docs/configuration.md's environment table is the one `npm run docs:config` makes from infra/config.ts's zod schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../infra/config';
import { CONFIG_DOC, configurationDoc, configurationTable } from '../../scripts/configTable';
import { REPO } from '../support/testEnv';

test('the committed configuration table is current (else run npm run docs:config)', () => {
  expect(readFileSync(join(REPO, CONFIG_DOC), 'utf8')).toBe(configurationDoc(REPO));
});

test('the table has one row per variable of the schema, with its zod default', () => {
  const table = configurationTable(REPO);
  for (const name of Object.keys(envSchema.shape)) expect(table).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  expect(table).toMatch(/^\| `API_PORT` \| `8080` \| whole number 0-65,535 \|/m);
  expect(table).toMatch(/^\| `TEMPORAL_ADDRESS` \| unset \| text \| An existing Temporal cluster/m);
  expect(table).toMatch(/^\| `SOAR_LOG_LEVEL` \| `info` \| `trace`, `debug`/m);
});
