/** A small HTTPS server for one vendor fake: records every request (method, path, query, headers, parsed body) and answers through a handler. */
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTls } from './testTls';

export interface RecordedRequest {
  vendor: string;
  method: string;
  /** Path without the query, percent-decoded. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  authorization: string | undefined;
  /** JSON or form body, parsed; undefined when empty. */
  body: unknown;
  at: number;
  /** The status the fake answered with, once it has answered. */
  status?: number;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface RunningFake {
  url: string;
  close(): Promise<void>;
}

export async function startHttpsFake(vendor: string, log: RecordedRequest[], handler: FakeHandler): Promise<RunningFake> {
  const tls = testTls();
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        vendor,
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        authorization: req.headers.authorization,
        body: parseBody(text, req.headers['content-type']),
        at: Date.now(),
      };
      log.push(recorded);
      Promise.resolve()
        .then(() => handler(recorded))
        .catch((error: unknown): FakeReply => ({ status: 500, body: { error: { code: 'FakeError', message: String(error) } } }))
        .then((reply) => {
          recorded.status = reply.status;
          if (res.destroyed) return;
          const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
          res.writeHead(reply.status, { ...(payload ? { 'content-type': 'application/json' } : {}), ...reply.headers });
          res.end(payload);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A queue of programmed failures: the next N requests matching get this answer. */
export interface ProgrammedFailure {
  status: number;
  retryAfter?: string;
  code?: string;
  message?: string;
}

export class FailureQueue {
  private pending: { remaining: number; failure: ProgrammedFailure; match: (r: RecordedRequest) => boolean }[] = [];

  add(count: number, failure: ProgrammedFailure, match: (r: RecordedRequest) => boolean = () => true): void {
    this.pending.push({ remaining: count, failure, match });
  }

  take(request: RecordedRequest): FakeReply | null {
    const entry = this.pending.find((p) => p.remaining > 0 && p.match(request));
    if (!entry) return null;
    entry.remaining -= 1;
    const { status, retryAfter, code, message } = entry.failure;
    return {
      status,
      headers: retryAfter === undefined ? undefined : { 'retry-after': retryAfter },
      body: { error: { code: code ?? (status === 429 ? 'TooManyRequests' : 'ServiceUnavailable'), message: message ?? 'Programmed failure of the test fake' } },
    };
  }

  clear(): void {
    this.pending = [];
  }
}
