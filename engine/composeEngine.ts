/**
 * The engine's one composition root: from the configuration (and a test's overrides) it builds the stores, the
 * Temporal clients, the activities and workers, the API's services and app. `npm start`, the worker process, the API
 * process and the tests' engine all call it; nothing else wires the engine.
 */
import { Client } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Express } from 'express';
import { createActivities, type AlertActivities } from '../activities';
import { createHibpProvider } from '../activities/leakCheck/breachProvider';
import { createSmtpEmailSender } from '../activities/notification/emailSender';
import { choosePhoneProvider } from '../activities/notification/choosePhoneProvider';
import type { TeamsChannelSettings } from '../activities/socChannel/teamsChannel';
import type { EnrichmentDeps } from '../activities/enrichment/enrichmentActivities';
import { TieredFileOutput } from '../activities/publication/tieredFileOutput';
import { detectionStatus } from '../activities/analysis/liveDetectionRules';
import type { ResponseDeps } from '../activities/response/tenantAccess';
import { createApp } from '../api/app';
import { createApiMetrics, type ApiMetrics } from '../api/http/metrics';
import { listenApi } from '../api/listenApi';
import { AlertAudit } from '../api/audit/alertAudit';
import { WhatIfQuestions } from '../api/whatIf/whatIfQuestions';
import { ConfigVersions } from '../api/versions/configVersions';
import type { Tenant } from '../domain/tenant/tenantSchema';
import { countRunningAlertsByState } from '../api/alerts/alertCounts';
import { AlertIntake } from '../api/alerts/alertIntake';
import { AlertQueries } from '../api/alerts/alertQueries';
import { ruleDetailsFrom } from '../api/alerts/ruleDetails';
import { AlertTriage } from '../api/triage/alertTriage';
import { AnalystQueue } from '../api/triage/analystQueue';
import { countApprovalsWaiting } from '../api/playbooks/approvalsWaiting';
import { readServiceFigureRows } from '../api/alerts/serviceFigures';
import { CursorSeal } from '../api/alerts/cursorSeal';
import { FairUse } from '../api/tenants/fairUse';
import { PackageChanges } from '../api/tenants/packageChanges';
import { OptionChanges } from '../api/tenants/optionChanges';
import { tenantOnFrom } from '../stores/tenantLedger';
import { PayloadCodecEndpoint } from '../api/codec/payloadCodecEndpoint';
import { PhoneCallbacks } from '../api/phoneCallbacks/phoneCallbacks';
import { PlaybookRuns } from '../api/playbooks/playbookRuns';
import { TenantReports } from '../api/tenants/tenantReports';
import { WorkflowProblems } from '../api/operations/workflowProblems';
import { WorkOrders } from '../api/workOrders/workOrders';
import { loadAnnouncements } from '../api/phoneCallbacks/announcements';
import { SipgateCallbacks, type SipgateCallbackDeps } from '../api/phoneCallbacks/sipgateCallbacks';
import { isSipgateSignature } from 'sipgateio/dist/webhook/signatureVerifier';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { Replayer } from '../infra/audit/replayer';
import { secretResolverFromEnvironment, type EngineConfig } from '../infra/config';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { CallerSigner } from '../infra/crypto/callerSigner';
import { logError as logErrorLine, logLine, rootLogger, type Logger } from '../infra/logger';
import type { SecretResolver } from '../infra/secrets';
import { tracingClientInterceptors } from '../infra/telemetry/temporalTracing';
import { createTracing } from '../infra/telemetry/tracing';
import { connectClient } from '../infra/temporal/clientConnection';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { AlertStarter } from '../ingest/alertStarter';
import { EventIntake } from '../ingest/eventIntake';
import { webhookTargetsOf } from '../domain/webhooks/webhookTargets';
import { withPackageChanges } from '../ingest/packageInForce';
import { SenderDirectory } from '../ingest/syslog/senderDirectory';
import { startSyslogListener, type RunningSyslog } from '../ingest/syslog/syslogListener';
import type { SyslogStatsSnapshot } from '../ingest/syslog/syslogStats';
import type { EngineStores } from '../stores/engineStores';
import { openStores } from '../stores/openStores';
import { checkMicrosoft365Connections } from '../infra/microsoft365Connections';
import { reportEndpointsOutsideGermany } from '../infra/endpointLocations';
import { WORKFLOWS_PATH } from '../workers/alertWorker';
import { startWorkers, type RunningWorker } from '../workers/startWorkers';
import { loadEngineFiles, type EngineFiles } from './engineFiles';

