/** The worker process for production: connects to the configured Temporal cluster and runs alert workflows. */
import { loadConfig } from '../infra/config';
import { logError, logLine } from '../infra/logger';
import { Client, Connection } from '@temporalio/client';
import { prepareNamespace } from '../infra/temporal/prepareNamespace';
import { ensureRetentionSchedule } from '../infra/temporal/retentionSchedule';
import { namespaceRetentionDays, retentionOf } from '../domain/retention';
import { loadEngineFiles } from './engineFiles';
import { startWorker } from './startWorker';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required for the worker process (npm start embeds a dev server instead)');
  const { detection, tenants } = loadEngineFiles(config);
  // Idempotent: search attributes and the agreed retention (R14) are in place before any alert runs.
  const connection = await Connection.connect({ address: config.temporal.address });
  // R14: Temporal keeps the longest agreed retention; the daily purge schedule deletes shorter ones' data on time.
  const retention = retentionOf(tenants.all());
  await prepareNamespace({ connection, namespace: config.temporal.namespace, retentionDays: namespaceRetentionDays(config.temporal.retentionDays, retention) });
  await ensureRetentionSchedule({ client: new Client({ connection, namespace: config.temporal.namespace }), taskQueue: config.temporal.taskQueue, tenants: retention });
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
