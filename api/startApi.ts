/** Wires the API process: Temporal client, services, the express app, and a listening server that closes gracefully. */
import { Client } from '@temporalio/client';
import { connectClient } from '../infra/temporal/clientConnection';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import type { Server } from 'node:http';
import type { EngineConfig } from '../infra/config';
import type { TenantCatalog } from '../domain/tenant/loadTenants';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { createApp } from './app';
import { createTracing } from '../infra/telemetry/tracing';
import { tracingClientInterceptors } from '../infra/telemetry/temporalTracing';
import { createApiMetrics } from './http/metrics';
import { countRunningAlertsByState } from './services/alertCounts';
import { countApprovalsWaiting } from './services/approvalsWaiting';
import { rootLogger } from '../infra/logger';
import type { ApiKeyRegistry } from './auth/apiKeys';
import { AlertIntake } from './services/alertIntake';
import { AlertQueries } from './services/alertQueries';
import { CursorSeal } from './services/cursorSeal';
import { AlertTriage } from './services/alertTriage';
import { AnalystQueue } from './services/analystQueue';
import { WorkOrders } from './services/workOrders';
import { PlaybookRuns, type PlaybookSource } from './services/playbookRuns';
import { AlertAudit } from './services/alertAudit';
import { WorkflowProblems } from './services/workflowProblems';
import { Replayer } from '../infra/audit/replayer';
import { WORKFLOWS_PATH } from '../workers/alertWorker';
import type { PayloadKeyring } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { reportEndpointsOutsideGermany } from '../infra/endpointLocations';
import { logLine } from '../infra/logger';
import { PayloadCodecEndpoint } from './services/payloadCodecEndpoint';
import type { DetectionRules } from '../activities/analysis/detectionRules';
import { detectionStatus, LiveDetectionRules } from '../activities/analysis/liveDetectionRules';
import type { EventMappings } from '../detection/eventMapping';
import { EventIntake } from '../ingest/eventIntake';
import { SenderDirectory } from '../ingest/syslog/senderDirectory';
import { startSyslogListener, type RunningSyslog } from '../ingest/syslog/syslogListener';
import { AlertReadModel } from '../activities/publication/alertReadModel';
import { TenantLedger } from '../activities/publication/tenantLedger';
import { FairUse } from './services/fairUse';
import { TenantReports } from './services/tenantReports';
import { PackageChanges } from './services/packageChanges';
import { withPackageChanges } from '../ingest/packageInForce';

export interface RunningApi {
  url: string;
  /** The syslog listener, when `config.events.syslog.port` is set (0: free ports). */
  syslog: { udpPort: number; tcpPort: number } | null;
  stop(): Promise<void>;
}