/** Which parts this process runs: the workers, the API, or both (`npm start`, the tests' engine). */
export interface EngineRoles {
  worker: boolean;
  api: boolean;
}

/** What a test replaces; a process passes none. */
export interface EngineOverrides {
  /** Files already loaded by the process (the namespace set-up read them first). */
  files?: EngineFiles;
  /** Adjust a tenant's terms as its workflows see them (short escalation timeouts, opening hours). */
  policy?: (policy: TenantPolicy) => TenantPolicy;
  /** Replace or wrap activities, for tests about orchestration. */
  activities?: (real: AlertActivities) => AlertActivities;
  /** false: no vendor adapters (their activities fail IntegrationNotConfigured); else the secrets they resolve. */
  response?: false | { secrets?: SecretResolver; machineActionPollMs?: number };
  /** A prebuilt workflow bundle (tests bundle once); otherwise bundled from source. */
  workflowBundle?: WorkflowBundleOption;
  /** Where spans go besides OTLP (an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** The API's request log and error log. */
  logger?: Logger;
  logError?: (line: string, error: unknown) => void;
  /** The clock of package change requests (R16). */
  accountNow?: () => Date;
  /** Where the API's client reaches Temporal (a proxy a test cuts); the worker connects to `address`. */
  clientAddress?: string;
  /** How long one visibility count of GET /metrics is reused (tests: 0). */
  metricsCacheMs?: number;
  /** Stores opened by the caller (closed by it too). */
  stores?: EngineStores;
  /** The secrets the configuration's references resolve to, where no `response` override gives them (tests). */
  secrets?: SecretResolver;
  /** Watch the detection rule folder and replace the running set on valid edits (the processes do). */
  watchRules?: boolean;
  /**
   * Tests only: who signs sipgate's push events. sipgate's own private key is not in any test; the library's check has
   * sipgate's public key built in and takes no other, so a test's HTTPS fake signs with its own key pair and the test
   * engine checks with its public key (same algorithm, RSA-SHA256 over the raw body). The configuration has no such
   * switch: every process started from it checks with the library's function.
   */
  sipgateSignature?: (signature: string, body: string) => boolean;
}

export interface EngineApi {
  app: Express;
  metrics: ApiMetrics;
  events: EventIntake;
  /** Shown at GET /v1/ingest/syslog: the syslog listener's counters (set when it runs). */
  setSyslogStats(stats: () => SyslogStatsSnapshot | null): void;
  /** Listens on the configured host and port, and starts the syslog listener when a port is configured. */
  listen(): Promise<{ url: string; syslog: { udpPort: number; tcpPort: number; tlsPort: number | null } | null }>;
}

export interface ComposedEngine {
  config: EngineConfig;
  files: EngineFiles;
  stores: EngineStores;
  payloadCodec: TenantPayloadCodec;
  /** The API's Temporal client (the worker's when this process runs no API). */
  client: Client;
  worker: RunningWorker | null;
  api: EngineApi | null;
  stop(): Promise<void>;
}

