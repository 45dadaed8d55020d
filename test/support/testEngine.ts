/** The whole engine for a test file: a fresh worker on its own task queue, the API app, and a private data folder. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { createActivities, type AlertActivities } from '../../activities';
import { loadDetectionRules } from '../../activities/analysis/detectionRules';
import { AlertReadModel } from '../../activities/publication/alertReadModel';
import { TieredFileOutput } from '../../activities/publication/tieredFileOutput';
import { createApp } from '../../api/app';
import { loadApiKeys, type ApiKeyRegistry } from '../../api/auth/apiKeys';
import { AlertIntake } from '../../api/services/alertIntake';
import { ruleDetailsFrom } from '../../api/services/ruleDetails';
import { AlertQueries } from '../../api/services/alertQueries';
import { CursorSeal } from '../../api/services/cursorSeal';
import { AlertTriage } from '../../api/services/alertTriage';
import { AnalystQueue } from '../../api/services/analystQueue';
import { PlaybookRuns } from '../../api/services/playbookRuns';
import { AlertAudit } from '../../api/services/alertAudit';
import { WorkflowProblems } from '../../api/services/workflowProblems';
import { Replayer } from '../../infra/audit/replayer';
import { loadPlaybookDirectory } from '../../domain/playbook/loadPlaybooks';
import { WorkOrders } from '../../api/services/workOrders';
import { loadTenantDirectory } from '../../domain/tenant/loadTenants';
import { loadOnCallDirectory, policyOf } from '../../domain/soc/onCallDirectory';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { createAlertWorker } from '../../workers/alertWorker';
import { createVendorWorkers, runTogether, type VendorCallLimits } from '../../workers/vendorWorkers';
import { createSmtpEmailSender } from '../../activities/notification/emailSender';
import { createHttpPhoneProvider } from '../../activities/notification/smsSender';
import { createSecretResolver } from '../../infra/secrets';
import { prepareNamespace } from '../../infra/temporal/prepareNamespace';
import { connectClient } from '../../infra/temporal/clientConnection';
import { REPO, testTemporal } from './testEnv';
import { devKeyOf } from './devKeys';
import { loadMappings } from '../../detection/eventMapping';
import { EventIntake } from '../../ingest/eventIntake';
import type { SyslogStatsSnapshot } from '../../ingest/syslog/syslogStats';
import { loadConfiguredKeyring } from '../../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../../infra/crypto/tenantPayloadCodec';
import { PayloadCodecEndpoint } from '../../api/services/payloadCodecEndpoint';
import { TenantLedger } from '../../activities/publication/tenantLedger';
import { createHibpProvider } from '../../activities/leakCheck/breachProvider';
import { FairUse } from '../../api/services/fairUse';
import { TenantReports } from '../../api/services/tenantReports';
import { PackageChanges } from '../../api/services/packageChanges';
import { withPackageChanges } from '../../ingest/packageInForce';
import { AlertStarter } from '../../ingest/alertStarter';
import { GraphWatermarks } from '../../activities/intake/graphWatermarks';

import { createApiMetrics, type ApiMetrics } from '../../api/http/metrics';
import type { HardeningOptions } from '../../api/http/hardening';
import { countRunningAlertsByState } from '../../api/services/alertCounts';
import { createLogger } from '../../infra/logger';
import type { DestinationStream } from 'pino';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTracing } from '../../infra/telemetry/tracing';
import { tracingClientInterceptors } from '../../infra/telemetry/temporalTracing';

export { REPO };

export interface TestEngine {
  app: Express;
  client: Client;
  keys: ApiKeyRegistry;
  readModel: AlertReadModel;
  /** The figures GET /metrics serves. */
  metrics: ApiMetrics;
  /** Package changes (R16) and leak findings (R4), in the read model's file. */
  ledger: TenantLedger;
  outputDir: string;
  taskQueue: string;
  /** Event intake (POST /v1/events and syslog) of this engine. */
  events: EventIntake;
  /** Shown at GET /v1/ingest/syslog: a test that runs a syslog listener sets it. */
  setSyslogStats(stats: () => SyslogStatsSnapshot | null): void;
  /** The codec the worker and the client encrypt payloads with (the run's random keys, globalSetup). */
  payloadCodec: TenantPayloadCodec;
  /** The dev key of a role (and tenant, for tenant-bound roles; or a key id). */
  key(role: string, tenantId?: string, keyId?: string): string;
  stop(): Promise<void>;
}

