/**
 * Server-side sessions. The browser holds only a random 256-bit token; the store keeps the
 * session under the token's SHA-256, so a memory dump or log never yields a usable token.
 * Sessions end after 15 minutes idle or 8 hours in all (configurable), and when the user is
 * disabled. They live in memory: a restart of the service signs everyone out.
 *
 * A session keeps the strength it was signed in with (policy.ts: password, or password and second
 * factor). Every change of privilege (the second factor confirmed, a re-authentication) gives the
 * session a new token and CSRF token: `rotate`.
 *
 * An ended session leaves its reason behind (under the same hash, for as long as a session could
 * have lived, bounded in number), so the browser still holding its cookie is told why it must
 * sign in again: idle, signed out, the password or roles changed...
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { AuthStrength, Role } from './policy.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_ABSOLUTE_TIMEOUT_MS = 8 * 3600_000;
/** An export, or a grant of a privileged role, needs the password (and code) again within this time. */
export const REAUTH_VALID_MS = 5 * 60_000;
export const DEFAULT_MAX_SESSIONS = 10_000;
/**
 * Sessions one account may hold at once; its oldest goes first. Without it, one account that
 * signs in over and over could push everyone else's sessions out of the global bound.
 */
export const DEFAULT_MAX_SESSIONS_PER_USER = 50;

/** What changed in the user's roles since their previous sign-in: shown once, at the next one. */
export interface RoleNotice {
  readonly changedAt: string;
  readonly before: readonly Role[];
  readonly after: readonly Role[];
}

export interface Session {
  readonly userId: string;
  readonly createdAt: number;
  lastSeenAt: number;
  readonly csrfToken: string;
  /** How the session was signed in; raised only by `rotate`. */
  readonly strength: AuthStrength;
  reauthenticatedAt: number | null;
  /** The strength of that re-authentication: with the second factor, or the password only. */
  reauthenticatedWith: AuthStrength | null;
  readonly clientAddress: string;
  /** The role change the user is told about in this session (taken from the user at sign-in). */
  roleNotice: RoleNotice | null;
}

/** Why a session ended, as NOT_AUTHENTICATED tells it (the web UI has a text for each). */
export type SessionEndReason = 'idle' | 'expired' | 'signed-out' | 'password-changed' | 'roles-changed' | 'disabled' | 'second-factor-reset' | 'second-factor-changed';

const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** The reasons of ended sessions by token hash, oldest first (bounded by maxSessions). */
  private readonly endings = new Map<string, { reason: SessionEndReason; at: number }>();
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
  create(userId: string, init: { strength: AuthStrength; clientAddress: string }): { token: string; session: Session } {
    const now = this.options.clock.now();
    return this.store({
      userId,
      createdAt: now,
      lastSeenAt: now,
      csrfToken: randomBytes(32).toString('base64url'),
      strength: init.strength,
      reauthenticatedAt: null,
      reauthenticatedWith: null,
      clientAddress: init.clientAddress,
      roleNotice: null,
    });
  }

  /**
   * A change of privilege: the session goes on under a new token and CSRF token (the old token
   * ends at once), with the strength raised if `strength` is given. Its start time stays, so the
   * absolute timeout still counts from the sign-in. Undefined for a token that is no live session.
   */
  rotate(token: string, change: { strength?: AuthStrength } = {}): { token: string; session: Session } | undefined {
    const current = this.get(token);
    if (current === undefined) return undefined;
    this.sessions.delete(keyOf(token));
    return this.store({ ...current, csrfToken: randomBytes(32).toString('base64url'), strength: change.strength ?? current.strength });
  }

  private store(session: Session): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const { userId } = session;
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
        this.end(key, this.expiryReason(session, now));
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
      this.end(key, this.expiryReason(session, now));
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(token: string, reason: SessionEndReason = 'signed-out'): void {
    const key = keyOf(token);
    if (this.sessions.has(key)) this.end(key, reason);
  }

  /** Ends every session of the user (but the one of `exceptToken`, if given); returns how many. */
  destroyAllForUser(userId: string, exceptToken?: string, reason: SessionEndReason = 'signed-out'): number {
    const kept = exceptToken === undefined ? undefined : keyOf(exceptToken);
    let ended = 0;
    for (const [key, session] of this.sessions) {
      if (session.userId === userId && key !== kept) {
        this.end(key, reason);
        ended++;
      }
    }
    return ended;
  }

  /** Why the session of this token ended, while that is remembered; undefined for a token never seen. */
  endReason(token: string): SessionEndReason | undefined {
    const key = keyOf(token);
    const session = this.sessions.get(key);
    // A session past its time that no request has touched since: it ended all the same.
    if (session !== undefined) return this.expired(session, this.options.clock.now()) ? this.expiryReason(session, this.options.clock.now()) : undefined;
    const ending = this.endings.get(key);
    if (ending === undefined || this.options.clock.now() - ending.at >= this.absoluteTimeoutMs) return undefined;
    return ending.reason;
  }

  /** The idle limit in whole minutes, as the user is told it. */
  get idleMinutes(): number {
    return Math.round(this.idleTimeoutMs / 60_000);
  }

  private end(key: string, reason: SessionEndReason): void {
    this.sessions.delete(key);
    this.endings.delete(key);
    this.endings.set(key, { reason, at: this.options.clock.now() });
    while (this.endings.size > this.maxSessions) {
      const oldest = this.endings.keys().next().value;
      if (oldest === undefined) break;
      this.endings.delete(oldest);
    }
  }

  private expiryReason(session: Session, now: number): SessionEndReason {
    return now - session.createdAt >= this.absoluteTimeoutMs ? 'expired' : 'idle';
  }

  markReauthenticated(token: string, strength: AuthStrength = 'password'): void {
    const session = this.get(token);
    if (session === undefined) return;
    session.reauthenticatedAt = this.options.clock.now();
    session.reauthenticatedWith = strength;
  }

  /**
   * True within REAUTH_VALID_MS of the last re-authentication (and never for an expired session);
   * with `strength: 'second-factor'`, only if that re-authentication checked the second factor.
   */
  isRecentlyReauthenticated(session: Session, strength: AuthStrength = 'password'): boolean {
    const now = this.options.clock.now();
    if (strength === 'second-factor' && session.reauthenticatedWith !== 'second-factor') return false;
    return session.reauthenticatedAt !== null && now - session.reauthenticatedAt < REAUTH_VALID_MS && now >= session.reauthenticatedAt && !this.expired(session, now);
  }

  count(): number {
    return this.sessions.size;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastSeenAt >= this.idleTimeoutMs || now - session.createdAt >= this.absoluteTimeoutMs;
  }
}
