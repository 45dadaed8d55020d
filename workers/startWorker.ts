/** Wires the worker process: read model, file output, detection rules, then the Temporal worker. */
import { Client } from '@temporalio/client';
import { connectClient } from '../infra/temporal/clientConnection';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import { GraphWatermarks } from '../activities/intake/graphWatermarks';
import { AlertStarter } from '../ingest/alertStarter';
import { withPackageChanges } from '../ingest/packageInForce';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { createActivities } from '../activities';
import type { DetectionRules } from '../activities/analysis/detectionRules';
import { AlertReadModel } from '../activities/publication/alertReadModel';
import { TieredFileOutput } from '../activities/publication/tieredFileOutput';
import { TenantLedger } from '../activities/publication/tenantLedger';
import { createHibpProvider } from '../activities/leakCheck/breachProvider';
import { createSmtpEmailSender } from '../activities/notification/emailSender';
import { createHttpPhoneProvider } from '../activities/notification/smsSender';
import type { TenantCatalog } from '../domain/tenant/tenantCatalog';
import { secretResolverFromEnvironment, type EngineConfig } from '../infra/config';
import { checkMicrosoft365Connections } from '../infra/microsoft365Connections';
import { createAlertWorker } from './alertWorker';
import { createVendorWorkers, runTogether } from './vendorWorkers';
import { createTracing } from '../infra/telemetry/tracing';
import { tracingClientInterceptors } from '../infra/telemetry/temporalTracing';
import type { PayloadKeyring } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** What the worker needs of the engine's files: the detection rules, the tenants and their terms. */
export interface WorkerFiles {
  detection: DetectionRules;
  tenants: TenantCatalog;
  policyFor: (tenant: Tenant) => TenantPolicy;
  /** The payload keys, read once by the process (workers/engineFiles.ts). */
  payloadKeys: PayloadKeyring;
}

export async function startWorker(config: EngineConfig, address: string, { detection, tenants, policyFor, payloadKeys }: WorkerFiles): Promise<RunningWorker> {
  const payloadCodec = new TenantPayloadCodec(payloadKeys);
  const connection = await NativeConnection.connect(connectionOptionsOf(config, address));
  const readModel = new AlertReadModel(config.readModelFile);
  const ledger = new TenantLedger(config.readModelFile);
  const secrets = secretResolverFromEnvironment();
  if (config.production) checkMicrosoft365Connections(tenants.all(), secrets);
  // Spans of workflows, activities and vendor calls; exported over OTLP when configured (docs/operations.md).
  const tracing = createTracing('soar-worker', { otlpTracesUrl: config.tracing.otlpTracesUrl });
  const response = { tenants, secrets, endpoints: config.vendorEndpoints, tracer: tracing.tracer };
  const { leakCheck } = config;
  // The scheduled Graph pull starts alert workflows itself, as the API's intake does, with the same codec.
  const clientConnection = await connectClient(connectionOptionsOf(config, address));
  const client = new Client({
    connection: clientConnection.connection,
    namespace: config.temporal.namespace,
    dataConverter: { payloadCodecs: [payloadCodec] },
    interceptors: tracingClientInterceptors(tracing),
  });
  const watermarks = new GraphWatermarks(config.readModelFile);
  const activities = createActivities({
    detection,
    readModel,
    fileOutput: new TieredFileOutput(config.outputDir),
    email: config.notifications.smtp ? createSmtpEmailSender(config.notifications.smtp) : undefined,
    phone: config.notifications.phone ? createHttpPhoneProvider(config.notifications.phone) : undefined,
    now: () => new Date(),
    response,
    graphIntake: {
      response,
      watermarks,
      starter: new AlertStarter({ client, taskQueue: config.temporal.taskQueue, policyFor: withPackageChanges(policyFor, ledger, () => new Date()), now: () => new Date() }),
      now: () => new Date(),
      firstPullLookbackMs: config.graphPull.firstPullLookbackMs,
    },
    leakCheck: {
      ledger,
      now: () => new Date(),
      provider: leakCheck
        ? createHibpProvider({ baseUrl: leakCheck.baseUrl, apiKey: () => secrets.resolve(leakCheck.apiKeyRef), userAgent: leakCheck.userAgent, timeoutMs: 30_000, tracer: tracing.tracer })
        : undefined,
    },
  });
  const worker = await createAlertWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    payloadCodec,
    tracing,
    maxCachedWorkflows: config.workerMaxCachedWorkflows ?? undefined,
  });
  // Vendor calls run on their vendors' task queues, rate-limited by Temporal (docs/operations.md).
  const vendorWorkers = await createVendorWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    payloadCodec,
    callsPerMinute: config.vendorCallsPerMinute,
    tenantCallsPerMinute: config.tenantCallsPerMinute,
    tracing,
  });
  const done = runTogether([worker, ...vendorWorkers]).finally(async () => {
    readModel.close();
    ledger.close();
    watermarks.close();
    await connection.close();
    await clientConnection.close();
    await tracing.shutdown();
  });
  return {
    worker,
    done,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
