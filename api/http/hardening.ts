/**
 * The API's outer defences: security headers (helmet), CORS closed unless origins are configured, a per-key rate
 * limit answering 429 with Retry-After, a cap on intake requests in progress answering 429, and a per-request time
 * limit answering 503.
 */
import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, ipKeyGenerator, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { RateLimitStore } from '../../stores/rateLimitStore';
import helmet from 'helmet';

/** How the API defends itself; every field has a default (infra/config.ts reads them from the environment). */
export interface HardeningOptions {
  /** Requests per API key per minute. */
  rateLimitPerMinute: number;
  /** Requests per tenant (all its keys together) per minute; null: no limit beyond each key's. */
  tenantRateLimitPerMinute?: number | null;
  /** A request unanswered after this is answered 503 with Retry-After. */
  requestTimeoutMs: number;
  /** Browser origins allowed to call the API; empty: no CORS headers at all, browsers refuse cross-origin calls. */
  corsOrigins: readonly string[];
  /** Requests answered 401 (no or a bad key) per client address per minute; past it, 429 before any key is checked. */
  failedAuthPerMinute: number;
  /** Intake requests (alerts, Defender alerts, event batches) in progress at once in this process. */
  intakeMaxInFlight: number;
  /** Of those, at most this many for one tenant (an ingest or customer key's tenant; other keys count by key id). */
  intakeMaxInFlightPerTenant: number;
  /** Express `trust proxy` (API_TRUST_PROXY): false, a hop count, or the proxies' addresses and ranges. */
  trustProxy: false | number | readonly string[];
}

export const DEFAULT_HARDENING: HardeningOptions = { rateLimitPerMinute: 3000, failedAuthPerMinute: 30, requestTimeoutMs: 30_000, corsOrigins: [], intakeMaxInFlight: 200, intakeMaxInFlightPerTenant: 50, trustProxy: false };

/** The routes that hand alerts and events to Temporal: the in-flight cap applies to them. */
export const INTAKE_PATHS = ['/v1/alerts', '/v1/alerts/defender', '/v1/events'];

/** Thrown when a key has used up its requests for the window; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number, what = 'Too many requests for this API key') {
    super(`${what}; retry after ${retryAfterSeconds} s`);
  }
}

/** Thrown when this API process already has its cap of intake requests in progress; nothing was started for the request. */
export class IntakeBusyError extends Error {
  readonly retryAfterSeconds = 1;
  /** `of`: whose requests filled the cap: the process's, or one tenant's (`tenant <id>`) or key's. */
  constructor(readonly limit: number, of = 'The engine') {
    super(`${of} has ${limit} intake requests in progress; retry after 1 s (nothing was accepted from this request)`);
  }
}

/**
 * Backpressure at intake: at most `max` intake requests in progress at once (counted until each is answered or its
 * connection closes); the next is refused with 429 before its body is read, so nothing of it reaches Temporal.
 */
export function intakeInFlightLimit(max: number, onRefused: () => void = () => undefined, perTenant = max): RequestHandler {
  let inFlight = 0;
  // One tenant cannot take the whole process's cap: the others' alerts still get in (counts of zero are removed).
  const byTenant = new Map<string, number>();
  return (_request: Request, response: Response, next: NextFunction) => {
    const owner = intakeOwner(response.locals.principal);
    const own = byTenant.get(owner) ?? 0;
    if (inFlight >= max || own >= perTenant) {
      onRefused();
      next(inFlight >= max ? new IntakeBusyError(max) : new IntakeBusyError(perTenant, owner.startsWith('tenant ') ? `Tenant ${owner.slice(7)}` : 'This API key'));
      return;
    }
    inFlight += 1;
    byTenant.set(owner, own + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      const left = (byTenant.get(owner) ?? 1) - 1;
      if (left > 0) byTenant.set(owner, left);
      else byTenant.delete(owner);
    };
    response.once('finish', release);
    response.once('close', release);
    next();
  };
}

/** Whose intake budget a request uses: the tenant of a tenant-bound key, else the key id. */
function intakeOwner(principal: unknown): string {
  const tenantId: unknown = Reflect.get(Object(principal), 'tenantId');
  if (typeof tenantId === 'string') return `tenant ${tenantId}`;
  const keyId: unknown = Reflect.get(Object(principal), 'keyId');
  return `key ${typeof keyId === 'string' ? keyId : 'anonymous'}`;
}

/** JSON API: no scripts, no framing, no referrer; HSTS for when TLS terminates in front of the API. */
export function securityHeaders(): RequestHandler {
  return helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], styleSrc: ["'self'", "'unsafe-inline'"] } } });
}

/** Answers preflights and sets Access-Control headers for the listed origins only; nothing at all when none is listed. */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  if (origins.length === 0) return (_request, _response, next) => next();
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
  });
}

