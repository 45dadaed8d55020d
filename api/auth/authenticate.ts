/** Establishes the caller from `Authorization: Bearer <key>`; the key itself never reaches a log or an error. */
import type { NextFunction, Request, Response } from 'express';
import { UnauthenticatedError } from '../../domain/refusals';
import type { ApiKeyRegistry } from './apiKeys';
import type { Principal } from '../../domain/access/roles';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

export function authenticate(keys: ApiKeyRegistry) {
  return (request: Request, response: Response, next: NextFunction) => {
    const header = request.headers.authorization;
    if (!header) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError('Missing Authorization header: send `Authorization: Bearer <api key>`');
    }
    const match = BEARER.exec(header);
    const principal = match?.[1] ? keys.authenticate(match[1]) : undefined;
    if (!principal) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthenticatedError('The API key is not valid');
    }
    response.locals.principal = principal;
    next();
  };
}

/** The principal that `authenticate` stored for this request. */
export function principalOf(response: Response): Principal {
  const principal: unknown = response.locals.principal;
  if (!isPrincipal(principal)) throw new UnauthenticatedError('Not authenticated');
  return principal;
}

function isPrincipal(value: unknown): value is Principal {
  return typeof value === 'object' && value !== null && 'keyId' in value && 'role' in value && 'tenantId' in value;
}
