/** 405 with `Allow` for a documented path called with a method it does not have (instead of 404), from the OpenAPI paths. */
import type { NextFunction, Request, Response } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Thrown when the path exists but not with this method; `allowed` becomes the Allow header. */
export class MethodNotAllowedError extends Error {
  constructor(readonly method: string, readonly path: string, readonly allowed: readonly string[]) {
    super(`${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Placed after every route: a request that reaches it matched no route with its method. */
export function methodNotAllowed(openApiDocument: object) {
  const paths: unknown = Reflect.get(openApiDocument, 'paths');
  const templates = Object.entries(typeof paths === 'object' && paths !== null ? paths : {}).map(([template, operations]: [string, unknown]) => ({
    pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escape).join('[^/]+')}$`),
    allowed: METHODS.filter((m) => typeof operations === 'object' && operations !== null && m in operations).map((m) => m.toUpperCase()),
  }));
  return (request: Request, _response: Response, next: NextFunction) => {
    const found = templates.find((t) => t.pattern.test(request.path));
    if (found && found.allowed.length > 0 && !found.allowed.includes(request.method)) {
      return next(new MethodNotAllowedError(request.method, request.path, found.allowed));
    }
    next();
  };
}
