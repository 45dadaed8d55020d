/** The worker process for production: connects to the configured Temporal cluster and runs alert workflows. */
import { loadConfig } from '../infra/config';
import { configureLogging, logError, logLine } from '../infra/logger';
import { installWorkerRuntime } from '../infra/temporal/workerRuntime';
import { Client, Connection } from '@temporalio/client';
import { prepareNamespace } from '../infra/temporal/prepareNamespace';
import { ensureRetentionSchedule } from '../infra/temporal/retentionSchedule';
import { ensureLeakCheckSchedules } from '../infra/temporal/leakCheckSchedule';
import { namespaceRetentionDays, retentionOf } from '../domain/retention';
import { loadEngineFiles } from './engineFiles';
import { startWorker } from './startWorker';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before any connection: the SDK's logs and metrics are set for the process once.
  installWorkerRuntime(configureLogging(config.logLevel), config.workerMetrics);
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required for the worker process (npm start embeds a dev server instead)');
  const { detection, tenants } = loadEngineFiles(config);
  // Idempotent: search attributes and the agreed retention (R14) are in place before any alert runs.
  const connection = await Connection.connect({ address: config.temporal.address });
  // R14: Temporal keeps the longest agreed retention; the daily purge schedule deletes shorter ones' data on time.
  const retention = retentionOf(tenants.all());
  await prepareNamespace({ connection, namespace: config.temporal.namespace, retentionDays: namespaceRetentionDays(config.temporal.retentionDays, retention) });
  const scheduleClient = new Client({ connection, namespace: config.temporal.namespace });
  await ensureRetentionSchedule({ client: scheduleClient, taskQueue: config.temporal.taskQueue, tenants: retention });
  // R4: one weekly credential-leak check per tenant.
  await ensureLeakCheckSchedules({ client: scheduleClient, taskQueue: config.temporal.taskQueue, tenants: tenants.all() });
  await connection.close();
  const worker = await startWorker(config, config.temporal.address, detection, tenants);
  // The analysis activities read the running rule set per alert; edits to the folder replace it once valid.
  const stopWatchingRules = detection.watch({ log: logLine });
  logLine('info', 'worker running', {
    taskQueue: config.temporal.taskQueue,
    rules: detection.ruleSet.size,
    ...(config.workerMetrics ? { metrics: `http://${config.workerMetrics.host}:${config.workerMetrics.port}/metrics` } : {}),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
  stopWatchingRules();
}

main().catch((error: unknown) => {
  logError('worker failed', error);
  process.exit(1);
});
