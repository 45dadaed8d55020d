/** The whole engine for a benchmark: its own Temporal dev server, the workflow bundle, and the tests' composition (worker, API) listening on a free port. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import globalSetup from '../test/support/globalSetup';
import { startTestEngine, type TestEngine, type TestEngineOptions } from '../test/support/testEngine';

/** Starts the dev server and bundles the workflows once per process (as the test run does), through the tests' global setup. */
export async function startBenchServer(): Promise<{ stop(): Promise<void> }> {
  await globalSetup();
  const server = globalThis.__soarTestServer;
  if (!server) throw new Error('global setup did not start Temporal');
  return server;
}

export interface ListeningEngine {
  engine: TestEngine;
  baseUrl: string;
  stop(): Promise<void>;
}

/** An engine (worker on its own task queue, API app) whose API listens on 127.0.0.1. Needs `startBenchServer` first. */
export async function startListeningEngine(options: TestEngineOptions): Promise<ListeningEngine> {
  const engine = await startTestEngine(options);
  const server: Server = await new Promise((resolve) => {
    const s = engine.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    engine,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.stop();
    },
  };
}

export { percentile } from './boundedRun';
