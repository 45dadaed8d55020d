/** Gives the engine a Temporal server: the configured cluster, or an embedded dev server started here. */
import { resolveTemporalCli } from './cliBinary';
import { startDevServer, type RunningDevServer } from './devServer';

export interface TemporalSettings {
  address?: string | undefined;
  namespace: string;
  cliPath?: string | undefined;
  searchPath: string;
  port: number;
  uiPort: number | null;
  dbFile?: string | undefined;
}

export interface ProvidedTemporal {
  address: string;
  uiUrl: string | null;
  /** The embedded server, when one was started; `null` for an existing cluster. */
  embedded: RunningDevServer | null;
  stop(): Promise<void>;
}

export async function provideTemporal(settings: TemporalSettings, toolsDir: string, log: (line: string) => void): Promise<ProvidedTemporal> {
  if (settings.address) {
    return { address: settings.address, uiUrl: null, embedded: null, stop: async () => undefined };
  }
  const cli = await resolveTemporalCli({ explicitPath: settings.cliPath, searchPath: settings.searchPath, toolsDir, log });
  const server = await startDevServer({
    cliPath: cli.path,
    namespace: settings.namespace,
    dbFile: settings.dbFile,
    port: settings.port,
    uiPort: settings.uiPort,
    log,
  });
  return { address: server.address, uiUrl: server.uiUrl, embedded: server, stop: () => server.stop() };
}
