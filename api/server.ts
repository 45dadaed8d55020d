/** The API process for production: listens, and shuts down gracefully on SIGTERM. */
import { loadConfig } from '../infra/config';
import { configureLogging, logError, logLine } from '../infra/logger';
import { loadEngineFiles } from '../workers/engineFiles';
import { startApi } from './startApi';

async function main(): Promise<void> {
  const config = loadConfig();
  configureLogging(config.logLevel, config.logFormat ?? 'json');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required for the API process');
  const files = loadEngineFiles(config);
  const api = await startApi(config, config.temporal.address, files, logError);
  logLine('info', 'API listening', { url: api.url });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void api.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  logError('API failed', error);
  process.exit(1);
});
