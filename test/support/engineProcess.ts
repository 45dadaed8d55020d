/**
 * An engine entry (`engine/workerProcess.ts`, `engine/apiProcess.ts`) as a separate OS process, so a test can kill it with SIGKILL
 * mid-work and start it again. One node process (tsx as an import hook), so the kill hits it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './testEnv';

export interface EngineProcess {
  /** kill -9: no shutdown, no draining; what it was doing is lost mid-way. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM), for the end of a test. */
  stop(): Promise<void>;
  running(): boolean;
  output(): string;
  /** The OS process id (a benchmark reads its memory from /proc). */
  pid: number | undefined;
}

export interface EngineProcessSpec {
  /** The entry file, relative to the repository (run from source with tsx), or relative to `cwd` with `compiled`. */
  entry: string;
  /** Run the entry as compiled JavaScript with plain node (an image's folder), from `cwd`. */
  compiled?: { cwd: string };
  /** Text in its output that says it is ready. */
  readyWhen: string;
  env: Record<string, string>;
  /** Variables of the test's own environment left out (by prefix), so the entry sees only `env` for them. */
  withoutPrefixes?: string[];
  readyTimeoutMs?: number;
}

export async function startEngineProcess({ entry, compiled, readyWhen, env, withoutPrefixes = [], readyTimeoutMs = 120_000 }: EngineProcessSpec): Promise<EngineProcess> {
  const args = compiled ? [entry] : ['--import', 'tsx', join(REPO, entry)];
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !withoutPrefixes.some((prefix) => name.startsWith(prefix))));
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: compiled?.cwd ?? REPO,
    env: { ...inherited, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within ${readyTimeoutMs} ms:\n${output.slice(-4000)}`)), readyTimeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyWhen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${output.slice(-4000)}`));
    });
  });
  await ready;
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
    running,
    output: () => output,
    pid: child.pid,
  };
}
