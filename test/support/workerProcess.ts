/**
 * The production worker entry (`workers/worker.ts`) as a separate OS process, so a test can kill it with SIGKILL
 * in the middle of a workflow and start it again. One node process (tsx as an import hook), so the kill hits it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './testEnv';

export interface WorkerProcess {
  /** kill -9: no shutdown, no draining; what it was doing is lost mid-way. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM), for the end of a test. */
  stop(): Promise<void>;
  output(): string;
}

export async function startWorkerProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'workers/worker.ts')], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker process did not start within ${readyTimeoutMs} ms:\n${output.slice(-4000)}`)), readyTimeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker running"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker process exited with ${code} before it was ready:\n${output.slice(-4000)}`));
    });
  });
  await ready;
  return {
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
    output: () => output,
  };
}
