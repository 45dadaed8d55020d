/** Gives the engine a Temporal server: the configured cluster, or an embedded dev server started here. */
import { resolveTemporalCli, TemporalCliUnavailableError } from './cliBinary';
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
  let cli;
  try {
    cli = await resolveTemporalCli({ explicitPath: settings.cliPath, searchPath: settings.searchPath, toolsDir, log });
  } catch (error) {
    if (!(error instanceof TemporalCliUnavailableError)) throw error;
    return downloadedBySdk(settings, error, log);
  }
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

/**
 * Last resort, on a machine with internet only: the SDK downloads the CLI itself. It waits only about 5 s for
 * the server, which is why the engine prefers its own start; offline this fails and the original reason stands.
 */
async function downloadedBySdk(settings: TemporalSettings, reason: TemporalCliUnavailableError, log: (line: string) => void): Promise<ProvidedTemporal> {
  log(`${reason.reason}: trying the SDK's download of the Temporal CLI (needs internet)...`);
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: { namespace: settings.namespace, port: settings.port, dbFilename: settings.dbFile, ...(settings.uiPort === null ? {} : { uiPort: settings.uiPort }) },
    });
    return { address: env.address, uiUrl: settings.uiPort === null ? null : `http://127.0.0.1:${settings.uiPort}`, embedded: null, stop: () => env.teardown() };
  } catch (error) {
    throw new TemporalCliUnavailableError(`${reason.reason}; the SDK's download failed too (${error instanceof Error ? error.message : String(error)})`);
  }
}
