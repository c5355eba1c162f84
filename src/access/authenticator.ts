/**
 * Signing in. One answer, in about the same time, for an unknown user, a disabled one and a wrong
 * password (the unknown user's password is verified against a dummy hash of the same cost).
 * Throttled attempts are refused before any hashing, and so is a second attempt on an account
 * while one is still being checked: otherwise a burst of parallel guesses would all pass the
 * throttle before the first failure is counted. Password failures and TOTP failures both count.
 *
 * An account with a TOTP factor needs its code, and its session then has second-factor strength;
 * without a factor the session has password strength (an administrator without one may then only
 * enrol: request-guards.ts). A hash made with older parameters is replaced at a successful sign-in.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';
import { throttleAddressKey, throttleUsernameKey, type LoginThrottle } from './login-throttle.js';
import type { Session, SessionStore } from './session-store.js';
import { toPublicUser, type PublicUser, type User, type UserStore } from './user-store.js';
import { verifyTotp } from './totp.js';

export type LoginFailureReason = 'INVALID_CREDENTIALS' | 'THROTTLED' | 'TOTP_REQUIRED' | 'TOTP_INVALID';

export type LoginResult =
  | { ok: true; token: string; session: Session; user: PublicUser }
  | {
      ok: false;
      reason: LoginFailureReason;
      /** With THROTTLED: when to try again. */
      retryAfterMs?: number;
      /** The account concerned, for the audit entry only: never sent to the client. */
      userId?: string;
    };

/** Sign-in attempts checked at once from one address (several people may share one). */
export const MAX_CONCURRENT_ATTEMPTS_PER_ADDRESS = 4;
/** What a client is told to wait when its attempt overlaps another one still being checked. */
export const CONCURRENT_ATTEMPT_RETRY_MS = 1000;

