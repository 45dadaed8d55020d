/** The worker process for production: connects to the configured Temporal cluster and runs alert workflows. */
import { loadConfig } from '../infra/config';
import { logError, logLine } from '../infra/logger';
import { Connection } from '@temporalio/client';
import { prepareNamespace } from '../infra/temporal/prepareNamespace';
import { loadEngineFiles } from './engineFiles';
import { startWorker } from './startWorker';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required for the worker process (npm start embeds a dev server instead)');
  const { detection, tenants } = loadEngineFiles(config);
  // Idempotent: search attributes and the agreed retention (R14) are in place before any alert runs.
  const connection = await Connection.connect({ address: config.temporal.address });
  await prepareNamespace({ connection, namespace: config.temporal.namespace, retentionDays: config.temporal.retentionDays });
  await connection.close();
  const worker = await startWorker(config, config.temporal.address, detection, tenants);
  logLine('info', 'worker running', { taskQueue: config.temporal.taskQueue, rules: detection.ruleSet.size });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
}

main().catch((error: unknown) => {
  logError('worker failed', error);
  process.exit(1);
});
