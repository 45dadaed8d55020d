/** `npm start`: the engine with its embedded defaults — its own Temporal dev server, the worker, the API, sample tenants. */
import { loadConfig } from '../infra/config';
import { prepareWorkerNamespace } from '../workers/prepareWorkerNamespace';
import { configureLogging, logError } from '../infra/logger';
import { installWorkerRuntime } from '../infra/temporal/workerRuntime';
import { provideTemporal } from '../infra/temporal/provideTemporal';
import { loadEngineFiles } from './engineFiles';
import { composeEngine } from './composeEngine';
import { startMessageSinks } from '../infra/outbox/messageSinks';

async function main(): Promise<void> {
  const loaded = loadConfig();
  if (loaded.production) throw new Error('`npm start` is the embedded development set-up; in production run engine/workerProcess.ts and engine/apiProcess.ts');
  installWorkerRuntime(configureLogging(loaded.logLevel, loaded.logFormat ?? 'text'), loaded.workerMetrics);
  // Channels the environment does not configure go to local sinks; the admin dashboard lists what they received.
  const sinks = await startMessageSinks(loaded);
  const config = { ...loaded, notifications: sinks.notifications, outboxFile: sinks.outboxFile };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  // Random development keys, made once and kept in the git-ignored data folder (docs/payload-encryption.md).
  const files = loadEngineFiles(config, { createDevPayloadKeys: true });
  say(`Loaded ${files.tenants.all().length} tenants, ${files.detection.ruleSet.size} detection rules (set ${files.detection.version}).`);

  const temporal = await provideTemporal(
    { ...config.temporal, uiPort: config.temporal.uiPort, dbFile: config.temporal.dbFile },
    config.toolsDir,
    say,
  );
  // Idempotent: search attributes, retention (R14) and the schedules (R14 purge, R4 leak checks, R3 Graph pulls).
  await prepareWorkerNamespace(config, temporal.address, files);

  // Syslog on free local ports unless SOAR_SYSLOG_PORT names one: the sample firewalls' addresses are not local.
  const syslog = config.events.syslog.port === null ? { host: '127.0.0.1', port: 0, tls: null } : config.events.syslog;
  const engine = await composeEngine({ ...config, events: { ...config.events, syslog } }, temporal.address, { worker: true, api: true }, { files, watchRules: true });
  const { worker } = engine;
  if (!worker || !engine.api) throw new Error('the embedded engine runs the worker and the API');
  const api = await engine.api.listen();

  say('');
  say(`SOAR engine running.`);
  say(`  API:          ${api.url}   (OpenAPI: ${api.url}/openapi.json)`);
  say(`  Temporal:     ${temporal.address}, namespace '${config.temporal.namespace}'${temporal.embedded ? ' (embedded dev server)' : ''}`);
  if (temporal.uiUrl) say(`  Temporal UI:  ${temporal.uiUrl}`);
  if (api.syslog) say(`  Syslog:       udp/${api.syslog.udpPort} tcp/${api.syslog.tcpPort} on ${syslog.host} (senders: the tenants' registered source addresses)`);
  say(`  Payloads:     AES-256-GCM per tenant, keys in ${config.payloadEncryption.keysFile}; codec endpoint ${api.url}/v1/codec (auditor/admin keys)`);
  say(`  Data:         ${config.outputDir} (tiered files), ${config.database.databaseUrl || config.database.databaseUrlRef ? 'PostgreSQL (SOAR_DATABASE_URL)' : config.database.sqliteFile} (the engine's state)`);
  say(`  Outbox:       ${api.url}/dashboard/outbox (admin key): ${sinks.summary}`);
  if (config.api.printDevKeys && files.keys.devKeys.length > 0) {
    say('  Dev API keys (refused when NODE_ENV=production):');
    for (const key of files.keys.devKeys) say(`    ${key.role.padEnd(8)} ${(key.tenantId ?? '*').padEnd(24)} ${key.key}`);
  }
  say('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping the API, the worker and the Temporal server...`);
    await engine.stop().catch((e: unknown) => logError('engine stop failed', e));
    await temporal.stop().catch((e: unknown) => logError('Temporal stop failed', e));
    await sinks.stop().catch((e: unknown) => logError('message sinks stop failed', e));
    say('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await worker.done.catch(async (error: unknown) => {
    logError('worker stopped unexpectedly', error);
    await engine.stop().catch(() => undefined);
    await temporal.stop().catch(() => undefined);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
