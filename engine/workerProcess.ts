/** The worker process for production: connects to the configured Temporal cluster and runs alert workflows. */
import { loadConfig } from '../infra/config';
import { prepareWorkerNamespace } from '../workers/prepareWorkerNamespace';
import { configureLogging, logError, logLine } from '../infra/logger';
import { installWorkerRuntime } from '../infra/temporal/workerRuntime';
import { loadEngineFiles } from './engineFiles';
import { composeEngine } from './composeEngine';
import { threadHeapMiB } from '../infra/temporal/workflowThreads';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before any connection: the SDK's logs and metrics are set for the process once.
  installWorkerRuntime(configureLogging(config.logLevel, config.logFormat ?? 'json'), config.workerMetrics);
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required for the worker process (npm start embeds a dev server instead)');
  const files = loadEngineFiles(config);
  // Idempotent: search attributes, retention (R14) and the schedules (R14 purge, R4 leak checks, R3 Graph pulls).
  await prepareWorkerNamespace(config, config.temporal.address, files);
  // The analysis activities read the running rule set per alert; edits to the folder replace it once valid.
  const engine = await composeEngine(config, config.temporal.address, { worker: true, api: false }, { files, watchRules: true });
  const worker = engine.worker;
  if (!worker) throw new Error('the engine started no worker');
  logLine('info', 'worker running', {
    taskQueue: config.temporal.taskQueue,
    rules: files.detection.ruleSet.size,
    store: engine.stores.kind,
    // The SDK's effective cache size (SOAR_WORKER_MAX_CACHED_WORKFLOWS, or its default from the heap limit).
    maxCachedWorkflows: worker.worker.options.maxCachedWorkflows,
    // The workflow thread's heap limit (SOAR_WORKFLOW_HEAP_MIB, or its default from the cache size).
    workflowHeapMiB: threadHeapMiB(config.workflowThreads, worker.worker.options.maxCachedWorkflows),
    ...(config.workerMetrics ? { metrics: `http://${config.workerMetrics.host}:${config.workerMetrics.port}/metrics` } : {}),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
  await engine.stop();
}

main().catch((error: unknown) => {
  logError('worker failed', error);
  process.exit(1);
});
