// Lint: TypeScript's recommended rules, and workflow code kept deterministic (no Node built-ins, no I/O libraries).
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  { files: ['**/*.cjs', 'jest.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/alertLifecycle.ts', 'domain/classification.ts', 'domain/severity.ts', 'domain/searchAttributes.ts', 'domain/tenantPolicy.ts', 'domain/response/releaseMatrix.ts', 'domain/response/blockableIp.ts', 'domain/response/isolationScore.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins; use an activity.' })),
            ...['@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'express', 'yaml', 'undici', 'node-fetch', 'axios', '@microsoft/microsoft-graph-client', '@azure/identity', 'nodemailer', 'pino']
              .map((name) => ({ name, message: 'No I/O libraries in workflow code: put side effects in activities.' })),
          ],
          patterns: [
            { group: ['../activities', '../activities/*', '../activities/**'], allowTypeImports: true, message: 'Workflows import activities as types only (import type).' },
            { group: ['../api/**', '../workers/**', '../infra/**'], message: 'Workflows do not reach into processes or the HTTP edge.' },
          ],
        },
      ],
    },
  },
);
