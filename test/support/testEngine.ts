/**
 * The whole engine for a test file, built by the engine's own composition root (engine/composeEngine.ts) from a test
 * configuration: a fresh worker on its own task queue, the API app, a private data folder. A test passes only its
 * overrides (fakes, clock, bundle, tracing).
 */
import { Connection, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import type { AlertActivities } from '../../activities';
import type { ApiKeyRegistry } from '../../api/auth/apiKeys';
import type { ApiMetrics } from '../../api/http/metrics';
import type { HardeningOptions } from '../../api/http/hardening';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { composeEngine } from '../../engine/composeEngine';
import { loadConfig, type EngineConfig } from '../../infra/config';
import { createSecretResolver } from '../../infra/secrets';
import { prepareNamespace } from '../../infra/temporal/prepareNamespace';
import type { TenantPayloadCodec } from '../../infra/crypto/tenantPayloadCodec';
import { createLogger } from '../../infra/logger';
import type { EventIntake } from '../../ingest/eventIntake';
import type { SyslogStatsSnapshot } from '../../ingest/syslog/syslogStats';
import type { AlertReadModel } from '../../stores/alertReadModel';
import type { EngineStores } from '../../stores/engineStores';
import type { TenantLedger } from '../../stores/tenantLedger';
import type { WorkOrderStore } from '../../stores/workOrderStore';
import type { VendorCallLimits } from '../../workers/vendorWorkers';
import type { DestinationStream } from 'pino';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { REPO, testDatabase, testTemporal } from './testEnv';
import { devKeyOf } from './devKeys';

export { REPO };

export interface TestEngine {
  app: Express;
  client: Client;
  keys: ApiKeyRegistry;
  readModel: AlertReadModel;
  /** Billable work orders as billing records. */
  workOrders: WorkOrderStore;
  /** The figures GET /metrics serves. */
  metrics: ApiMetrics;
  /** Package changes (R16) and leak findings (R4). */
  ledger: TenantLedger;
  stores: EngineStores;
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
  /** The task queue to serve (another engine's, for a second worker build beside it); default: a new one. */
  taskQueue?: string;
  /** Worker Versioning: the alert worker's deployment name and build id (SOAR_WORKER_DEPLOYMENT_NAME, SOAR_WORKER_BUILD_ID). */
  workerDeployment?: { deploymentName: string; buildId: string };
  /** The real response activities against these vendor endpoints, with secrets from this environment. */
  vendors?: { endpoints: { graphBaseUrl: string; authorityHost: string; defenderBaseUrl: string }; secretEnv: Record<string, string> };
  /** The Temporal UI origin the codec endpoint answers CORS for. */
  codecCorsOrigin?: string;
  /** The Temporal UI's address, served behind the dashboard's login (SOAR_TEMPORAL_UI_URL). */
  temporalUiUrl?: string;
  /** The engine's state in this PostgreSQL database (several engines may share one, as API processes do). */
  databaseUrl?: string;
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
  /** Checks sipgate's push signatures with a fake's own public key (sipgate's private key is in no test). */
  sipgateSignature?: (signature: string, body: string) => boolean;
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
  /** SOAR_WORKFLOW_TRACING: spans made inside the workflows this engine starts; unset: the configuration's default (off). */
  workflowTracing?: 'on' | 'off';
  /** How long intake waits for a workflow start (default 10 s, API_START_DEADLINE_MS). */
  startDeadlineMs?: number;
  /** More environment for the engine's configuration (an integration's variables), parsed like the process's. */
  env?: Record<string, string>;
  /** The values the configuration's `env:` secret references resolve to (an integration's keys). */
  secretEnv?: Record<string, string>;
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const shared = testTemporal();
  const address = options.temporal?.address ?? shared.address;
  const namespace = options.temporal?.namespace ?? (options.ownNamespace ? await ownNamespace(address) : shared.namespace);
  const dataDir = mkdtempSync(join(shared.workDir, 'engine-'));
  const taskQueue = options.externalWorker?.taskQueue ?? options.taskQueue ?? `test-${randomUUID()}`;
  // SOAR_TEST_STORE=postgres runs every test engine on a database of its own on the run's PostgreSQL (default: SQLite).
  const databaseUrl = options.databaseUrl ?? (process.env['SOAR_TEST_STORE'] === 'postgres' ? await testDatabase('engine') : null);
  const config = testConfig(options, { namespace, taskQueue, dataDir, payloadKeysFile: shared.payloadKeysFile, databaseUrl });
  const secrets = createSecretResolver({ ...options.vendors?.secretEnv, ...options.secretEnv, ...(options.leakCheck ? { SOAR_TEST_HIBP_KEY: options.leakCheck.apiKey } : {}) });
  const engine = await composeEngine(
    config,
    address,
    { worker: !options.externalWorker, api: true },
    {
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.activities ? { activities: options.activities } : {}),
      response: options.vendors ? { secrets, machineActionPollMs: 50 } : options.leakCheck ? { secrets } : false,
      ...(options.secretEnv ? { secrets } : {}),
      workflowBundle: { codePath: shared.bundlePath },
      ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
      logger: createLogger({ level: options.logDestination ? 'info' : 'silent', destination: options.logDestination }),
      logError: (line, error) => process.stderr.write(`[api] ${line}: ${error instanceof Error ? error.message : String(error)}\n`),
      ...(options.accountNow ? { accountNow: options.accountNow } : {}),
      ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
      metricsCacheMs: 0,
      ...(options.sipgateSignature ? { sipgateSignature: options.sipgateSignature } : {}),
    },
  );
  const api = engine.api;
  if (!api) throw new Error('the test engine runs the API');
  const { keys } = engine.files;
  return {
    app: api.app,
    client: engine.client,
    keys,
    readModel: engine.stores.readModel,
    workOrders: engine.stores.workOrders,
    metrics: api.metrics,
    ledger: engine.stores.ledger,
    stores: engine.stores,
    outputDir: config.outputDir,
    taskQueue,
    events: api.events,
    setSyslogStats: (stats) => api.setSyslogStats(stats),
    payloadCodec: engine.payloadCodec,
    key: (role, tenantId, keyId) => devKeyOf(keys.devKeys, role, tenantId, keyId),
    stop: () => engine.stop(),
  };
}

