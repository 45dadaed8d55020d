/**
 * Python tools from PyPI in project-local virtualenvs under `.tools/` (git-ignored), installed on first use at pinned
 * versions. A missing prerequisite fails with what to install.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './testEnv';

const run = promisify(execFile);

/**
 * The virtualenv `.tools/<name>` with `packages` installed; `ready` is a file in it that exists once the install
 * completed. `purpose` names what needs it, for the failure message.
 */
export async function ensureVenv(name: string, packages: readonly string[], ready: string, purpose: string): Promise<string> {
  const venv = join(REPO, '.tools', name);
  if (existsSync(join(venv, ready))) return venv;
  try {
    await run('python3', ['-c', 'import venv, ensurepip'], { timeout: 30_000 });
  } catch {
    throw new Error(`${purpose} needs python3 with venv and pip: install them (Debian: apt-get install python3 python3-venv)`);
  }
  await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', ...packages], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  return venv;
}
