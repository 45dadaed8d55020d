/**
 * The engine's image as a folder, without Docker: the final stage's COPY lines of the Dockerfile are read, and each is
 * copied from the repository (or, for `--from=build`, from what the build stage makes: dist/ compiled here, the
 * installed node_modules linked) into a folder laid out like the image's WORKDIR. Nothing else gets in.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './testEnv';

const run = promisify(execFile);

export interface ImageCopy {
  /** From the build stage (compiled output, installed modules) or the build context (the repository). */
  from: 'build' | 'context';
  source: string;
  /** Relative to the image's WORKDIR. */
  target: string;
}

/** The COPY lines of the Dockerfile's last stage, with their sources relative to the repository. */
export function finalStageCopies(dockerfile = join(REPO, 'Dockerfile')): { copies: ImageCopy[]; workdir: string; command: string[] } {
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  const lastFrom = lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  const stage = lines.slice(lastFrom);
  const workdir = stage.map((line) => /^WORKDIR\s+(\S+)/i.exec(line)?.[1]).filter(Boolean).pop() ?? '/';
  const copies = stage.flatMap((line, index): ImageCopy[] => {
    const match = /^COPY\s+(--from=(\S+)\s+)?(.+)$/i.exec(line.trim());
    if (!match) return [];
    const parts = (match[3] ?? '').trim().split(/\s+/);
    const target = parts.pop();
    if (!target || parts.length === 0) throw new Error(`Dockerfile line ${lastFrom + index + 1}: a COPY without source or target`);
    const from = match[2] ? 'build' : 'context';
    return parts.map((source) => ({
      from,
      // A build-stage path is absolute inside that stage's WORKDIR (/app), which is the repository's layout.
      source: from === 'build' ? posix.relative(workdir, source) : source,
      target: posix.normalize(target.endsWith('/') ? posix.join(target, posix.basename(source)) : target),
    }));
  });
  const cmd = stage.map((line) => /^CMD\s+(\[.*\])/i.exec(line)?.[1]).filter(Boolean).pop();
  return { copies, workdir, command: cmd ? (JSON.parse(cmd) as string[]) : [] };
}

/** Lays the image out in `folder`: compiles dist/ as the build stage does and copies exactly what the final stage copies. */
export async function assembleImage(folder: string): Promise<{ copies: ImageCopy[]; command: string[] }> {
  const { copies, command } = finalStageCopies();
  for (const copy of copies) {
    const target = join(folder, copy.target);
    mkdirSync(dirname(target), { recursive: true });
    if (copy.from === 'build' && copy.source === 'dist') {
      // The build stage's `npx tsc -p tsconfig.build.json`, written straight into the image's folder.
      await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', target], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    } else if (copy.from === 'build' && copy.source === 'node_modules') {
      // The installed modules, linked: the image prunes devDependencies, a superset does no harm here.
      symlinkSync(join(REPO, 'node_modules'), target, 'dir');
    } else if (copy.from === 'build') {
      throw new Error(`Dockerfile copies ${copy.source} from the build stage: teach test/support/imageFolder.ts how the build stage makes it`);
    } else {
      cpSync(join(REPO, copy.source), target, { recursive: true });
    }
  }
  return { copies, command };
}