export async function composeEngine(config: EngineConfig, address: string, roles: EngineRoles, overrides: EngineOverrides = {}): Promise<ComposedEngine> {
  const files = overrides.files ?? loadEngineFiles(config);
  // The workflow code: the caller's bundle (tests bundle once), the configured prebuilt file, or bundled from source.
  const prebuiltBundle = overrides.workflowBundle ?? (config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined);
  const adjust = overrides.policy;
  const tenantPolicy = adjust ? (tenant: Parameters<EngineFiles['policyFor']>[0]) => adjust(files.policyFor(tenant)) : files.policyFor;
  const stores = overrides.stores ?? (await openStores(config.database, (ref) => secretResolverFromEnvironment().resolve(ref)));
  const closing: (() => Promise<void>)[] = [];
  if (!overrides.stores) closing.push(() => stores.close());
  try {
    const payloadCodec = new TenantPayloadCodec(files.payloadKeys);
    // Updates carry a caller assertion signed with keys derived from the payload keys; workflows verify it (issue 15).
    const callerSigner = new CallerSigner(files.payloadKeys);
    const callerKeys = callerSigner.trustedKeys;
    // New alerts carry their webhook targets in their input: package 1 then needs no look-up activity (issue 18).
    const webhookTargetsFor = (tenant: Parameters<EngineFiles['policyFor']>[0]) => webhookTargetsOf(tenant.webhooks, config.socWebhook !== null);
    const now = () => new Date();
    const packageInForce = withPackageChanges(tenantPolicy, stores.ledger, now);
    // Playbooks and release matrices an admin changed at run time: new alerts and runs take the revision in force.
    const configVersions = new ConfigVersions({ store: stores.versions, playbooks: files.playbooks, tenants: files.tenants, now });
    const policyInForce = async (tenant: Tenant) => configVersions.withMatrixInForce(await packageInForce(tenant));
    const stopWatchingRules = overrides.watchRules ? files.detection.watch({ log: logLine }) : () => undefined;
    closing.push(async () => stopWatchingRules());

    const connectAs = async (service: 'soar-api' | 'soar-worker', clientAddress: string) => {
      // Spans of requests, workflows, activities and vendor calls; exported over OTLP when configured (docs/operations.md).
      const tracing = createTracing(service, { otlpTracesUrl: config.tracing.otlpTracesUrl, processors: overrides.spanProcessors });
      const temporal = await connectClient(connectionOptionsOf(config, clientAddress));
      closing.push(async () => {
        await temporal.close();
        await tracing.shutdown();
      });
      const client = new Client({
        connection: temporal.connection,
        namespace: config.temporal.namespace,
        dataConverter: engineDataConverter(payloadCodec),
        interceptors: tracingClientInterceptors(tracing, config.tracing.workflow),
      });
      return { tracing, client, connection: temporal.connection };
    };

    let worker: RunningWorker | null = null;
    let workerClient: Client | null = null;
    if (roles.worker) {
      // R13: a production worker does not start while a Microsoft 365 tenant's Graph secret cannot be read.
      if (config.production) checkMicrosoft365Connections(files.tenants.all(), secretResolverFromEnvironment());
      const { tracing, client } = await connectAs('soar-worker', address);
      workerClient = client;
      const response: ResponseDeps | undefined =
        overrides.response === false
          ? undefined
          : {
              tenants: files.tenants,
              secrets: overrides.response?.secrets ?? secretResolverFromEnvironment(),
              endpoints: config.vendorEndpoints,
              tracer: tracing.tracer,
              ...(overrides.response?.machineActionPollMs !== undefined ? { machineActionPollMs: overrides.response.machineActionPollMs } : {}),
            };
      const { leakCheck, notifications } = config;
      const secrets = response?.secrets ?? overrides.secrets ?? secretResolverFromEnvironment();
      const real = createActivities({
        detection: files.detection,
        readModel: stores.readModel,
        workOrders: stores.workOrders,
        counters: stores.rateLimits,
        fileOutput: new TieredFileOutput(config.outputDir),
        email: notifications.smtp ? createSmtpEmailSender(notifications.smtp) : undefined,
        phone: choosePhoneProvider(notifications, (ref) => secrets.resolve(ref)),
        ...(config.socChannel ? { socChannel: { teams: teamsChannelOf(config.socChannel, secrets) } } : {}),
        enrichment: enrichmentOf(config.enrichment, secrets, stores.indicatorCache, now),
        webhooks: { tenants: files.tenants, resolveSecret: (ref) => secrets.resolve(ref), soc: config.socWebhook, now },
        now,
        callerSigner,
        ...(response
          ? {
              response,
              // The scheduled Graph pull starts alert workflows itself, as the API's intake does, with the same codec.
              graphIntake: {
                response,
                watermarks: stores.watermarks,
                starter: new AlertStarter({ client, taskQueue: config.temporal.taskQueue, policyFor: policyInForce, now, callerKeys, webhookTargetsFor }),
                now,
                firstPullLookbackMs: config.graphPull.firstPullLookbackMs,
              },
            }
          : {}),
        fairUse: { ledger: stores.ledger },
        leakCheck: {
          ledger: stores.ledger,
          now,
          provider: leakCheck
            ? createHibpProvider({ baseUrl: leakCheck.baseUrl, apiKey: () => secrets.resolve(leakCheck.apiKeyRef), userAgent: leakCheck.userAgent, timeoutMs: 30_000, tracer: tracing.tracer })
            : undefined,
        },
      });
      const connection = await NativeConnection.connect(connectionOptionsOf(config, address));
      closing.push(() => connection.close());
      const running = await startWorkers({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        activities: overrides.activities ? overrides.activities(real) : real,
        payloadCodec,
        tracing,
        workflowBundle: prebuiltBundle,
        maxCachedWorkflows: config.workerMaxCachedWorkflows ?? undefined,
        threads: config.workflowThreads,
        deployment: config.workerDeployment,
        callsPerMinute: config.vendorCallsPerMinute,
        tenantCallsPerMinute: config.tenantCallsPerMinute,
      });
      worker = running;
      // Stopped first: the workers finish their tasks before their connection and the stores close.
      closing.push(() => running.stop());
    }

    let api: EngineApi | null = null;
    let apiClient: Client | null = null;
    if (roles.api) {
      const { tracing, client, connection } = await connectAs('soar-api', overrides.clientAddress ?? address);
      apiClient = client;
      const namespace = config.temporal.namespace;
      const { taskQueue } = config.temporal;
      // List cursors are sealed with a key every API process derives alike (api/alerts/cursorSeal.ts).
      const cursors = new CursorSeal(files.payloadKeys.derivedKey('list-cursors'));
      const queries = new AlertQueries({ client, namespace, cursors, ruleDetails: ruleDetailsFrom(config.rulesDir, files.detection) });
      const events = new EventIntake({
        client,
        taskQueue,
        tenants: files.tenants,
        policyFor: policyInForce,
        detection: files.detection,
        mappings: files.mappings,
        windowMs: config.events.correlationWindowMs,
        now,
        callerKeys,
        startDeadlineMs: config.api.startDeadlineMs,
      });
      const metrics = createApiMetrics({
        waitingAlerts: countRunningAlertsByState(client),
        approvalsWaiting: countApprovalsWaiting(client, namespace),
        serviceFigures: readServiceFigureRows(client, namespace, now),
        ...(overrides.metricsCacheMs !== undefined ? { waitingCacheMs: overrides.metricsCacheMs } : {}),
      });
      let syslogStats: () => SyslogStatsSnapshot | null = () => null;
      const logError = overrides.logError ?? logErrorLine;
      const app = createApp({
        intake: new AlertIntake({
          client,
          taskQueue,
          tenants: files.tenants,
          policyFor: policyInForce,
          now,
          callerKeys,
          webhookTargetsFor,
          startDeadlineMs: config.api.startDeadlineMs,
          onAccepted: (alert) => metrics.alertsReceived.inc({ tenant: alert.tenantId, severity: alert.vendorSeverity ?? 'unknown' }),
        }),
        queries,
        problems: new WorkflowProblems({ client, namespace, cursors }),
        playbookRuns: new PlaybookRuns({ client, queries, playbooks: files.playbooks, signer: callerSigner, versions: configVersions }),
        versions: configVersions,
        whatIf: new WhatIfQuestions({ client, payloadCodec, tenants: files.tenants, policy: { onCall: files.onCall, playbooks: files.playbooks }, now }),
        // The workflow bundle for replay is built on the first replay request, once per process.
        audit: new AlertAudit({
          client,
          replayer: new Replayer({ ...(prebuiltBundle ? { workflowBundle: prebuiltBundle } : { workflowsPath: WORKFLOWS_PATH }), payloadCodec }),
          payloadCodec,
        }),
        codec: new PayloadCodecEndpoint({ codec: payloadCodec, namespace, record: (fields) => logLine('info', 'payload codec used', fields) }),
        codecCorsOrigin: config.payloadEncryption.codecCorsOrigin,
        temporalUiUrl: config.payloadEncryption.temporalUiUrl,
        triage: new AlertTriage({ client, signer: callerSigner }),
        queue: new AnalystQueue({ client, namespace, tenants: files.tenants, tenantNow: async (tenant) => tenantOnFrom(stores.ledger)(tenant, now()) }),
        workOrders: new WorkOrders({
          client,
          namespace,
          taskQueue,
          tenants: files.tenants,
          now,
          store: stores.workOrders,
          tenantNow: async (tenant) => tenantOnFrom(stores.ledger)(tenant, now()),
          signer: callerSigner,
        }),
        events: { events, bodyLimitBytes: config.events.bodyLimitBytes, syslogStats: () => syslogStats() },
        account: {
          packageChanges: new PackageChanges({ ledger: stores.ledger, tenants: files.tenants, now: overrides.accountNow ?? now }),
          optionChanges: new OptionChanges({ ledger: stores.ledger, tenants: files.tenants, now: overrides.accountNow ?? now, checkPolicy: files.policyFor }),
          fairUse: new FairUse({ readModel: stores.readModel, tenants: files.tenants }),
          reports: new TenantReports({ readModel: stores.readModel, workOrders: stores.workOrders, tenants: files.tenants, now, tenantOn: tenantOnFrom(stores.ledger) }),
          ledger: stores.ledger,
        },
        keys: files.keys,
        tenants: files.tenants,
        sessions: stores.sessions,
        rateLimits: stores.rateLimits,
        bodyLimitBytes: config.api.bodyLimitBytes,
        isReady: async () => {
          await connection.workflowService.getSystemInfo({});
          return true;
        },
        logError,
        detectionStatus: () => detectionStatus(files.detection),
        logger: overrides.logger ?? rootLogger(),
        metrics,
        metricsToken: config.api.metricsToken,
        tracer: tracing.tracer,
        hardening: config.api,
        outboxFile: config.outboxFile,
        // R20: endpoints outside Germany are logged at start and listed on /readyz for admins.
        endpointsOutsideGermany: reportEndpointsOutsideGermany(config.endpointLocations),
        phoneCallbacks: phoneCallbacksOf(config, client, (overrides.response && overrides.response.secrets) || overrides.secrets || secretResolverFromEnvironment(), now, callerSigner),
        sipgateCallbacks: sipgateCallbacksOf(config, { client, signer: callerSigner, now, logError }, overrides.sipgateSignature ?? isSipgateSignature),
      });
      api = {
        app,
        metrics,
        events,
        setSyslogStats: (stats) => {
          syslogStats = stats;
        },
        listen: async () => {
          const listening = await listenApi(app, config.api);
          // Closed first at stop: requests in flight finish before the client and the stores go.
          closing.push(() => listening.close());
          let syslog: RunningSyslog | null = null;
          const { syslog: syslogConfig } = config.events;
          if (syslogConfig.port !== null) {
            const { tls } = syslogConfig;
            const started = await startSyslogListener({
              host: syslogConfig.host,
              port: syslogConfig.port,
              ...(tls ? { tls: { port: tls.port, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } } : {}),
              intake: events,
              senders: new SenderDirectory(files.tenants),
              logError,
            });
            syslog = started;
            syslogStats = () => started.stats.snapshot();
            closing.push(() => started.stop());
          }
          return { url: listening.url, syslog: syslog ? { udpPort: syslog.udpPort, tcpPort: syslog.tcpPort, tlsPort: syslog.tlsPort } : null };
        },
      };
    }

    const client = apiClient ?? workerClient;
    if (!client) throw new Error('composeEngine: run at least the worker or the API');
    let stopped: Promise<void> | null = null;
    return {
      config,
      files,
      stores,
      payloadCodec,
      client,
      worker,
      api,
      stop: () => (stopped ??= closeInReverse(closing)),
    };
  } catch (error) {
    await closeInReverse(closing);
    throw error;
  }
}