export interface TestEngineOptions {
  tenantsDir?: string;
  rulesDir?: string;
  /** Correlation window of event hits (default 15 minutes). */
  correlationWindowMs?: number;
  /** Body limit of POST /v1/events (default 1 MiB). */
  eventsBodyLimitBytes?: number;
  playbooksDir?: string;
  bodyLimitBytes?: number;
  /** Adjust a tenant's terms as its workflows see them (short escalation timeouts, opening hours). */
  policy?: (policy: TenantPolicy) => TenantPolicy;
  /** Where notifications go: a test SMTP server's port and a test phone provider's URL. */
  notifications?: { smtpPort?: number; phoneBaseUrl?: string };
  /** No worker in this process: the test runs one elsewhere (a separate process it can kill) on `taskQueue`. */
  externalWorker?: { taskQueue: string };
  /** The real response activities against these vendor endpoints, with secrets from this environment. */
  vendors?: { endpoints: { graphBaseUrl: string; authorityHost: string; defenderBaseUrl: string }; secretEnv: Record<string, string> };
  /** The Temporal UI origin the codec endpoint answers CORS for. */
  codecCorsOrigin?: string;
  /** The clock of package change requests (R16); the intake reads the package in force at the real time. */
  accountNow?: () => Date;
  /** The weekly leak check (R4) against a Have I Been Pwned stand-in at this address, with this key. */
  leakCheck?: { hibpBaseUrl: string; apiKey: string };
  /** Replace or wrap activities, for tests about orchestration. */
  activities?: (real: AlertActivities) => AlertActivities;
  /** Where the API's log lines go (a test reads them); unset: no request log. */
  logDestination?: DestinationStream;
  /** Rate and time limits, CORS origins; unset: the defaults. */
  hardening?: Partial<HardeningOptions>;
  /** Where the engine's client (the API's) reaches Temporal, e.g. a proxy the test cuts; the worker connects directly. */
  clientAddress?: string;
  /** Calls per minute of the vendor task queues (default: generous, tests are not about them). */
  vendorCallsPerMinute?: Partial<VendorCallLimits>;
  /** The bearer token GET /metrics accepts besides admin keys. */
  metricsToken?: string;
  /** The embedded set-up's outbox file, listed on /dashboard/outbox (infra/outbox). */
  outboxFile?: string;
  /** A namespace of its own (registered with the engine's search attributes), so lists show only this engine's alerts. */
  ownNamespace?: boolean;
  /** Where the API's and the worker's spans go (an in-memory exporter's processor); unset: nowhere. */
  spanProcessors?: SpanProcessor[];
  /** Another Temporal server than the run's shared one (a test that kills its server), with a namespace it already has. */
  temporal?: { address: string; namespace: string };
  /** The worker's workflow cache size; unset: the SDK default. */
  maxCachedWorkflows?: number;
  /** How long intake waits for a workflow start (default 10 s, API_START_DEADLINE_MS). */
  startDeadlineMs?: number;
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const shared = testTemporal();
  const { bundlePath, workDir, payloadKeysFile } = shared;
  const address = options.temporal?.address ?? shared.address;
  const namespace = options.temporal?.namespace ?? (options.ownNamespace ? await ownNamespace(address) : shared.namespace);
  const dataDir = mkdtempSync(join(workDir, 'engine-'));
  const taskQueue = options.externalWorker?.taskQueue ?? `test-${randomUUID()}`;
  const tenants = loadTenantDirectory(options.tenantsDir ?? join(REPO, 'config/tenants'));
  const detection = loadDetectionRules(options.rulesDir ?? join(REPO, 'detection/rules'));
  const onCall = loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml'));
  const playbooks = loadPlaybookDirectory(options.playbooksDir ?? join(REPO, 'playbooks'));
  const adjust = options.policy ?? ((policy: TenantPolicy) => policy);
  const keys = loadApiKeys(join(REPO, 'config/dev/api-keys.yaml'), { production: false });
  const readModel = new AlertReadModel(join(dataDir, 'read-model.sqlite'));
  const ledger = new TenantLedger(join(dataDir, 'read-model.sqlite'));
  const policyFor = withPackageChanges((tenant) => adjust(policyOf(tenant, onCall, playbooks)), ledger, () => new Date());
  const outputDir = join(dataDir, 'outputs');
  const { smtpPort, phoneBaseUrl } = options.notifications ?? {};
  const keyring = loadConfiguredKeyring({ keysFile: payloadKeysFile }, tenants.all().map((t) => t.id));
  const payloadCodec = new TenantPayloadCodec(keyring);
  const cursors = new CursorSeal(keyring.derivedKey('list-cursors'));
  const apiTracing = createTracing('soar-api', { otlpTracesUrl: null, processors: options.spanProcessors });
  const workerTracing = createTracing('soar-worker', { otlpTracesUrl: null, processors: options.spanProcessors });
  const temporal = await connectClient({ address: options.clientAddress ?? address });
  const { connection } = temporal;
  const client = new Client({ connection, namespace, dataConverter: { payloadCodecs: [payloadCodec] }, interceptors: tracingClientInterceptors(apiTracing) });
  const responseDeps = options.vendors
    ? { tenants, secrets: createSecretResolver(options.vendors.secretEnv), endpoints: options.vendors.endpoints, machineActionPollMs: 50, tracer: workerTracing.tracer }
    : undefined;
  const graphWatermarks = new GraphWatermarks(join(dataDir, 'read-model.sqlite'));
  const real = createActivities({
    detection,
    readModel,
    fileOutput: new TieredFileOutput(outputDir),
    email: smtpPort ? createSmtpEmailSender({ host: '127.0.0.1', port: smtpPort, security: 'none', from: 'soc@soc-provider.example', timeoutMs: 5_000 }) : undefined,
    phone: phoneBaseUrl ? createHttpPhoneProvider({ baseUrl: phoneBaseUrl, from: 'SOC', token: 'test-phone-token', timeoutMs: 5_000 }) : undefined,
    now: () => new Date(),
    leakCheck: {
      ledger,
      now: () => new Date(),
      provider: options.leakCheck
        ? createHibpProvider({ baseUrl: options.leakCheck.hibpBaseUrl, apiKey: () => options.leakCheck?.apiKey ?? '', userAgent: 'soar-engine-test', timeoutMs: 5_000 })
        : undefined,
    },
    ...(responseDeps
      ? {
          response: responseDeps,
          graphIntake: {
            response: responseDeps,
            watermarks: graphWatermarks,
            starter: new AlertStarter({ client, taskQueue, policyFor, now: () => new Date() }),
            now: () => new Date(),
            firstPullLookbackMs: 30 * 24 * 3_600_000,
          },
        }
      : {}),
  });

