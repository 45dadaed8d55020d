/**
 * Python tools from PyPI in project-local virtualenvs under `.tools/` (git-ignored), installed on first use at pinned
 * versions. A missing prerequisite fails with what to install.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './testEnv';
import { waitFor } from './waitFor';

const run = promisify(execFile);

/** Written into a virtualenv once its install completed (and `check` passed). */
const READY = 'installed.txt';

/**
 * The virtualenv `.tools/<name>` with `packages` installed and `check` passed (run inside it before it counts as
 * installed). `purpose` names what needs it, for the failure message.
 */
export async function ensureVenv(name: string, packages: readonly string[], purpose: string, check: (venv: string) => Promise<void> = async () => {}): Promise<string> {
  const venv = join(REPO, '.tools', name);
  const ready = READY;
  if (existsSync(join(venv, ready))) return venv;
  // Test files run in parallel workers: one installs, the others wait for it (a lock folder, created atomically).
  const lock = `${venv}.installing`;
  mkdirSync(join(REPO, '.tools'), { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    await waitFor(async () => existsSync(join(venv, ready)) || !existsSync(lock), (done) => done, `${name} installed by another test worker`, 900_000);
    return ensureVenv(name, packages, purpose, check);
  }
  try {
    await install(venv, packages, purpose);
    await check(venv);
    writeFileSync(join(venv, ready), `${packages.join('\n')}\n`);
    return venv;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function install(venv: string, packages: readonly string[], purpose: string): Promise<void> {
  try {
    await run('python3', ['-c', 'import venv, ensurepip'], { timeout: 30_000 });
  } catch {
    throw new Error(`${purpose} needs python3 with venv and pip: install them (Debian: apt-get install python3 python3-venv)`);
  }
  await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', ...packages], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
}
