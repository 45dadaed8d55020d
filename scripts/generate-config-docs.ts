/** Regenerates the environment table of docs/configuration.md from infra/config.ts: `npm run docs:config`. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_DOC, configurationDoc } from './configTable';

const root = resolve(__dirname, '..');
writeFileSync(join(root, CONFIG_DOC), configurationDoc(root));
process.stdout.write(`Wrote ${CONFIG_DOC}\n`);
