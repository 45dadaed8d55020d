/** Wires the worker process: read model, file output, detection rules, then the Temporal worker. */
import { NativeConnection, type Worker } from '@temporalio/worker';
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
import { createAlertWorker } from './alertWorker';
import { loadConfiguredKeyring } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(config: EngineConfig, address: string, detection: DetectionRules, tenants: TenantCatalog): Promise<RunningWorker> {
  // Before connecting: a missing or invalid keys file stops the start (the keys are read once per process).
  const payloadCodec = new TenantPayloadCodec(loadConfiguredKeyring(config.payloadEncryption, tenants.all().map((t) => t.id)));
  const connection = await NativeConnection.connect({ address });
  const readModel = new AlertReadModel(config.readModelFile);
  const ledger = new TenantLedger(config.readModelFile);
  const secrets = secretResolverFromEnvironment();
  const { leakCheck } = config;
  const activities = createActivities({
    detection,
    readModel,
    fileOutput: new TieredFileOutput(config.outputDir),
    email: config.notifications.smtp ? createSmtpEmailSender(config.notifications.smtp) : undefined,
    phone: config.notifications.phone ? createHttpPhoneProvider(config.notifications.phone) : undefined,
    now: () => new Date(),
    response: { tenants, secrets, endpoints: config.vendorEndpoints },
    leakCheck: {
      ledger,
      now: () => new Date(),
      provider: leakCheck
        ? createHibpProvider({ baseUrl: leakCheck.baseUrl, apiKey: () => secrets.resolve(leakCheck.apiKeyRef), userAgent: leakCheck.userAgent, timeoutMs: 30_000 })
        : undefined,
    },
  });
  const worker = await createAlertWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, activities, payloadCodec });
  const done = worker.run().finally(async () => {
    readModel.close();
    ledger.close();
    await connection.close();
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
