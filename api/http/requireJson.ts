/** Refuses a body that is not declared as JSON, before anything reads it. */
import type { NextFunction, Request, Response } from 'express';

/** Thrown when a request body is not declared as JSON. */
export class UnsupportedMediaTypeError extends Error {
  constructor(readonly contentType: string) {
    super(`Content-Type must be application/json, got '${contentType}'`);
  }
}

export function requireJson(request: Request, _response: Response, next: NextFunction) {
  if (!request.is(['application/json', 'application/*+json'])) {
    throw new UnsupportedMediaTypeError(request.headers['content-type'] ?? 'nothing');
  }
  next();
}