/** The engine's configuration as a test runs it: the production parser over a test environment, then the test's limits. */
function testConfig(options: TestEngineOptions, at: { namespace: string; taskQueue: string; dataDir: string; payloadKeysFile: string; databaseUrl: string | null }): EngineConfig {
  const { smtpPort, phoneBaseUrl } = options.notifications ?? {};
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    TEMPORAL_NAMESPACE: at.namespace,
    TEMPORAL_TASK_QUEUE: at.taskQueue,
    SOAR_DATA_DIR: at.dataDir,
    SOAR_TENANTS_DIR: options.tenantsDir ?? join(REPO, 'config/tenants'),
    SOAR_RULES_DIR: options.rulesDir ?? join(REPO, 'detection/rules'),
    SOAR_PLAYBOOKS_DIR: options.playbooksDir ?? join(REPO, 'playbooks'),
    SOAR_PAYLOAD_KEYS_FILE: at.payloadKeysFile,
    SOAR_GRAPH_PULL_LOOKBACK_HOURS: String(30 * 24),
    ...(smtpPort ? { SOAR_SMTP_HOST: '127.0.0.1', SOAR_SMTP_PORT: String(smtpPort), SOAR_SMTP_SECURITY: 'none', SOAR_SMTP_TIMEOUT_MS: '5000' } : {}),
    ...(phoneBaseUrl ? { SOAR_PHONE_API_URL: phoneBaseUrl, SOAR_PHONE_API_TOKEN: 'test-phone-token' } : {}),
    ...(options.leakCheck ? { SOAR_HIBP_BASE_URL: options.leakCheck.hibpBaseUrl, SOAR_HIBP_API_KEY_REF: 'env:SOAR_TEST_HIBP_KEY', SOAR_HIBP_USER_AGENT: 'soar-engine-test' } : {}),
    ...(options.codecCorsOrigin ? { SOAR_CODEC_CORS_ORIGIN: options.codecCorsOrigin } : {}),
    ...(options.temporalUiUrl ? { SOAR_TEMPORAL_UI_URL: options.temporalUiUrl } : {}),
    ...(options.metricsToken ? { SOAR_METRICS_TOKEN: options.metricsToken } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { SOAR_WORKER_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows) } : {}),
    ...(options.workflowTracing ? { SOAR_WORKFLOW_TRACING: options.workflowTracing } : {}),
    ...(options.startDeadlineMs !== undefined ? { API_START_DEADLINE_MS: String(options.startDeadlineMs) } : {}),
    ...(at.databaseUrl ? { SOAR_DATABASE_URL: at.databaseUrl } : {}),
    ...(options.workerDeployment ? { SOAR_WORKER_DEPLOYMENT_NAME: options.workerDeployment.deploymentName, SOAR_WORKER_BUILD_ID: options.workerDeployment.buildId } : {}),
    ...options.env,
  };
  const base = loadConfig(env, REPO);
  const vendors = options.vendors?.endpoints;
  return {
    ...base,
    ...(vendors ? { vendorEndpoints: vendors } : {}),
    events: {
      ...base.events,
      correlationWindowMs: options.correlationWindowMs ?? 15 * 60_000,
      bodyLimitBytes: options.eventsBodyLimitBytes ?? 1024 * 1024,
    },
    api: { ...base.api, bodyLimitBytes: options.bodyLimitBytes ?? 256 * 1024, ...hardeningOf(options.hardening) },
    outboxFile: options.outboxFile ?? null,
    // Tests are not about the vendors' rates: generous limits unless a test sets its own.
    vendorCallsPerMinute: { graph: 60_000, defender: 60_000, firewall: 60_000, hibp: 60_000, virustotal: 60_000, abuseipdb: 60_000, misp: 60_000, ...options.vendorCallsPerMinute },
  };
}

/** A test's limits in the configuration's shape (the fields it sets; the rest keep the configuration's defaults). */
function hardeningOf(hardening: Partial<HardeningOptions> = {}) {
  const set = Object.entries(hardening).filter(([, value]) => value !== undefined);
  return Object.fromEntries(set.map(([key, value]) => [key, Array.isArray(value) ? [...value] : value])) as Partial<EngineConfig['api']>;
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
