/**
 * The Temporal server and its SQL schema tool, as production runs them on PostgreSQL: built from the Go module proxy
 * with the local Go toolchain on first use (a few minutes on 2 cores) and cached in the git-ignored tools folder with
 * the module's PostgreSQL schemas. Tests and `npm run bench:cluster` run the project's own cluster with them.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { goInstall, goModuleDir } from './goInstall';

/** The server release the engine is built and tested against (the CLI's dev server embeds the same). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';

export interface TemporalServerBuild {
  server: string;
  sqlTool: string;
  /** Holds postgresql/v12/{temporal,visibility}/versioned, as temporal-sql-tool reads them. */
  schemaDir: string;
}

export function cachedServerBuild(toolsDir: string): TemporalServerBuild {
  const dir = join(toolsDir, 'temporal-server', TEMPORAL_SERVER_VERSION);
  return { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool'), schemaDir: join(dir, 'schema') };
}

export async function resolveTemporalServer(toolsDir: string, log: (line: string) => void, go = 'go'): Promise<TemporalServerBuild> {
  const build = cachedServerBuild(toolsDir);
  if (existsSync(build.server) && existsSync(build.sqlTool) && existsSync(join(build.schemaDir, 'postgresql'))) return build;
  log(`Building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with Go (first run only, a few minutes on 2 cores)...`);
  const dir = join(build.server, '..');
  await goInstall(
    [
      { packagePath: `${SERVER_MODULE}/cmd/server`, builtAs: 'server', installAs: 'temporal-server' },
      { packagePath: `${SERVER_MODULE}/cmd/tools/sql`, builtAs: 'sql', installAs: 'temporal-sql-tool' },
    ],
    TEMPORAL_SERVER_VERSION,
    dir,
    go,
  );
  cpSync(join(await goModuleDir(SERVER_MODULE, TEMPORAL_SERVER_VERSION, go), 'schema', 'postgresql'), join(build.schemaDir, 'postgresql'), { recursive: true });
  log(`Temporal server built: ${dir}`);
  return build;
}
