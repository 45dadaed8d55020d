/** `npm run temporal:cli`: finds or builds the Temporal CLI the engine uses and prints its path (first build: a few minutes). */
import { loadConfig } from '../config';
import { resolveTemporalCli } from './cliBinary';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cli = await resolveTemporalCli({ explicitPath: config.temporal.cliPath, searchPath: config.temporal.searchPath, toolsDir: config.toolsDir, log });
  process.stdout.write(`${cli.path} (${cli.source})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
