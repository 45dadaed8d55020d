/**
 * The lint rules that keep workflow code deterministic (no Node built-ins, no I/O libraries, activities as types only)
 * and domain/ pure (no file system or network, no other top-level folder).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workflowBundleFiles } from '../../scripts/importGraph';
import { REPO } from '../support/testEnv';

/** Runs the project's ESLint (as `npm run lint` does) on code presented as a file in workflows/; the messages of one rule. */
const lintWorkflow = async (code: string, filename = 'workflows/probe.ts', ruleId = '@typescript-eslint/no-restricted-imports'): Promise<string[]> => {
  // The probe is no file of the TypeScript project: lint it without type information (the one typed rule off).
  const untyped = ['--parser-options', 'projectService:false', '--rule', '@typescript-eslint/no-floating-promises: off'];
  const run = spawnSync(join(REPO, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filename, ...untyped, '--format', 'json'], {
    cwd: REPO,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === ruleId).map((m) => m.message);
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

test('the rule covers every file the workflow bundle imports, derived from the import graph, and nothing else', async () => {
  const bundled = workflowBundleFiles(REPO);
  // Domain code the workflows import (directly or through other domain files) is workflow code too.
  expect(bundled).toEqual(expect.arrayContaining(['domain/classification.ts', 'domain/calendar/serviceCalendar.ts', 'domain/response/releaseMatrix.ts']));
  // Imported by workflows as types only, or not at all: erased from the bundle, not held to the workflow rule.
  expect(bundled).not.toContain('activities/index.ts');
  expect(bundled).not.toContain('domain/tenant/loadTenants.ts');
  const logging = "import pino from 'pino';\nexport const used = [pino];\n";
  expect((await lintWorkflow(logging, 'domain/calendar/serviceCalendar.ts')).join('\n')).toMatch(/No I\/O libraries/);
  expect(await lintWorkflow(logging, 'domain/tenant/loadTenants.ts')).toEqual([]);
});

test('npm run lint refuses a floating promise in every TypeScript file', () => {
  for (const file of ['workflows/alertWorkflow.ts', 'api/app.ts', 'test/support/testEngine.ts']) {
    const run = spawnSync(join(REPO, 'node_modules/.bin/eslint'), ['--print-config', file], { cwd: REPO, encoding: 'utf8' });
    const { rules } = JSON.parse(run.stdout) as { rules: Record<string, unknown[]> };
    expect({ file, rule: rules['@typescript-eslint/no-floating-promises']?.[0] }).toEqual({ file, rule: 2 });
  }
});

describe('domain/ stays pure: its files are read in infra/files', () => {
  const lintDomain = (code: string, filename: string) => lintWorkflow(code, filename, 'no-restricted-imports');
  test.each([
    ["import { readFileSync } from 'node:fs';", 'readFileSync', 'domain/tenant/loadTenants.ts', /domain\/ is pure/],
    ["import { join } from 'path';", 'join', 'domain/soc/onCallDirectory.ts', /domain\/ is pure/],
    ["import { request } from 'node:https';", 'request', 'domain/playbook/loadPlaybooks.ts', /domain\/ is pure/],
    ["import { loadTenantDirectory } from '../../infra/files/tenantFiles';", 'loadTenantDirectory', 'domain/tenant/tenantCatalog.ts', /no other top-level folder/],
    ["import { loadConfig } from '../infra/config';", 'loadConfig', 'domain/fairUse.ts', /no other top-level folder/],
    ["import type { AlertActivities } from '../activities';", 'null', 'domain/alert.ts', /no other top-level folder/],
  ])('refuses `%s` in domain code', async (line, name, file, reason) => {
    expect((await lintDomain(`${line}\nexport const used = [${name}];\n`, file)).join('\n')).toMatch(reason);
  });

  test('allows hashing, YAML and zod over text, and its own folders', async () => {
    const code = "import { createHash } from 'node:crypto';\nimport { parseDocument } from 'yaml';\nimport { z } from 'zod';\nimport { stemOf } from './fileName';\nexport const used = [createHash, parseDocument, z, stemOf];\n";
    expect(await lintDomain(code, 'domain/tenant/probe.ts')).toEqual([]);
    // Outside domain/ the engine reads its files.
    expect(await lintDomain("import { readFileSync } from 'node:fs';\nexport const used = [readFileSync];\n", 'infra/files/probe.ts')).toEqual([]);
  });
});
