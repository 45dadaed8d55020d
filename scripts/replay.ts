/**
 * Replays workflow histories against the current workflow code (R18) and exits non-zero on any divergence or
 * unreadable input.
 *
 *   npm run replay -- <file|folder>...            history JSON files, audit exports, or folders of them
 *   npm run replay -- --query "TenantId='acme' AND WorkflowType='alertWorkflow'"
 *                                                 fetched from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE
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

const USAGE = 'usage: replay [--concurrency=N] <file|folder>... | replay [--concurrency=N] --query "<visibility query>"';

async function main(args: string[]): Promise<number> {
  const concurrency = concurrencyOf(args);
  const argv = args.filter((arg) => !arg.startsWith('--concurrency='));
  if (concurrency === null) {
    process.stderr.write(`--concurrency takes a whole number of at least 1\n${USAGE}\n`);
    return 2;
  }
  if (argv.length === 0 || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const replayer = new Replayer({ workflowsPath: WORKFLOWS_PATH, payloadCodec: payloadCodec(), concurrency });
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
