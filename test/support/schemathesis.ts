/**
 * schemathesis (PyPI) in a project-local virtualenv under `.tools/` (git-ignored), installed on first use at a pinned
 * version. A missing prerequisite fails with what to install.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv } from './pythonVenv';

export const SCHEMATHESIS_VERSION = '4.32.5';

export async function ensureSchemathesis(): Promise<string> {
  const venv = await ensureVenv(`schemathesis-${SCHEMATHESIS_VERSION}`, [`schemathesis==${SCHEMATHESIS_VERSION}`], join('bin', 'schemathesis'), 'The API fuzz test');
  const bin = join(venv, 'bin', 'schemathesis');
  if (!existsSync(bin)) throw new Error(`pip did not install schemathesis into ${venv}`);
  return bin;
}
