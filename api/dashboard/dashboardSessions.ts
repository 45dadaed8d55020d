/**
 * Browser sessions of the dashboard: a random session id in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS),
 * held in this process's memory with an absolute expiry. The session keeps the key's principal, never the key.
 * Every POST carries the session's CSRF token in a hidden field; the login form a double-submit token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/roles';

export interface DashboardSession {
  id: string;
  principal: Principal;
  csrfToken: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'soar_session';
export const LOGIN_COOKIE = 'soar_login';
const COOKIE_PATH = '/dashboard';

export class DashboardSessions {
  private readonly sessions = new Map<string, DashboardSession>();

  constructor(private readonly options: { ttlMs: number; maxSessions: number; now: () => number }) {}

  open(principal: Principal): DashboardSession {
    this.sweep();
    // Past the cap the oldest session goes first (a Map keeps insertion order).
    while (this.sessions.size >= this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session = { id: randomToken(), principal, csrfToken: randomToken(), expiresAt: this.options.now() + this.options.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  find(id: string | undefined): DashboardSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expiresAt <= this.options.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.options.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two tokens in constant time; false for a missing one. */
export function sameToken(expected: string | undefined, presented: unknown): boolean {
  if (!expected || typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function setCookie(request: Request, response: Response, name: string, value: string, maxAgeMs: number): void {
  response.cookie(name, value, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: COOKIE_PATH, maxAge: maxAgeMs });
}

export function clearCookie(request: Request, response: Response, name: string): void {
  response.clearCookie(name, { httpOnly: true, sameSite: 'strict', secure: request.secure, path: COOKIE_PATH });
}
