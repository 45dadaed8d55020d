/** Listens with the API's express app and closes gracefully: requests in flight finish, lingering connections go. */
import type { Server } from 'node:http';
import type { Express } from 'express';

export interface ListeningApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listenApi(app: Express, settings: { host: string; port: number; requestTimeoutMs: number }): Promise<ListeningApi> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(settings.port, settings.host, () => resolve(listening));
    listening.once('error', reject);
  });
  // Node's own limits cut off a client that trickles its headers or body (slowloris); the per-request limit answers first.
  server.headersTimeout = Math.min(20_000, settings.requestTimeoutMs);
  server.requestTimeout = settings.requestTimeoutMs + 5_000;
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : settings.port;
  return {
    url: `http://${settings.host}:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
    },
  };
}
