/** The API process for production: listens, and shuts down gracefully on SIGTERM. */
import { loadConfig } from '../infra/config';
import { configureLogging, logError, logLine } from '../infra/logger';
import { composeEngine } from './composeEngine';

async function main(): Promise<void> {
  const config = loadConfig();
  configureLogging(config.logLevel, config.logFormat ?? 'json');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required for the API process');
  // Rule files edited at run time replace the running set once the whole folder is valid (detection/rules/README.md).
  const engine = await composeEngine(config, config.temporal.address, { worker: false, api: true }, { watchRules: true });
  if (!engine.api) throw new Error('the engine started no API');
  const { url, syslog } = await engine.api.listen();
  logLine('info', 'API listening', { url, store: engine.stores.kind, ...(syslog ? { syslog } : {}) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void engine.stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  logError('API failed', error);
  process.exit(1);
});
