/** Finds the Temporal CLI: an explicit path, one on PATH, a cached build, or a fresh build with the local Go toolchain. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest CLI release whose go.mod has no `replace` directive (embeds Temporal server 1.29.1 with SQLite). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

/** Thrown when no Temporal CLI can be found or built on this machine. */
export class TemporalCliUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(
      `No Temporal CLI: ${reason}. Install Go >= 1.23 (Debian: apt-get install golang-go) so the project can build it, ` +
        `put a 'temporal' binary on PATH, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running server.`,
    );
  }
}

export interface CliLookup {
  /** TEMPORAL_CLI_PATH, when set. */
  explicitPath?: string | undefined;
  /** The PATH to search for a `temporal` binary. */
  searchPath?: string | undefined;
  /** Git-ignored folder where builds are cached between runs. */
  toolsDir: string;
  /** The Go toolchain to build with. */
  goBinary?: string;
  log: (line: string) => void;
}

export type CliSource = 'explicit' | 'path' | 'cache' | 'built';

export async function resolveTemporalCli(lookup: CliLookup): Promise<{ path: string; source: CliSource }> {
  if (lookup.explicitPath) {
    if (!existsSync(lookup.explicitPath)) {
      throw new TemporalCliUnavailableError(`TEMPORAL_CLI_PATH=${lookup.explicitPath} does not exist`);
    }
    return { path: lookup.explicitPath, source: 'explicit' };
  }
  const onPath = findOnPath('temporal', lookup.searchPath ?? '');
  if (onPath) return { path: onPath, source: 'path' };
  const cached = cachedCliPath(lookup.toolsDir);
  if (existsSync(cached)) return { path: cached, source: 'cache' };
  await buildTemporalCli(lookup.toolsDir, lookup.goBinary ?? 'go', lookup.log);
  return { path: cached, source: 'built' };
}

export function cachedCliPath(toolsDir: string): string {
  return join(toolsDir, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

function findOnPath(binary: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Builds into a temporary folder first and renames it, so a build cut short never leaves a broken binary behind. */
async function buildTemporalCli(toolsDir: string, go: string, log: (line: string) => void): Promise<void> {
  const target = cachedCliPath(toolsDir);
  const staging = `${target}.building-${process.pid}`;
  try {
    await run(go, ['version']);
  } catch {
    throw new TemporalCliUnavailableError('the Go toolchain (`go`) is not installed');
  }
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (first run only, a few minutes on 2 cores)...`);
  mkdirSync(staging, { recursive: true });
  try {
    await run(go, ['install', `${CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-trimpath' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 30 * 60 * 1000,
    });
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(staging, 'temporal'), target);
    log(`Temporal CLI built: ${target}`);
  } catch (error) {
    const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr).slice(-4000) : String(error);
    throw new TemporalCliUnavailableError(`'go install ${CLI_MODULE}@${TEMPORAL_CLI_VERSION}' failed:\n${stderr}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
