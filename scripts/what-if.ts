/**
 * What-if over recorded alerts: re-decides a tenant's recorded alerts of a period with a proposed change applied and
 * writes only the differences, as a deterministic JSON file a reviewer attaches to the change. No vendor is called.
 *
 *   npm run what-if -- <rule folder | playbook.yaml | tenant.yaml> --tenant <id> --since 30d [--out report.json]
 *
 * Reads from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE, decoding with the keys of SOAR_PAYLOAD_KEYS_FILE.
 */
import { writeFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { existsSync } from 'node:fs';
import { loadConfig } from '../infra/config';
import { loadPayloadKeyring } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { connectClient } from '../infra/temporal/clientConnection';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { loadPlaybookDirectory } from '../infra/files/playbookFiles';
import { loadOnCallDirectory } from '../infra/files/onCallFile';
import { changeFromPath } from '../whatIf/proposedChange';
import { periodMs, whatIf } from '../whatIf/runWhatIf';
import { reportFile } from '../whatIf/whatIfReport';

const USAGE = 'usage: what-if <rule folder | playbook.yaml | tenant.yaml> --tenant <id> --since <30d|12h> [--out <file>]';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

async function main(args: string[]): Promise<number> {
  const tenantId = option(args, '--tenant');
  const since = option(args, '--since');
  const out = option(args, '--out');
  const change = args.filter((arg, index) => !arg.startsWith('--') && !['--tenant', '--since', '--out'].includes(args[index - 1] ?? ''));
  if (change.length !== 1 || !tenantId || !since) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (periodMs(since) === null) {
    process.stderr.write(`--since must be a period like 30d or 12h, not '${since}'\n`);
    return 2;
  }
  const config = loadConfig();
  const proposed = changeFromPath(change[0] ?? '', tenantId, { onCall: loadOnCallDirectory(config.onCallFile), playbooks: loadPlaybookDirectory(config.playbooksDir) });
  const { address, namespace } = config.temporal;
  if (!address) {
    process.stderr.write('TEMPORAL_ADDRESS is not set: what-if reads the recorded alerts from a running Temporal server\n');
    return 2;
  }
  const temporal = await connectClient(connectionOptionsOf(config, address));
  try {
    const codec = payloadCodec();
    const client = new Client({ connection: temporal.connection, namespace, dataConverter: engineDataConverter(codec) });
    const report = await whatIf(client, codec, { tenantId, since, change: proposed, now: new Date() });
    const file = reportFile(report);
    if (out) writeFileSync(out, file);
    else process.stdout.write(file);
    process.stderr.write(`${report.alertsConsidered} alert(s) of ${tenantId} re-decided with ${report.change.name}: ${report.alertsDiffering} would be decided differently\n`);
    return 0;
  } finally {
    await temporal.close();
  }
}

/** The engine's codec; histories recorded without encryption (development without a keys file) pass through. */
function payloadCodec(): PayloadCodec {
  const { keysFile, devKeys } = loadConfig().payloadEncryption;
  if (devKeys && !existsSync(keysFile)) return { encode: async (p) => p, decode: async (p) => p };
  return new TenantPayloadCodec(loadPayloadKeyring(keysFile));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`what-if failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