const MINUTE_MS = 60_000;

/**
 * express-rate-limit's counters in the engine's rate-limit store, so a limit holds across every API process (one
 * window count per key in the shared database, not one per process).
 */
export function sharedCounters(store: RateLimitStore, windowMs: number, prefix: string): Store {
  return {
    prefix,
    localKeys: false,
    increment: async (key: string): Promise<ClientRateLimitInfo> => {
      const { count, resetAt } = await store.hit(`${prefix}${key}`, windowMs, Date.now());
      return { totalHits: count, resetTime: new Date(resetAt) };
    },
    decrement: (key: string) => store.unhit(`${prefix}${key}`, windowMs, Date.now()),
    resetKey: (key: string) => store.reset(`${prefix}${key}`),
  };
}

const storeOption = (store: RateLimitStore | undefined, prefix: string) => (store ? { store: sharedCounters(store, MINUTE_MS, prefix) } : {});

/**
 * After authentication: counts per key id (the key itself is never a map key), by client address otherwise. With a
 * store the counts are shared by every API process; without one they are this process's.
 */
export function perKeyRateLimit(perMinute: number, store?: RateLimitStore, onLimited: () => void = () => undefined): RequestHandler {
  return minuteLimiter(perMinute, onLimited, 'Too many requests for this API key', {
    keyGenerator: (request: Request, response: Response) => {
      const keyId: unknown = Reflect.get(Object(response.locals.principal), 'keyId');
      return typeof keyId === 'string' ? `key:${keyId}` : `ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
    },
    ...storeOption(store, 'rl:key:'),
  });
}

/** After authentication: every key of one tenant together (R17: one tenant cannot use up the API for all); SOC keys are not counted. */
export function perTenantRateLimit(perMinute: number, store?: RateLimitStore, onLimited: () => void = () => undefined): RequestHandler {
  return minuteLimiter(perMinute, onLimited, 'Too many requests for this tenant', {
    skip: (_request: Request, response: Response) => tenantOfPrincipal(response) === null,
    keyGenerator: (_request: Request, response: Response) => tenantOfPrincipal(response) ?? '',
    ...storeOption(store, 'rl:tenant:'),
  });
}

function tenantOfPrincipal(response: Response): string | null {
  const tenantId: unknown = Reflect.get(Object(response.locals.principal), 'tenantId');
  return typeof tenantId === 'string' ? tenantId : null;
}

/**
 * Guessing keys: requests answered 401 count per client address (`trust proxy` decides which address); past
 * `perMinute` in a minute the address gets 429 before its key is even looked at. Only failures count, after they
 * are answered: a burst of good requests from one address (a SIEM connector behind NAT) is never refused by it.
 * The counts are in the shared store, so the limit holds across every API process.
 */
export function failedAuthLimit(perMinute: number, store: RateLimitStore, onLimited: () => void = () => undefined): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const key = `rl:auth:ip:${ipKeyGenerator(request.ip ?? 'unknown')}`;
    const now = Date.now();
    store.peek(key, MINUTE_MS, now).then(
      ({ count, resetAt }) => {
        if (count >= perMinute) {
          onLimited();
          next(new RateLimitedError(Math.max(1, Math.ceil((resetAt - now) / 1000)), 'Too many failed authentications from this address'));
          return;
        }
        response.once('finish', () => {
          if (response.statusCode === 401) store.hit(key, MINUTE_MS, Date.now()).catch(() => undefined);
        });
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/** express-rate-limit over one minute, refusing with RateLimitedError (429, Retry-After) through the error middleware. */
function minuteLimiter(perMinute: number, onLimited: () => void, what: string, options: Partial<Options>): RequestHandler {
  const windowMs = MINUTE_MS;
  return rateLimit({
    windowMs,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...options,
    handler: (_request, response, next) => {
      onLimited();
      const reset = Number(response.getHeader('Retry-After'));
      next(new RateLimitedError(Number.isFinite(reset) && reset > 0 ? reset : Math.ceil(windowMs / 1000), what));
    },
  });
}

/** Thrown (answered 503) when a request takes longer than the configured time limit. */
export class RequestTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`The request was not answered within ${limitMs} ms; retry later`);
  }
}

/**
 * Answers a request still unanswered after the limit through `answer` (the error middleware's mapping); what the
 * handler sends later is dropped. The server's own timeouts (api/listenApi.ts) bound slow uploads and headers.
 */
export function requestTimeLimit(limitMs: number, answer: (response: Response, error: RequestTimeoutError) => void): RequestHandler {
  return (_request: Request, response: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (!response.headersSent) answer(response, new RequestTimeoutError(limitMs));
    }, limitMs);
    const clear = () => clearTimeout(timer);
    response.once('finish', clear);
    response.once('close', clear);
    next();
  };
}
