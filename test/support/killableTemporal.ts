/**
 * A Temporal dev server of a test's own, on a SQLite file and a fixed port, that the test can kill with SIGKILL and
 * start again on the same file and port (the fault tests). The CLI is the one the run's global set-up built.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../infra/freePort';
import { resolveTemporalCli } from '../../infra/temporal/cliBinary';
import { startDevServer, type RunningDevServer } from '../../infra/temporal/devServer';
import { REPO } from './testEnv';

export interface KillableTemporal {
  readonly address: string;
  /** kill -9, a pause of `downMs`, `whileDown` (what the world does meanwhile), then the server again on the same file and port. */
  killAndRestart(downMs: number, whileDown?: () => void | Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startKillableTemporal(dir: string, namespace: string, log: (line: string) => void): Promise<KillableTemporal> {
  const cliPath = (await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, searchPath: process.env.PATH ?? '', toolsDir: join(REPO, '.tools'), log })).path;
  const port = await freePort();
  const start = () => startDevServer({ cliPath, namespace, dbFile: join(dir, 'temporal.sqlite'), port, uiPort: null, log });
  let server: RunningDevServer = await start();
  return {
    address: server.address,
    async killAndRestart(downMs, whileDown) {
      process.kill(server.pid, 'SIGKILL');
      log('Temporal server killed');
      await sleep(downMs);
      await whileDown?.();
      server = await start();
      log('Temporal server restarted');
    },
    stop: () => server.stop(),
  };
}
