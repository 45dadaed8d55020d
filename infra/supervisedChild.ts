/** A server started as a child process: its last output kept for error messages, and a stop that escalates to SIGKILL. */
import type { ChildProcess } from 'node:child_process';

export interface SupervisedChild {
  /** The last chunks the child wrote to stdout and stderr. */
  output(): string;
  exited: Promise<void>;
  /** Sends `signal`, then SIGKILL after `graceMs`; resolves when the child is gone. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

export function supervise(child: ChildProcess, keepChunks = 200): SupervisedChild {
  const chunks: string[] = [];
  const keep = (chunk: Buffer) => {
    chunks.push(chunk.toString('utf8'));
    if (chunks.length > keepChunks) chunks.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => chunks.join(''),
    exited,
    stop: async (signal, graceMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** For a readiness wait: the failure of a child that exited before it was ready; undefined while it runs. */
export function exitedBeforeReady(child: ChildProcess, name: string): () => Error | undefined {
  return () => (child.exitCode !== null || child.signalCode !== null ? new Error(`${name} exited with code ${child.exitCode ?? child.signalCode} before it was ready`) : undefined);
}

/** The failed start of a supervised child, with its last output, for the error the start throws. */
export function startFailure(error: unknown, supervised: SupervisedChild): Error {
  return new Error(`${error instanceof Error ? error.message : String(error)}:\n${supervised.output().slice(-4000)}`);
}
