/**
 * Replays workflow histories against the current workflow code (R18) and exits non-zero on any divergence or
 * unreadable input.
 *
 *   npm run replay -- <file|folder>...            history JSON files, audit exports, or folders of them
 *   npm run replay -- --query "TenantId='acme' AND WorkflowType='alertWorkflow'"
 *                                                 fetched from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE
 *
 *   npm run deploy-check -- [--since 7d] [--workflows <path>]
 *                                                 before a deploy: the namespace's open histories and those closed in
 *                                                 the period, against the new workflow code; exits 1 (refused) on any
 *                                                 divergence (docs/audit.md, safe deploys)
 *
 * The workflows are bundled once; one replay worker per core replays side by side (`--concurrency=N` sets how
 * many), each taking the next history, so lines come in order of completion, numbered by input.
 */
import { Client } from '@temporalio/client';
import { connectClient } from '../infra/temporal/clientConnection';
import { loadConfig } from '../infra/config';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { HistoryFileError, historyFilesAt, readHistoryFile, type LabelledHistory } from '../infra/audit/historyFiles';
import { Replayer, type ReplayInput } from '../infra/audit/replayer';
import { WORKFLOWS_PATH } from '../workers/alertWorker';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { loadPayloadKeyring } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';

const USAGE =
  'usage: replay [--concurrency=N] [--workflows <path>] <file|folder>... | replay [--concurrency=N] [--workflows <path>] --query "<visibility query>" | replay --deploy-check [--since 7d] [--workflows <path>]';

