/** Builds Go programs with the local Go toolchain into a cache folder, atomically: a build cut short leaves nothing behind. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Thrown when the Go toolchain is missing or a build fails; `reason` says which. */
export class GoBuildError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface GoProgram {
  /** The package path, e.g. github.com/temporalio/cli/cmd/temporal. */
  packagePath: string;
  /** The binary name `go install` writes (the package's last path element). */
  builtAs: string;
  /** The name it gets in the cache folder. */
  installAs: string;
}

/** Builds each program at `version` and moves it into `targetDir` (created when missing). */
export async function goInstall(programs: readonly GoProgram[], version: string, targetDir: string, go = 'go'): Promise<void> {
  try {
    await run(go, ['version']);
  } catch {
    throw new GoBuildError('the Go toolchain (`go`) is not installed');
  }
  const staging = `${targetDir}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const program of programs) {
      try {
        await run(go, ['install', `${program.packagePath}@${version}`], {
          env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-trimpath' },
          maxBuffer: 64 * 1024 * 1024,
          timeout: 30 * 60 * 1000,
        });
      } catch (error) {
        const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr).slice(-4000) : String(error);
        throw new GoBuildError(`'go install ${program.packagePath}@${version}' failed:\n${stderr}`);
      }
    }
    mkdirSync(targetDir, { recursive: true });
    for (const program of programs) renameSync(join(staging, program.builtAs), join(targetDir, program.installAs));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Where `go mod download` put a module's source (read-only files of the module cache). */
export async function goModuleDir(modulePath: string, version: string, go = 'go'): Promise<string> {
  const { stdout } = await run(go, ['mod', 'download', '-json', `${modulePath}@${version}`], { maxBuffer: 16 * 1024 * 1024, cwd: '/' });
  const parsed: unknown = JSON.parse(stdout);
  const dir = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'Dir') : undefined;
  if (typeof dir !== 'string' || !existsSync(dir)) throw new GoBuildError(`'go mod download ${modulePath}@${version}' gave no source folder:\n${stdout.slice(0, 2000)}`);
  return dir;
}
