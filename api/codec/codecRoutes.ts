/**
 * The remote codec endpoint of the Temporal UI and CLI: `POST /v1/codec/decode` and `/v1/codec/encode` with
 * `{"payloads": [...]}` in and out. CORS is answered for the one configured UI origin (`SOAR_CODEC_CORS_ORIGIN`),
 * before authentication, because a browser's preflight carries no Authorization header.
 */
import { type Router, type NextFunction, type Request, type Response } from 'express';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { parseOrRefuse } from '../http/validate';
import { ForbiddenError } from '../../domain/refusals';
import { codecBodySchema, type PayloadCodecEndpoint } from './payloadCodecEndpoint';

export const CODEC_PATHS = ['/v1/codec/decode', '/v1/codec/encode'] as const;

export function codecCors(allowedOrigin: string | null) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!(CODEC_PATHS as readonly string[]).includes(request.path)) return next();
    const origin = request.headers.origin;
    const allowed = allowedOrigin !== null && origin === allowedOrigin;
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', allowedOrigin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    response.setHeader('Vary', 'Origin');
    if (request.method !== 'OPTIONS') return next();
    if (!allowed) throw new ForbiddenError(`Origin '${origin ?? '(none)'}' may not call the codec endpoint (SOAR_CODEC_CORS_ORIGIN)`);
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    response.setHeader('Access-Control-Max-Age', '600');
    response.status(204).end();
  };
}

export function codecRoutes(deps: { codec: PayloadCodecEndpoint }): Router {
  const router = scopedRouter();
  const namespaceOf = (request: Request) => request.header('x-namespace') || undefined;
  router.post('/v1/codec/decode', async (request, response) => {
    response.json(await deps.codec.decode(principalOf(response), namespaceOf(request), parseOrRefuse(codecBodySchema, request.body)));
  });
  router.post('/v1/codec/encode', async (request, response) => {
    response.json(await deps.codec.encode(principalOf(response), namespaceOf(request), parseOrRefuse(codecBodySchema, request.body)));
  });
  return router;
}
