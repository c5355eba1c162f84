/**
 * Server-side sessions. The browser holds only a random 256-bit token; the store keeps the
 * session under the token's SHA-256, so a memory dump or log never yields a usable token.
 * Sessions end after 15 minutes idle or 8 hours in all (configurable), and when the user is
 * disabled. They live in memory: a restart of the service signs everyone out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_ABSOLUTE_TIMEOUT_MS = 8 * 3600_000;
/** An export needs the password again within this time. */
export const REAUTH_VALID_MS = 5 * 60_000;
export const DEFAULT_MAX_SESSIONS = 10_000;
/**
 * Sessions one account may hold at once; its oldest goes first. Without it, one account that
 * signs in over and over could push everyone else's sessions out of the global bound.
 */
export const DEFAULT_MAX_SESSIONS_PER_USER = 50;

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
  private readonly maxSessionsPerUser: number;

  constructor(private readonly options: { clock: Clock; idleTimeoutMs?: number; absoluteTimeoutMs?: number; maxSessions?: number; maxSessionsPerUser?: number }) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.absoluteTimeoutMs = options.absoluteTimeoutMs ?? DEFAULT_ABSOLUTE_TIMEOUT_MS;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.maxSessionsPerUser = options.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER;
    for (const [name, value] of Object.entries({ idleTimeoutMs: this.idleTimeoutMs, absoluteTimeoutMs: this.absoluteTimeoutMs, maxSessions: this.maxSessions, maxSessionsPerUser: this.maxSessionsPerUser })) {
      if (!Number.isSafeInteger(value) || value < 1) throw new AppError('CONFIG_INVALID', `session ${name} must be a positive integer`);
    }
  }

  /**
   * A new session with a new token (never one the client brought: fixation). The token is
   * returned once and kept only as its SHA-256. The bounds hold afterwards: the account's
   * oldest sessions go first, then expired ones, then the oldest of all.
   */
  create(userId: string, init: { secondFactor: boolean; totpEnrollmentOnly: boolean; clientAddress: string }): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const now = this.options.clock.now();
    const session: Session = {
      userId,
      createdAt: now,
      lastSeenAt: now,
      csrfToken: randomBytes(32).toString('base64url'),
      secondFactor: init.secondFactor,
      totpEnrollmentOnly: init.totpEnrollmentOnly,
      reauthenticatedAt: null,
      clientAddress: init.clientAddress,
    };
    this.sessions.set(keyOf(token), session);
    const own = [...this.sessions].filter(([, candidate]) => candidate.userId === userId);
    for (const [key] of own.slice(0, Math.max(0, own.length - this.maxSessionsPerUser))) this.sessions.delete(key);
    if (this.sessions.size > this.maxSessions) this.sweep();
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return { token, session };
  }

  /** Removes every expired session; returns how many. Callers may run it now and then. */
  sweep(): number {
    const now = this.options.clock.now();
    let removed = 0;
    for (const [key, session] of this.sessions) {
      if (this.expired(session, now)) {
        this.sessions.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** The live session of a token; an expired one is removed. A hit counts as activity. */
  get(token: string): Session | undefined {
    const key = keyOf(token);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.options.clock.now();
    if (this.expired(session, now)) {
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
    const session = this.get(token);
    if (session !== undefined) session.reauthenticatedAt = this.options.clock.now();
  }

  /** True within REAUTH_VALID_MS of the last re-authentication (and never for an expired session). */
  isRecentlyReauthenticated(session: Session): boolean {
    const now = this.options.clock.now();
    return session.reauthenticatedAt !== null && now - session.reauthenticatedAt < REAUTH_VALID_MS && now >= session.reauthenticatedAt && !this.expired(session, now);
  }

  count(): number {
    return this.sessions.size;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastSeenAt >= this.idleTimeoutMs || now - session.createdAt >= this.absoluteTimeoutMs;
  }
}