function enrichmentOf(config: EngineConfig['enrichment'], secrets: SecretResolver, cache: EngineStores['indicatorCache'], now: () => Date): EnrichmentDeps {
  const providers: EnrichmentDeps['providers'] = {};
  for (const name of ['virustotal', 'abuseipdb', 'misp'] as const) {
    const provider = config[name];
    if (provider) providers[name] = { baseUrl: provider.baseUrl, apiKey: () => secrets.resolve(provider.apiKeyRef) };
  }
  return { providers, cache, ttlMs: config.cacheTtlMs, now };
}

function teamsChannelOf(channel: NonNullable<EngineConfig['socChannel']>, secrets: SecretResolver): TeamsChannelSettings {
  return { webhookUrl: () => secrets.resolve(channel.webhookUrlRef), dashboardUrl: channel.dashboardUrl, language: channel.language };
}

/** sipgate's push events and announcements, when sipgate makes escalation calls (which need the API's public address). */
function sipgateCallbacksOf(
  config: EngineConfig,
  deps: Pick<SipgateCallbackDeps, 'client' | 'signer' | 'now' | 'logError'>,
  signedBySipgate: (signature: string, body: string) => boolean,
) {
  const { sipgate, phoneCallbackUrl, socLanguage } = config.notifications;
  if (!sipgate?.calls || !phoneCallbackUrl) return null;
  const callbacks = new SipgateCallbacks({ ...deps, taskQueue: config.temporal.taskQueue, publicBaseUrl: phoneCallbackUrl, socLanguage, signedBySipgate });
  return { callbacks, announcements: loadAnnouncements() };
}

/** Twilio's callbacks, when Twilio carries the phone channel and the API's public address is configured. */
function phoneCallbacksOf(config: EngineConfig, client: Client, secrets: SecretResolver, now: () => Date, signer: CallerSigner): PhoneCallbacks | null {
  const { twilio, phoneCallbackUrl, socLanguage } = config.notifications;
  if (!twilio || !phoneCallbackUrl) return null;
  return new PhoneCallbacks({ client, publicBaseUrl: phoneCallbackUrl, authToken: () => secrets.resolve(twilio.authTokenRef), socLanguage, now, signer });
}

/** Closes what was opened, last first; a failing close does not keep the others open. */
async function closeInReverse(closing: (() => Promise<void>)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const close of closing.reverse()) {
    try {
      await close();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'the engine did not stop cleanly');
}
