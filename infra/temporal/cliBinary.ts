/** Finds the Temporal CLI: an explicit path, one on PATH, a cached build, or a fresh build with the local Go toolchain. */
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { goInstall, GoBuildError } from './goInstall';

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
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (first run only, a few minutes on 2 cores)...`);
  try {
    await goInstall([{ packagePath: CLI_MODULE, builtAs: 'temporal', installAs: 'temporal' }], TEMPORAL_CLI_VERSION, dirname(target), go);
  } catch (error) {
    if (error instanceof GoBuildError) throw new TemporalCliUnavailableError(error.reason);
    throw error;
  }
  log(`Temporal CLI built: ${target}`);
}