export async function startApi(
  config: EngineConfig,
  address: string,
  files: {
    tenants: TenantCatalog;
    keys: ApiKeyRegistry;
    playbooks: PlaybookSource;
    policyFor: (tenant: Tenant) => TenantPolicy;
    detection: DetectionRules;
    mappings: EventMappings;
    /** The payload keys, read once by the process (workers/engineFiles.ts). */
    payloadKeys: PayloadKeyring;
  },
  logError: (line: string, error: unknown) => void,
): Promise<RunningApi> {
  // The same codec as the worker's: what the API starts, signals and queries is encrypted with the tenant's key.
  const keyring = files.payloadKeys;
  const payloadCodec = new TenantPayloadCodec(keyring);
  // List cursors are sealed with a key every API process derives alike (api/services/cursorSeal.ts).
  const cursors = new CursorSeal(keyring.derivedKey('list-cursors'));
  const temporal = await connectClient(connectionOptionsOf(config, address));
  const { connection } = temporal;
  // A span per request; a workflow started in one carries the trace to the worker (docs/operations.md).
  const tracing = createTracing('soar-api', { otlpTracesUrl: config.tracing.otlpTracesUrl });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: { payloadCodecs: [payloadCodec] },
    interceptors: tracingClientInterceptors(tracing),
  });
  const queries = new AlertQueries({ client, namespace: config.temporal.namespace, cursors });
  // The read model's file also holds package changes (R16) and leak findings (R4); the package is read per alert.
  const readModel = new AlertReadModel(config.readModelFile);
  const ledger = new TenantLedger(config.readModelFile);
  const policyFor = withPackageChanges(files.policyFor, ledger, () => new Date());
  const events = new EventIntake({
    client,
    taskQueue: config.temporal.taskQueue,
    tenants: files.tenants,
    policyFor,
    detection: files.detection,
    mappings: files.mappings,
    windowMs: config.events.correlationWindowMs,
    now: () => new Date(),
    startDeadlineMs: config.api.startDeadlineMs,
  });
  let syslog: RunningSyslog | null = null;
  // Rule files edited at run time replace the running set once the whole folder is valid (detection/rules/README.md).
  const stopWatchingRules = files.detection instanceof LiveDetectionRules ? files.detection.watch({ log: logLine }) : () => undefined;
  const metrics = createApiMetrics({ waitingAlerts: countRunningAlertsByState(client), approvalsWaiting: countApprovalsWaiting(client, config.temporal.namespace) });
  const app = createApp({
    intake: new AlertIntake({
      client,
      taskQueue: config.temporal.taskQueue,
      tenants: files.tenants,
      policyFor,
      now: () => new Date(),
      startDeadlineMs: config.api.startDeadlineMs,
      onAccepted: (alert) => metrics.alertsReceived.inc({ tenant: alert.tenantId, severity: alert.vendorSeverity ?? 'unknown' }),
    }),
    queries,
    problems: new WorkflowProblems({ client, namespace: config.temporal.namespace, cursors }),
    playbookRuns: new PlaybookRuns({ client, queries, playbooks: files.playbooks }),
    // The workflow bundle for replay is built on the first replay request, once per process.
    audit: new AlertAudit({ client, replayer: new Replayer({ workflowsPath: WORKFLOWS_PATH, payloadCodec }), payloadCodec }),
    codec: new PayloadCodecEndpoint({ codec: payloadCodec, namespace: config.temporal.namespace, record: (fields) => logLine('info', 'payload codec used', fields) }),
    codecCorsOrigin: config.payloadEncryption.codecCorsOrigin,
    triage: new AlertTriage({ client }),
    queue: new AnalystQueue({ client, namespace: config.temporal.namespace, tenants: files.tenants }),
    workOrders: new WorkOrders({ client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, tenants: files.tenants, now: () => new Date(), packageOf: (tenant) => policyFor(tenant).package }),
    events: { events, bodyLimitBytes: config.events.bodyLimitBytes, syslogStats: () => syslog?.stats.snapshot() ?? null },
    account: {
      packageChanges: new PackageChanges({ ledger, tenants: files.tenants, now: () => new Date() }),
      fairUse: new FairUse({ readModel, tenants: files.tenants }),
      reports: new TenantReports({ readModel, tenants: files.tenants, now: () => new Date() }),
      ledger,
    },
    keys: files.keys,
    tenants: files.tenants,
    bodyLimitBytes: config.api.bodyLimitBytes,
    isReady: async () => {
      await connection.workflowService.getSystemInfo({});
      return true;
    },
    logError,
    detectionStatus: () => detectionStatus(files.detection),
    endpointsOutsideGermany: reportEndpointsOutsideGermany(config.endpointLocations),
    logger: rootLogger(),
    metrics,
    metricsToken: config.api.metricsToken,
    tracer: tracing.tracer,
    hardening: config.api,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.api.port, config.api.host, () => resolve(listening));
    listening.once('error', reject);
  });
  // Node's own limits cut off a client that trickles its headers or body (slowloris); the per-request limit answers first.
  server.headersTimeout = Math.min(20_000, config.api.requestTimeoutMs);
  server.requestTimeout = config.api.requestTimeoutMs + 5_000;
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.api.port;
  const { syslog: syslogConfig } = config.events;
  if (syslogConfig.port !== null) {
    syslog = await startSyslogListener({ host: syslogConfig.host, port: syslogConfig.port, intake: events, senders: new SenderDirectory(files.tenants), logError });
  }
  return {
    url: `http://${config.api.host}:${port}`,
    syslog: syslog ? { udpPort: syslog.udpPort, tcpPort: syslog.tcpPort } : null,
    stop: async () => {
      // Finish requests in flight, then drop keep-alive connections that linger.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
      await syslog?.stop();
      stopWatchingRules();
      await temporal.close();
      await tracing.shutdown();
      ledger.close();
      readModel.close();
    },
  };
}
