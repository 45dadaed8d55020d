/**
 * Browser sessions of the dashboard: a random session id in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS),
 * kept in the engine's session store (shared by every API process) with an absolute expiry. The session keeps the
 * key's principal, never the key. Every POST carries the session's CSRF token in a hidden field; the login form a
 * double-submit token. Each principal holds a few sessions at most: logging in again and again closes only its own
 * oldest sessions, never another person's.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ROLES, type Principal } from '../../domain/access/roles';
import type { SessionStore } from '../../stores/sessionStore';

export interface DashboardSession {
  id: string;
  principal: Principal;
  csrfToken: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'soar_session';
export const LOGIN_COOKIE = 'soar_login';
const COOKIE_PATH = '/dashboard';

const storedPrincipalSchema = z.strictObject({ keyId: z.string().min(1), role: z.enum(ROLES), tenantId: z.string().min(1).nullable() });

export class DashboardSessions {
  constructor(private readonly options: { store: SessionStore; ttlMs: number; maxPerPrincipal: number; now: () => number }) {}

  async open(principal: Principal): Promise<DashboardSession> {
    const { store, now, ttlMs, maxPerPrincipal } = this.options;
    const session = { id: randomToken(), principal, csrfToken: randomToken(), expiresAt: now() + ttlMs };
    await store.open({ id: session.id, principalKey: principal.keyId, principal: JSON.stringify(principal), csrfToken: session.csrfToken, expiresAt: session.expiresAt }, maxPerPrincipal);
    // Expired sessions of everybody go now and then, so the store does not grow with logins nobody ended.
    await store.sweep(now());
    return session;
  }

  async find(id: string | undefined): Promise<DashboardSession | undefined> {
    if (!id) return undefined;
    const stored = await this.options.store.find(id, this.options.now());
    if (!stored) return undefined;
    const principal = storedPrincipalSchema.safeParse(JSON.parse(stored.principal));
    // A session whose principal this build cannot read (written by another version) is treated as logged out.
    if (!principal.success) return undefined;
    return { id: stored.id, principal: principal.data, csrfToken: stored.csrfToken, expiresAt: stored.expiresAt };
  }

  async close(id: string): Promise<void> {
    await this.options.store.close(id);
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
