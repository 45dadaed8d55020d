/**
 * A small HTTPS server for one vendor fake: records every request (method, path, query, headers, parsed body) and
 * answers through a handler, unless a programmed connection fault (hang, delay, drop) says otherwise.
 */
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
  /** The status the fake answered with, once it has answered (also set when the answer was then dropped). */
  status?: number;
  /** The connection fault programmed for this request, if one was. */
  fault?: ConnectionFault['kind'];
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface RunningFake {
  url: string;
  /** Connection faults for the next requests to this fake. */
  faults: FaultQueue;
  close(): Promise<void>;
}

export async function startHttpsFake(vendor: string, log: RecordedRequest[], handler: FakeHandler): Promise<RunningFake> {
  const faults = new FaultQueue();
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
      const fault = faults.take(recorded);
      recorded.fault = fault?.kind;
      // A hung request stays open until the client gives up or close() ends every connection.
      if (fault?.kind === 'hang') return;
      if (fault?.kind === 'drop') {
        res.destroy();
        return;
      }
      // Answered in the background: the request handler itself returns at once, as node's http server expects.
      void Promise.resolve()
        .then(() => (fault?.kind === 'delay' ? new Promise((resolve) => setTimeout(resolve, fault.ms)) : undefined))
        .then(() => handler(recorded))
        .catch((error: unknown): FakeReply => ({ status: 500, body: { error: { code: 'FakeError', message: String(error) } } }))
        .then((reply) => {
          recorded.status = reply.status;
          // The vendor made the change; the engine never hears of it.
          if (fault?.kind === 'applyThenDrop') res.destroy();
          // The vendor made the change and never answers: the caller's timeout decides.
          if (fault?.kind === 'applyThenHang') return;
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
    faults,
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

/** Which requests a programmed failure or fault applies to. */
export type RequestMatch = (request: RecordedRequest) => boolean;

/** Requests with this method whose path is (or matches) `path`. */
export function requestTo(method: string, path: string | RegExp): RequestMatch {
  return (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path));
}

/** The next N requests matching get a programmed T; the first entry with count left wins. */
class NextRequests<T> {
  private pending: { remaining: number; value: T; match: RequestMatch }[] = [];

  add(count: number, value: T, match: RequestMatch = () => true): void {
    this.pending.push({ remaining: count, value, match });
  }

  protected next(request: RecordedRequest): T | null {
    const entry = this.pending.find((p) => p.remaining > 0 && p.match(request));
    if (!entry) return null;
    entry.remaining -= 1;
    return entry.value;
  }

  clear(): void {
    this.pending = [];
  }
}

/** A queue of programmed failures: the next N requests matching get this answer. */
export interface ProgrammedFailure {
  status: number;
  retryAfter?: string;
  code?: string;
  message?: string;
}

export class FailureQueue extends NextRequests<ProgrammedFailure> {
  take(request: RecordedRequest): FakeReply | null {
    const failure = this.next(request);
    if (!failure) return null;
    const { status, retryAfter, code, message } = failure;
    return {
      status,
      headers: retryAfter === undefined ? undefined : { 'retry-after': retryAfter },
      body: { error: { code: code ?? (status === 429 ? 'TooManyRequests' : 'ServiceUnavailable'), message: message ?? 'Programmed failure of the test fake' } },
    };
  }
}

/**
 * What goes wrong with a request's connection: `hang` never answers, `delay` answers `ms` later, `drop` closes the
 * connection before the fake handles the request (nothing changes), `applyThenDrop` handles it (the state changes)
 * and closes the connection instead of answering: the vendor did it, the caller never heard; `applyThenHang` handles
 * it and keeps the connection open without an answer until the caller times out.
 */
export type ConnectionFault = { kind: 'hang' } | { kind: 'delay'; ms: number } | { kind: 'drop' } | { kind: 'applyThenDrop' } | { kind: 'applyThenHang' };

/** The next N requests matching suffer this connection fault. */
export class FaultQueue extends NextRequests<ConnectionFault> {
  take(request: RecordedRequest): ConnectionFault | null {
    return this.next(request);
  }
}
