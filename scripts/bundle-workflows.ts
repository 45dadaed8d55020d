/**
 * `npm run bundle:workflows -- <file>`: writes the engine's workflow bundle (the options every worker and replay use,
 * infra/temporal/workflowBundle.ts) to a file, for `SOAR_WORKFLOW_BUNDLE`: a worker that loads it does not run the
 * bundler, which costs the process about 0.3 GiB of RSS before any workflow runs (docs/performance.md). Build it
 * from the same code the worker runs (the image build), never reuse one across versions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { engineBundleOptions } from '../infra/temporal/workflowBundle';
import { WORKFLOWS_PATH } from '../workers/alertWorker';

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: npm run bundle:workflows -- <file>');
  const warn = (message: string) => process.stderr.write(`[bundle] ${message}\n`);
  const noop = () => undefined;
  const { code } = await bundleWorkflowCode({ ...engineBundleOptions(WORKFLOWS_PATH), logger: { trace: noop, debug: noop, info: noop, log: noop, warn, error: warn } });
  const file = resolve(target);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, code);
  process.stdout.write(`workflow bundle written to ${file} (${(code.length / 2 ** 20).toFixed(2)} MiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
