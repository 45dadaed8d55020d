/**
 * schemathesis (PyPI) in a project-local virtualenv under `.tools/` (git-ignored), installed on first use at a pinned
 * version. A missing prerequisite fails with what to install.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv } from './pythonVenv';

export const SCHEMATHESIS_VERSION = '4.32.5';

export async function ensureSchemathesis(): Promise<string> {
  const venv = await ensureVenv(`schemathesis-${SCHEMATHESIS_VERSION}`, [`schemathesis==${SCHEMATHESIS_VERSION}`], 'The API fuzz test', async (installed) => {
    if (!existsSync(join(installed, 'bin', 'schemathesis'))) throw new Error(`pip did not install schemathesis into ${installed}`);
  });
  return join(venv, 'bin', 'schemathesis');
}
