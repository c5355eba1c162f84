/**
 * Server-side sessions. The browser holds only a random 256-bit token; the store keeps the
 * session under the token's SHA-256, so a memory dump or log never yields a usable token.
 * Sessions end after 15 minutes idle or 8 hours in all (configurable), and when the user is
 * disabled. They live in memory: a restart of the service signs everyone out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_ABSOLUTE_TIMEOUT_MS = 8 * 3600_000;
/** An export needs the password again within this time. */
export const REAUTH_VALID_MS = 5 * 60_000;

export interface Session {
  readonly userId: string;
  readonly createdAt: number;
  lastSeenAt: number;
  readonly csrfToken: string;
  secondFactor: boolean;
  totpEnrollmentOnly: boolean;
  reauthenticatedAt: number | null;
  readonly clientAddress: string;
}

const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleTimeoutMs: number;
  private readonly absoluteTimeoutMs: number;
  private readonly maxSessions: number;

  constructor(private readonly options: { clock: Clock; idleTimeoutMs?: number; absoluteTimeoutMs?: number; maxSessions?: number }) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.absoluteTimeoutMs = options.absoluteTimeoutMs ?? DEFAULT_ABSOLUTE_TIMEOUT_MS;
    this.maxSessions = options.maxSessions ?? 10_000;
  }

  create(userId: string, init: { secondFactor: boolean; totpEnrollmentOnly: boolean; clientAddress: string }): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const now = this.options.clock.now();
    const session: Session = { userId, createdAt: now, lastSeenAt: now, csrfToken: randomBytes(32).toString('base64url'), reauthenticatedAt: null, ...init };
    this.sessions.set(keyOf(token), session);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return { token, session };
  }

  /** The live session of a token; an expired one is removed. A hit counts as activity. */
  get(token: string): Session | undefined {
    const key = keyOf(token);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.options.clock.now();
    if (now - session.lastSeenAt >= this.idleTimeoutMs || now - session.createdAt >= this.absoluteTimeoutMs) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(token: string): void {
    this.sessions.delete(keyOf(token));
  }

  destroyAllForUser(userId: string): number {
    let ended = 0;
    for (const [key, session] of this.sessions) {
      if (session.userId === userId) {
        this.sessions.delete(key);
        ended++;
      }
    }
    return ended;
  }

  markReauthenticated(token: string): void {
    const session = this.sessions.get(keyOf(token));
    if (session !== undefined) session.reauthenticatedAt = this.options.clock.now();
  }

  isRecentlyReauthenticated(session: Session): boolean {
    return session.reauthenticatedAt !== null && this.options.clock.now() - session.reauthenticatedAt < REAUTH_VALID_MS;
  }

  count(): number {
    return this.sessions.size;
  }
}