  const workerActivities = options.activities ? options.activities(real) : real;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker: Worker | null = options.externalWorker
    ? null
    : await createAlertWorker({
        connection: nativeConnection,
        namespace,
        taskQueue,
        activities: workerActivities,
        workflowBundle: { codePath: bundlePath },
        payloadCodec,
        tracing: workerTracing,
        maxCachedWorkflows: options.maxCachedWorkflows,
      });
  const vendorWorkers = worker
    ? await createVendorWorkers({
        connection: nativeConnection,
        namespace,
        taskQueue,
        activities: workerActivities,
        payloadCodec,
        callsPerMinute: { graph: 60_000, defender: 60_000, firewall: 60_000, hibp: 60_000, ...options.vendorCallsPerMinute },
        tracing: workerTracing,
      })
    : [];
  const running = worker ? runTogether([worker, ...vendorWorkers]) : undefined;
  const queries = new AlertQueries({ client, namespace, cursors, ruleDetails: ruleDetailsFrom(options.rulesDir ?? join(REPO, 'detection/rules'), detection) });
  const events = new EventIntake({
    client,
    taskQueue,
    tenants,
    policyFor,
    detection,
    mappings: loadMappings(join(REPO, 'detection/mappings')),
    windowMs: options.correlationWindowMs ?? 15 * 60_000,
    now: () => new Date(),
    startDeadlineMs: options.startDeadlineMs,
  });
  let syslogStats: () => SyslogStatsSnapshot | null = () => null;
  const metrics = createApiMetrics({ waitingAlerts: countRunningAlertsByState(client), waitingCacheMs: 0 });
  const app = createApp({
    intake: new AlertIntake({
      client,
      taskQueue,
      tenants,
      policyFor,
      now: () => new Date(),
      startDeadlineMs: options.startDeadlineMs,
      onAccepted: (alert) => metrics.alertsReceived.inc({ tenant: alert.tenantId, severity: alert.vendorSeverity ?? 'unknown' }),
    }),
    queries,
    problems: new WorkflowProblems({ client, namespace, cursors }),
    playbookRuns: new PlaybookRuns({ client, queries, playbooks }),
    audit: new AlertAudit({ client, replayer: new Replayer({ workflowBundle: { codePath: bundlePath }, payloadCodec }), payloadCodec }),
    codec: new PayloadCodecEndpoint({ codec: payloadCodec, namespace, record: () => undefined }),
    codecCorsOrigin: options.codecCorsOrigin ?? null,
    triage: new AlertTriage({ client }),
    queue: new AnalystQueue({ client, namespace, tenants }),
    workOrders: new WorkOrders({ client, namespace, taskQueue, tenants, now: () => new Date(), packageOf: (tenant) => policyFor(tenant).package }),
    events: { events, bodyLimitBytes: options.eventsBodyLimitBytes ?? 1024 * 1024, syslogStats: () => syslogStats() },
    account: {
      packageChanges: new PackageChanges({ ledger, tenants, now: options.accountNow ?? (() => new Date()) }),
      fairUse: new FairUse({ readModel, tenants }),
      reports: new TenantReports({ readModel, tenants, now: () => new Date() }),
      ledger,
    },
    keys,
    tenants,
    bodyLimitBytes: options.bodyLimitBytes ?? 256 * 1024,
    isReady: async () => {
      await connection.workflowService.getSystemInfo({});
      return true;
    },
    logError: (line, error) => process.stderr.write(`[api] ${line}: ${error instanceof Error ? error.message : String(error)}\n`),
    logger: createLogger({ level: options.logDestination ? 'info' : 'silent', destination: options.logDestination }),
    metrics,
    metricsToken: options.metricsToken ?? null,
    outboxFile: options.outboxFile ?? null,
    tracer: apiTracing.tracer,
    hardening: options.hardening,
  });

  return {
    app,
    client,
    keys,
    readModel,
    metrics,
    ledger,
    outputDir,
    taskQueue,
    events,
    setSyslogStats(stats) {
      syslogStats = stats;
    },
    payloadCodec,
    key: (role, tenantId, keyId) => devKeyOf(keys.devKeys, role, tenantId, keyId),
    async stop() {
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await temporal.close();
      readModel.close();
      ledger.close();
      graphWatermarks.close();
    },
  };
}

/** Terms with service open throughout, for tests that are not about waiting for service hours. */
export function alwaysInService(policy: TenantPolicy): TenantPolicy {
  return { ...policy, terms: { ...policy.terms, windows: [{ from: '2020-01-01T00:00:00Z', to: '2050-01-01T00:00:00Z' }] } };
}

/** Registers a fresh namespace with the engine's search attributes and waits until it is usable. */
async function ownNamespace(address: string): Promise<string> {
  const namespace = `test-${randomUUID().slice(0, 8)}`;
  const connection = await Connection.connect({ address });
  try {
    await prepareNamespace({ connection, namespace, retentionDays: 1 });
  } finally {
    await connection.close();
  }
  return namespace;
}
