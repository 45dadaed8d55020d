/** The lint step's check for import cycles between top-level folders (scripts/check-folder-cycles.ts). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { folderCycles, folderImports } from '../../scripts/check-folder-cycles';
import { REPO } from '../support/testEnv';

function tree(files: Record<string, string>): { root: string; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'folder-cycles-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, files: Object.keys(files) };
}

test('a two-way pair of folders is a cycle, named with a file import on each side', () => {
  const { root, files } = tree({
    'api/roles.ts': 'export const roles = 1;\n',
    'api/app.ts': "import { intake } from '../ingest/intake';\nexport const app = intake;\n",
    'ingest/intake.ts': "import { roles } from '../api/roles';\nexport const intake = roles;\n",
    'domain/alert.ts': 'export const alert = 1;\n',
  });
  expect(folderCycles(folderImports(root, files))).toEqual([
    {
      folders: ['api', 'ingest'],
      arrows: [
        { from: 'api', to: 'ingest', example: 'api/app.ts -> ingest/intake' },
        { from: 'ingest', to: 'api', example: 'ingest/intake.ts -> api/roles' },
      ],
    },
  ]);
});

test('a longer loop is one cycle; type-only imports, tests and one-way arrows are not', () => {
  const { root, files } = tree({
    'a/one.ts': "import { two } from '../b/two';\nexport const one = two;\n",
    'b/two.ts': "export { three as two } from '../c/three';\n",
    'c/three.ts': "export const three = import('../a/one');\n",
    'workflows/flow.ts': "import type { Acts } from '../activities/acts';\nimport { type Other } from '../activities/acts';\nexport type F = Acts | Other;\n",
    'activities/acts.ts': "import { flow } from '../workflows/flow';\nexport type Acts = typeof flow; export type Other = 1;\n",
    'test/x.test.ts': "import { one } from '../a/one';\n",
    'a/uses.ts': "import { x } from '../test/x.test';\n",
  });
  expect(folderCycles(folderImports(root, files)).map((cycle) => cycle.folders)).toEqual([['a', 'b', 'c']]);
});

test('the repository has no import cycle between top-level folders (npm run lint runs this check)', () => {
  const run = spawnSync(join(REPO, 'node_modules/.bin/tsx'), ['scripts/check-folder-cycles.ts'], { cwd: REPO, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});
