/**
 * Fails on an import cycle between top-level folders (`npm run lint`). The folders' arrows must point one way
 * (engine → api/workers → ingest → workflows → activities → stores/detection → domain): a two-way pair means
 * something sits in the wrong folder. Imports are read from the TypeScript sources themselves, so the check cannot
 * drift from the code. Type-only imports (`import type`, `import { type X }`) are left out: they are erased when
 * compiled, and workflows must import activities exactly so (as types, for `proxyActivities`).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { runtimeImports } from './importGraph';

/** Folders that are not part of the product's layering: tests, benchmarks and tools may import anything. */
const OUTSIDE_THE_LAYERS = new Set(['test', 'bench', 'scripts']);

export interface FolderImport {
  from: string;
  to: string;
  /** One file-level import behind the arrow, as `file -> imported file`. */
  example: string;
}

/** Every arrow between two top-level folders, with one file import that makes it. */
export function folderImports(root: string, files: readonly string[]): FolderImport[] {
  const arrows = new Map<string, FolderImport>();
  for (const file of files) {
    const from = file.split('/')[0] ?? '';
    if (!file.includes('/') || OUTSIDE_THE_LAYERS.has(from)) continue;
    for (const fileName of runtimeImports(join(root, file))) {
      if (!fileName.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), fileName));
      const to = normalize(target).split('/')[0] ?? '';
      if (to === from || to.startsWith('..') || !target.includes('/')) continue;
      const key = `${from}->${to}`;
      if (!arrows.has(key)) arrows.set(key, { from, to, example: `${file} -> ${target}` });
    }
  }
  return [...arrows.values()];
}

/** The folder cycles (strongly connected components of more than one folder), each sorted, with the arrows inside. */
export function folderCycles(arrows: readonly FolderImport[]): { folders: string[]; arrows: FolderImport[] }[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of arrows) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (folder: string): void => {
    index.set(folder, counter);
    low.set(folder, counter);
    counter += 1;
    stack.push(folder);
    onStack.add(folder);
    for (const to of next.get(folder) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(folder, Math.min(low.get(folder) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(folder, Math.min(low.get(folder) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(folder) === index.get(folder)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== folder);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const folder of new Set(arrows.flatMap(({ from, to }) => [from, to]))) if (!index.has(folder)) connect(folder);
  return components.map((folders) => ({ folders, arrows: arrows.filter(({ from, to }) => folders.includes(from) && folders.includes(to)) }));
}

function trackedSources(root: string): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '*.ts', '*.tsx', '*.mts', '*.cts'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && !file.endsWith('.d.ts'));
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const cycles = folderCycles(folderImports(root, trackedSources(root)));
  if (cycles.length > 0) {
    for (const cycle of cycles) {
      process.stderr.write(`import cycle between top-level folders: ${cycle.folders.join(', ')}\n`);
      for (const arrow of cycle.arrows) process.stderr.write(`  ${arrow.from} -> ${arrow.to}: ${arrow.example}\n`);
    }
    process.exit(1);
  }
  process.stdout.write('no import cycle between top-level folders\n');
}
