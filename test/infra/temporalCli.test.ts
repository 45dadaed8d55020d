/** Finding the Temporal CLI: explicit path, PATH, the cached build; a missing toolchain fails saying what to install. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedCliPath, resolveTemporalCli, TemporalCliUnavailableError } from '../../infra/temporal/cliBinary';

const scratch = () => mkdtempSync(join(tmpdir(), 'soar-cli-'));
const fakeBinary = (dir: string) => {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'temporal');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
};
const log = () => undefined;

test('TEMPORAL_CLI_PATH wins, and a missing one is named in the error', async () => {
  const file = fakeBinary(scratch());
  await expect(resolveTemporalCli({ explicitPath: file, searchPath: '', toolsDir: scratch(), log })).resolves.toEqual({ path: file, source: 'explicit' });
  await expect(resolveTemporalCli({ explicitPath: '/nowhere/temporal', searchPath: '', toolsDir: scratch(), log })).rejects.toThrow(
    'TEMPORAL_CLI_PATH=/nowhere/temporal does not exist',
  );
});

test('a temporal binary on PATH comes next, then the cached build', async () => {
  const onPath = scratch();
  const file = fakeBinary(onPath);
  await expect(resolveTemporalCli({ searchPath: `/nowhere:${onPath}`, toolsDir: scratch(), log })).resolves.toEqual({ path: file, source: 'path' });
  const tools = scratch();
  const cached = fakeBinary(join(cachedCliPath(tools), '..'));
  await expect(resolveTemporalCli({ searchPath: '/nowhere', toolsDir: tools, log })).resolves.toEqual({ path: cached, source: 'cache' });
});

test('without any CLI and without Go, the error says what to install', async () => {
  const error = await resolveTemporalCli({ searchPath: '/nowhere', toolsDir: scratch(), goBinary: '/nowhere/go', log }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TemporalCliUnavailableError);
  expect(String(error)).toMatch(/Install Go >= 1\.23 .*apt-get install golang-go.*TEMPORAL_CLI_PATH.*TEMPORAL_ADDRESS/s);
});
