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
  PackageChangeTooLateError,
  type FieldIssue,
} from '../../domain/refusals';
import { UnsupportedMediaTypeError } from './requireJson';
import { PayloadKeyUnavailableError } from '../../infra/crypto/payloadKeys';
import { PayloadAuthenticationError } from '../../infra/crypto/tenantPayloadCodec';
import { IntakeBusyError, RateLimitedError, RequestTimeoutError } from './hardening';
import { MethodNotAllowedError } from './methodNotAllowed';
import type { Response } from 'express';

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
  if (error instanceof PackageChangeTooLateError)
    return answer(422, error.code, error.message, { issues: [{ field: 'effectiveDate', message: `earliest possible: ${error.earliestEffectiveDate}` }] });
  // Not the caller's key: a payload names a key id that was deleted (crypto-shredded) or fails authentication.
  if (error instanceof PayloadKeyUnavailableError)
    return answer(422, 'payload_key_unavailable', error.message, { issues: [{ field: 'metadata.encryption-key-id', message: error.keyId }] });
  if (error instanceof PayloadAuthenticationError)
    return answer(422, 'payload_not_authentic', error.message, { issues: [{ field: 'metadata.encryption-key-id', message: error.keyId }] });
  if (error instanceof MethodNotAllowedError) return answer(405, 'method_not_allowed', error.message);
  if (error instanceof IntakeBusyError) return answer(429, 'intake_busy', error.message);
  if (error instanceof RateLimitedError) return answer(429, 'rate_limited', error.message);
  if (error instanceof RequestTimeoutError) return answer(503, 'request_timeout', error.message);
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

/** Sends the mapped answer, with Retry-After where the caller should come back (429, 503). */
export function sendError(response: Response, error: unknown): number {
  const { status, body } = toHttpError(error);
  if (error instanceof MethodNotAllowedError) response.setHeader('Allow', error.allowed.join(', '));
  if (error instanceof RateLimitedError || error instanceof IntakeBusyError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
  else if (status === 503) response.setHeader('Retry-After', '5');
  response.status(status).json(body);
  return status;
}

export function errorMiddleware(log: (line: string, error: unknown) => void): ErrorRequestHandler {
  return (error, request, response, _next) => {
    // Already answered (the request's time limit passed first): nothing more may be sent.
    if (response.headersSent) return;
    const { status } = toHttpError(error);
    if (status >= 500) log(`${request.method} ${request.path} failed`, error);
    sendError(response, error);
  };
}