async function main(args: string[]): Promise<number> {
  const concurrency = concurrencyOf(args);
  const code = valueOf(args, '--workflows');
  const since = valueOf(args, '--since');
  const argv = withoutValues(args.filter((arg) => !arg.startsWith('--concurrency=')), ['--workflows', '--since']);
  if (concurrency === null) {
    process.stderr.write(`--concurrency takes a whole number of at least 1\n${USAGE}\n`);
    return 2;
  }
  if (argv.length === 0 || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const replayer = new Replayer({ workflowsPath: code ?? WORKFLOWS_PATH, payloadCodec: payloadCodec(), concurrency });
  if (argv[0] === '--deploy-check') {
    const periodMs = since === undefined ? 7 * DAY_MS : daysOf(since);
    if (periodMs === null || argv.length > 1) {
      process.stderr.write(`--since takes a whole number of days like 7d\n${USAGE}\n`);
      return 2;
    }
    return deployCheck(replayer, new Date(Date.now() - periodMs));
  }
  if (argv[0] === '--query') {
    const query = argv[1];
    if (!query || argv.length > 2) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    return replayQuery(replayer, query);
  }
  const histories: LabelledHistory[] = [];
  let unreadable = 0;
  for (const path of argv) {
    try {
      for (const file of historyFilesAt(path)) {
        try {
          histories.push(...readHistoryFile(file));
        } catch (error) {
          unreadable += report(error);
        }
      }
    } catch (error) {
      unreadable += report(error);
    }
  }
  const diverged = await replayAndPrint(replayer, histories, histories.length, (index) => histories[index]?.source ?? '?');
  return summary(histories.length, diverged, unreadable);
}

const DAY_MS = 86_400_000;

/**
 * Safe deploys: every workflow still open in the namespace (it will continue on the new code unless pinned to its
 * build, docs/audit.md) and every one closed since `since` (recent code paths) replays against the new code. Any
 * divergence refuses the deploy: the change needs patched() for the histories it would break.
 */
async function deployCheck(replayer: Replayer, since: Date): Promise<number> {
  if (!loadConfig().temporal.address) {
    process.stderr.write('TEMPORAL_ADDRESS is not set: the deploy check reads the histories of a running Temporal server\n');
    return 2;
  }
  const query = `ExecutionStatus = 'Running' OR CloseTime >= '${since.toISOString()}'`;
  const code = await replayQuery(replayer, query);
  if (code === 0) process.stdout.write('deploy check passed: the new workflow code replays every open and recent history\n');
  else if (code === 1) process.stdout.write('deploy REFUSED: the new workflow code diverges from recorded histories; keep the old behaviour behind patched() (docs/audit.md)\n');
  // No history to check is no reason to refuse a deploy (a new namespace).
  return code === 2 ? 0 : code;
}

async function replayQuery(replayer: Replayer, query: string): Promise<number> {
  const config = loadConfig();
  const { address, namespace } = config.temporal;
  if (!address) {
    process.stderr.write('TEMPORAL_ADDRESS is not set: --query needs a running Temporal server\n');
    return 2;
  }
  const temporal = await connectClient(connectionOptionsOf(config, address));
  const { connection } = temporal;
  try {
    const codec = payloadCodec();
    const client = new Client({ connection, namespace, dataConverter: engineDataConverter(codec ?? undefined) });
    const total = (await client.workflow.count(query)).count;
    process.stdout.write(`${total} workflow(s) match ${query} in namespace ${namespace}\n`);
    const labels: string[] = [];
    async function* fetched(): AsyncGenerator<ReplayInput> {
      for await (const { workflowId, history } of client.workflow.list({ query }).intoHistories()) {
        labels.push(workflowId);
        yield { workflowId, history };
      }
    }
    const diverged = await replayAndPrint(replayer, fetched(), total, (index) => labels[index] ?? '?');
    return summary(labels.length, diverged, 0);
  } finally {
    await temporal.close();
  }
}

async function replayAndPrint(replayer: Replayer, histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>, total: number, label: (index: number) => string): Promise<number> {
  let index = 0;
  let diverged = 0;
  const started = Date.now();
  for await (const outcome of replayer.replay(histories)) {
    const line = outcome.deterministic ? 'deterministic' : `DIVERGED (${outcome.errorType}): ${outcome.divergence}`;
    process.stdout.write(`[${outcome.index + 1}/${Math.max(total, index + 1)}] ${label(outcome.index)} ${line}\n`);
    if (!outcome.deterministic) diverged += 1;
    index += 1;
  }
  if (index > 0) process.stdout.write(`replayed ${index} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return diverged;
}

/**
 * Encrypted histories (exports as stored, or fetched with --query) replay with the keys of SOAR_PAYLOAD_KEYS_FILE
 * (in development the `.data/payload-keys.yaml` `npm start` made); unencrypted ones need none.
 */
function payloadCodec(): TenantPayloadCodec | undefined {
  const { keysFile, devKeys } = loadConfig().payloadEncryption;
  if (devKeys && !existsSync(keysFile)) return undefined;
  return new TenantPayloadCodec(loadPayloadKeyring(keysFile));
}

/** The value after `name` (`--workflows path`), if given. */
function valueOf(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/** The arguments without each `name` and the value after it. */
function withoutValues(args: string[], names: string[]): string[] {
  return args.filter((arg, index) => !names.includes(arg) && !names.includes(args[index - 1] ?? ''));
}

/** `7d` as milliseconds; null for anything else. */
function daysOf(period: string): number | null {
  const match = /^([1-9]\d{0,2})d$/.exec(period);
  return match ? Number(match[1]) * DAY_MS : null;
}

/** `--concurrency=N`, else one replay worker per core; null when N is not a whole number of at least 1. */
function concurrencyOf(args: string[]): number | null {
  const given = args.find((arg) => arg.startsWith('--concurrency='));
  if (given === undefined) return availableParallelism();
  const wanted = Number(given.slice('--concurrency='.length));
  return Number.isInteger(wanted) && wanted >= 1 ? wanted : null;
}

function report(error: unknown): number {
  if (!(error instanceof HistoryFileError)) throw error;
  process.stderr.write(`unreadable: ${error.message}\n`);
  return 1;
}

function summary(replayed: number, diverged: number, unreadable: number): number {
  process.stdout.write(`${replayed - diverged} deterministic, ${diverged} diverged, ${unreadable} unreadable\n`);
  return diverged > 0 || unreadable > 0 ? 1 : replayed === 0 ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
