/** The lint rule that keeps workflow code deterministic: no Node built-ins, no I/O libraries, activities as types only. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../support/testEnv';

/** Runs the project's ESLint (as `npm run lint` does) on code presented as a file in workflows/. */
const lintWorkflow = async (code: string): Promise<string[]> => {
  const run = spawnSync(join(REPO, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', 'workflows/probe.ts', '--format', 'json'], {
    cwd: REPO,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
};

test.each([
  ["import { readFileSync } from 'node:fs';", 'readFileSync', /no Node built-ins/],
  ["import * as crypto from 'crypto';", 'crypto', /no Node built-ins/],
  ["import express from 'express';", 'express', /No I\/O libraries/],
  ["import { Client } from '@temporalio/client';", 'Client', /No I\/O libraries/],
  ["import { createActivities } from '../activities';", 'createActivities', /as types only/],
])('refuses `%s` in workflow code', async (line, name, reason) => {
  const messages = await lintWorkflow(`${line}\nexport const used = [${name}];\n`);
  expect(messages.join('\n')).toMatch(reason);
});

test('allows the workflow API, pure domain code and activities imported as types', async () => {
  const messages = await lintWorkflow(
    "import { sleep } from '@temporalio/workflow';\nimport type { AlertActivities } from '../activities';\nimport { classifyAlert } from '../domain/classification';\nexport const used: [typeof sleep, typeof classifyAlert, AlertActivities | null] = [sleep, classifyAlert, null];\n",
  );
  expect(messages).toEqual([]);
});
