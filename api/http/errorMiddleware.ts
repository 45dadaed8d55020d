/** Maps the services' refusals to JSON answers; a client's mistake never becomes a 500, and no stack trace leaves. */
import type { ErrorRequestHandler } from 'express';
import {
  EngineUnavailableError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ConflictError,
  UnauthenticatedError,
  UnknownTenantError,
  UnregisteredSourceError,
  type FieldIssue,
} from '../services/errors';
import { UnsupportedMediaTypeError } from './requireJson';
import { PayloadKeyUnavailableError } from '../../infra/crypto/payloadKeys';
import { PayloadAuthenticationError } from '../../infra/crypto/tenantPayloadCodec';

interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[]; accepted?: unknown[] };
}

function answer(status: number, code: string, message: string, extra: Partial<ErrorBody['error']> = {}) {
  return { status, body: { error: { code, message, ...extra } } satisfies ErrorBody };
}

/** body-parser's errors carry `type` and `status`; they are the client's mistakes. */
function bodyParserError(error: unknown): { type: string; status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error) || !('status' in error)) return undefined;
  const { type, status } = error;
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  return { type, status, message: error instanceof Error ? error.message : type };
}

export function toHttpError(error: unknown) {
  if (error instanceof InvalidInputError) return answer(400, 'invalid_input', error.message, { issues: error.issues });
  if (error instanceof UnknownTenantError)
    return answer(422, 'unknown_tenant', error.message, { issues: [{ field: error.field, message: error.message }] });
  if (error instanceof UnregisteredSourceError)
    return answer(422, 'unregistered_source', error.message, { issues: [{ field: error.field, message: error.message }] });
  if (error instanceof UnsupportedMediaTypeError)
    return answer(415, 'unsupported_media_type', error.message, { issues: [{ field: '(header) Content-Type', message: error.message }] });
  if (error instanceof UnauthenticatedError) return answer(401, 'unauthenticated', error.message);
  if (error instanceof ForbiddenError)
    return answer(403, 'forbidden', error.message, error.field ? { issues: [{ field: error.field, message: error.message }] } : {});
  if (error instanceof NotFoundError) return answer(404, 'not_found', error.message);
  if (error instanceof ConflictError) return answer(409, 'conflict', error.message);
  // Not the caller's key: a payload names a key id that was deleted (crypto-shredded) or fails authentication.
  if (error instanceof PayloadKeyUnavailableError)
    return answer(422, 'payload_key_unavailable', error.message, { issues: [{ field: 'metadata.encryption-key-id', message: error.keyId }] });
  if (error instanceof PayloadAuthenticationError)
    return answer(422, 'payload_not_authentic', error.message, { issues: [{ field: 'metadata.encryption-key-id', message: error.keyId }] });
  if (error instanceof EngineUnavailableError)
    return answer(503, 'engine_unavailable', error.message, error.accepted.length ? { accepted: error.accepted } : {});
  const parserError = bodyParserError(error);
  if (parserError) {
    if (parserError.type === 'entity.too.large') return answer(413, 'body_too_large', 'The request body is larger than the configured limit');
    if (parserError.type === 'entity.parse.failed')
      return answer(400, 'malformed_json', `The body is not valid JSON: ${parserError.message}`, {
        issues: [{ field: '(body)', message: parserError.message }],
      });
    if (parserError.status >= 400 && parserError.status < 500) return answer(parserError.status, parserError.type.replace(/\W/g, '_'), parserError.message);
  }
  return answer(500, 'internal_error', 'An internal error occurred; it has been logged');
}

export function errorMiddleware(log: (line: string, error: unknown) => void): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) log(`${request.method} ${request.path} failed`, error);
    if (status === 503) response.setHeader('Retry-After', '5');
    response.status(status).json(body);
  };
}