export class Authenticator {
  /** Attempts being checked right now, by throttle key (account or address). */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly deps: { users: UserStore; hasher: PasswordHasher; throttle: LoginThrottle; sessions: SessionStore; clock: Clock; logger: Logger },
  ) {}

  async login(input: { username: string; password: string; totpCode?: string; clientAddress: string }): Promise<LoginResult> {
    const { throttle } = this.deps;
    const gate = throttle.check(input.username, input.clientAddress);
    if (!gate.allowed) return { ok: false, reason: 'THROTTLED', retryAfterMs: gate.retryAfterMs };
    const release = this.claim(input.username, input.clientAddress);
    if (release === undefined) return { ok: false, reason: 'THROTTLED', retryAfterMs: CONCURRENT_ATTEMPT_RETRY_MS };
    try {
      return await this.attempt(input);
    } finally {
      release();
    }
  }

  /**
   * The password (and the TOTP code, when the account has one) again, before an export or a grant
   * of a privileged role, or to raise a session's strength. Counts
   * towards the throttle like a sign-in; a throttled or overlapping attempt is simply false.
   * Only checks: the caller marks the session (and gives it a new token, account-access.ts).
   */
  async reauthenticate(session: Session, password: string, totpCode?: string): Promise<boolean> {
    const { users, hasher, throttle, clock } = this.deps;
    const user = users.get(session.userId);
    if (user === undefined || user.disabled) return false;
    if (!throttle.check(user.username, session.clientAddress).allowed) return false;
    const release = this.claim(user.username, session.clientAddress);
    if (release === undefined) return false;
    try {
      const verified = await hasher.verify(user.passwordHash, password);
      let ok = verified.ok;
      if (ok && hasSecondFactor(user)) {
        const check = totpCode === undefined ? { ok: false as const } : verifyTotp(user.totpSecret, totpCode, clock.now(), user.totpLastStep);
        ok = check.ok;
        if (check.ok) await users.recordTotpStep(user.id, check.step);
      }
      if (!ok) {
        throttle.recordFailure(user.username, session.clientAddress);
        return false;
      }
      throttle.recordSuccess(user.username, session.clientAddress);
      return true;
    } finally {
      release();
    }
  }

  /**
   * Changes the user's own password after checking the current one (INVALID_CREDENTIALS, or
   * THROTTLED after too many wrong ones: this path must not be a way around the login throttle).
   * The new one must pass the rules (AppError with the rule's code). Sessions are left alone:
   * the caller decides which to end.
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string, clientAddress?: string): Promise<void> {
    const { users, hasher, throttle } = this.deps;
    const user = users.get(userId);
    if (user === undefined || user.disabled) throw new AppError('USER_NOT_FOUND', 'no such user');
    const gate = throttle.check(user.username, clientAddress);
    if (!gate.allowed) throw new AppError('THROTTLED', 'too many wrong passwords: try again later', { details: { retryAfterMs: gate.retryAfterMs } });
    const release = this.claim(user.username, clientAddress);
    if (release === undefined) throw new AppError('THROTTLED', 'another attempt is being checked: try again in a moment', { details: { retryAfterMs: CONCURRENT_ATTEMPT_RETRY_MS } });
    try {
      if (!(await hasher.verify(user.passwordHash, currentPassword)).ok) {
        throttle.recordFailure(user.username, clientAddress);
        throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
      }
      throttle.recordSuccess(user.username, clientAddress);
    } finally {
      release();
    }
    await users.setPassword(userId, newPassword);
  }

  private async attempt(input: { username: string; password: string; totpCode?: string; clientAddress: string }): Promise<LoginResult> {
    const { users, hasher, throttle, sessions, clock, logger } = this.deps;
    const fail = (reason: LoginFailureReason, userId?: string): LoginResult => {
      throttle.recordFailure(input.username, input.clientAddress);
      return userId === undefined ? { ok: false, reason } : { ok: false, reason, userId };
    };

    const user = users.findByUsername(input.username);
    if (user === undefined) {
      await hasher.verifyDummy(input.password);
      return fail('INVALID_CREDENTIALS');
    }
    // A disabled account is verified all the same, so its answer takes as long as any other.
    const verified = await hasher.verify(user.passwordHash, input.password);
    if (!verified.ok || user.disabled) return fail('INVALID_CREDENTIALS', user.id);

    if (hasSecondFactor(user)) {
      // Not a failure: the first step of a two-step sign-in. The account is not cleared either.
      if (input.totpCode === undefined || input.totpCode === '') return { ok: false, reason: 'TOTP_REQUIRED', userId: user.id };
      const check = verifyTotp(user.totpSecret, input.totpCode, clock.now(), user.totpLastStep);
      if (!check.ok) return fail('TOTP_INVALID', user.id);
      await users.recordTotpStep(user.id, check.step);
    }
    throttle.recordSuccess(input.username, input.clientAddress);

    if (verified.needsRehash) {
      // Best effort: the sign-in stands even if the new hash cannot be made or written now.
      try {
        await users.replaceHash(user.id, await hasher.hash(input.password));
        logger.info('password rehashed with the current parameters', { userId: user.id });
      } catch (err) {
        logger.warn('password rehash failed; the old hash stays', { userId: user.id, code: err instanceof AppError ? err.code : 'error' });
      }
    }
    const { token, session } = sessions.create(user.id, { strength: hasSecondFactor(user) ? 'second-factor' : 'password', clientAddress: input.clientAddress });
    return { ok: true, token, session, user: toPublicUser(user) };
  }

  /**
   * Marks an attempt as in progress for the account and the address; undefined when the account
   * already has one, or the address has too many. The returned function ends it.
   */
  private claim(username: string, address: string | undefined): (() => void) | undefined {
    const accountKey = throttleUsernameKey(username);
    const addressKey = address === undefined ? undefined : throttleAddressKey(address);
    if ((this.inFlight.get(accountKey) ?? 0) >= 1) return undefined;
    if (addressKey !== undefined && (this.inFlight.get(addressKey) ?? 0) >= MAX_CONCURRENT_ATTEMPTS_PER_ADDRESS) return undefined;
    const keys = addressKey === undefined ? [accountKey] : [accountKey, addressKey];
    for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of keys) {
        const left = (this.inFlight.get(key) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(key);
        else this.inFlight.set(key, left);
      }
    };
  }
}

function hasSecondFactor(user: User): user is User & { totpSecret: string } {
  return user.totpEnabled && user.totpSecret !== null;
}
