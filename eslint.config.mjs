// Lint: TypeScript's recommended rules, and workflow code kept deterministic (no Node built-ins, no I/O libraries).
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { tsImport } from 'tsx/esm/api';

/** Every file the workflow bundle evaluates, derived from the workflows' import graph (scripts/importGraph.ts). */
const { workflowBundleFiles } = await tsImport('./scripts/importGraph.ts', import.meta.url);
const workflowCode = workflowBundleFiles(import.meta.dirname).filter((file) => file.endsWith('.ts'));

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
    // A promise nobody awaits loses its failure: await it, return it, or mark a deliberate fire-and-forget with `void`.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // domain/ is pure business code over text and objects: no file system, network or process access, and no other
    // top-level folder (the engine's files are read in infra/files). The core rule, so the workflow rule below still applies.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .filter((name) => name !== 'crypto' && name !== 'node:crypto')
            .map((name) => ({ name, message: 'domain/ is pure: read files and talk to the world in infra/ (e.g. infra/files) and pass text or objects in.' })),
          patterns: [
            {
              group: ['activities', 'api', 'bench', 'config', 'detection', 'engine', 'infra', 'ingest', 'playbooks', 'scripts', 'stores', 'test', 'whatIf', 'workers', 'workflows']
                .flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]),
              message: 'domain/ imports no other top-level folder.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts', ...workflowCode],
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
            { group: ['**/activities', '**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Workflows import activities as types only (import type).' },
            { group: ['**/api/**', '**/workers/**', '**/infra/**', '**/engine/**'], message: 'Workflows do not reach into processes or the HTTP edge.' },
            { group: ['**/stores/**'], allowTypeImports: true, message: 'Workflows read stores only through activities (types are fine).' },
          ],
        },
      ],
    },
  },
);
