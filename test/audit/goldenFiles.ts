/**
 * Writing golden histories (docs/audit.md): with SOAR_WRITE_GOLDEN=1 a test writes the workflow tree it drove, decoded,
 * as `test/fixtures/histories/<name>.json` in the audit export format; otherwise nothing is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { decodeHistory } from '../../infra/crypto/historyPayloads';
import { exportHistory, type WorkflowHistory } from '../../infra/audit/workflowHistories';
import { REPO } from '../support/testEnv';

export const GOLDEN_DIR = join(REPO, 'test/fixtures/histories');

export async function writeGoldenIfAsked(name: string, rootId: string, tree: WorkflowHistory[], codec?: PayloadCodec): Promise<void> {
  if (process.env.SOAR_WRITE_GOLDEN !== '1') return;
  mkdirSync(GOLDEN_DIR, { recursive: true });
  // Decoded: the test keys are random per run, a committed golden must replay without them.
  const plain = codec ? await Promise.all(tree.map(async (h) => ({ ...h, history: await decodeHistory(h.history, codec) }))) : tree;
  // Stack traces name this checkout's folder: a committed file must not point at one machine's paths.
  const json = JSON.stringify({ alertId: rootId, path: name, histories: plain.map(exportHistory) }, null, 1).replaceAll(REPO, '<repo>');
  writeFileSync(join(GOLDEN_DIR, `${name}.json`), `${json}\n`);
}
