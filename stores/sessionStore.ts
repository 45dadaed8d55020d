/**
 * Dashboard sessions, shared by every API process: a session opened on one API works on the other. Only a hash of
 * the session id is stored (the id is a bearer secret), with the principal as JSON the dashboard parses.
 */
import { createHash } from 'node:crypto';

export interface StoredSession {
  /** The session id as the cookie carries it; the store keeps only its hash. */
  id: string;
  /** Who logged in: one key id (a principal's sessions are capped per key). */
  principalKey: string;
  /** The principal as JSON; the dashboard parses it. */
  principal: string;
  csrfToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface SessionStore {
  /** Saves the session; past `maxPerPrincipal` live sessions of the same principal, its oldest are closed. */
  open(session: StoredSession, maxPerPrincipal: number): Promise<void>;
  /** The live session with this id; an expired one is deleted and not returned. */
  find(id: string, now: number): Promise<StoredSession | undefined>;
  close(id: string): Promise<void>;
  /** Deletes expired sessions; returns how many went. */
  sweep(now: number): Promise<number>;
}

export function sessionKey(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
