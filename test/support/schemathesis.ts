/**
 * schemathesis (PyPI) in a project-local virtualenv under `.tools/` (git-ignored), installed on first use at a pinned
 * version. A missing prerequisite fails with what to install.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './testEnv';

const run = promisify(execFile);
export const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = join(REPO, '.tools', `schemathesis-${SCHEMATHESIS_VERSION}`);

export async function ensureSchemathesis(): Promise<string> {
  const bin = join(VENV, 'bin', 'schemathesis');
  if (existsSync(bin)) return bin;
  try {
    await run('python3', ['-c', 'import venv, ensurepip'], { timeout: 30_000 });
  } catch {
    throw new Error('The API fuzz test needs python3 with venv and pip: install them (Debian: apt-get install python3 python3-venv)');
  }
  await run('python3', ['-m', 'venv', VENV], { timeout: 120_000 });
  await run(join(VENV, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  if (!existsSync(bin)) throw new Error(`pip did not install schemathesis into ${VENV}`);
  return bin;
}
