/**
 * Signing in. One answer, in about the same time, for an unknown user, a disabled one and a wrong
 * password (the unknown user's password is verified against a dummy hash of the same cost).
 * Throttled attempts are refused before any hashing, and so is a second attempt on an account
 * while one is still being checked: otherwise a burst of parallel guesses would all pass the
 * throttle before the first failure is counted. Password failures and TOTP failures both count.
 * A browser with a device cookie of the account (device-cookie.ts) is throttled on its own, and
 * has its own one-at-a-time slot, so a flood against the account never holds up its owner.
 *
 * An account with a TOTP factor needs its code, and its session then has second-factor strength;
 * without a factor the session has password strength (an administrator without one may then only
 * enrol: request-guards.ts). A hash made with older parameters is replaced at a successful sign-in.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';
import { throttleAddressKey, throttleDeviceKey, throttleUsernameKey, type LoginAttempt, type LoginThrottle } from './login-throttle.js';
import type { DeviceCookies } from './device-cookie.js';
import type { Session, SessionStore } from './session-store.js';
import { hasActiveTotp, toPublicUser, type PublicUser, type UserStore } from './user-store.js';
import { verifyTotp } from './totp.js';

export type LoginFailureReason = 'INVALID_CREDENTIALS' | 'THROTTLED' | 'TOTP_REQUIRED' | 'TOTP_INVALID';

export type LoginResult =
  | {
      ok: true;
      token: string;
      session: Session;
      user: PublicUser;
      /** A fresh device cookie for this browser (when device cookies are on), and how long the browser keeps it. */
      deviceCookie?: string;
      deviceCookieMaxAgeSeconds?: number;
    }
  | {
      ok: false;
      reason: LoginFailureReason;
      /** With THROTTLED: when to try again. */
      retryAfterMs?: number;
      /** The attempt came from a trusted browser of the account (not one locked out on its own): its answer is not held back. */
      fromTrustedDevice?: true;
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
    private readonly deps: { users: UserStore; hasher: PasswordHasher; throttle: LoginThrottle; sessions: SessionStore; clock: Clock; logger: Logger; devices?: DeviceCookies },
  ) {}

  async login(input: { username: string; password: string; totpCode?: string; clientAddress: string; deviceCookie?: string }): Promise<LoginResult> {
    const { throttle, users, devices } = this.deps;
    // A lookup and at most one HMAC: no time an attacker could tell apart from the hashing that follows.
    const account = users.findByUsername(input.username);
    const device = account === undefined ? undefined : devices?.deviceOf(input.deviceCookie, account.id);
    const throttled: LoginAttempt = device === undefined ? { username: input.username, address: input.clientAddress } : { username: input.username, address: input.clientAddress, device };
    const trusted = device === undefined ? {} : { fromTrustedDevice: true as const };
    const gate = throttle.check(throttled);
    if (!gate.allowed) return { ok: false, reason: 'THROTTLED', retryAfterMs: gate.retryAfterMs, ...(gate.scope === 'device' ? {} : trusted) };
    const release = this.claim(throttled);
    if (release === undefined) return { ok: false, reason: 'THROTTLED', retryAfterMs: CONCURRENT_ATTEMPT_RETRY_MS, ...trusted };
    try {
      return await this.attempt(input, throttled);
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
    // A signed-in session is throttled on its own, like a trusted browser: a flood against the account does not block it.
    const throttled: LoginAttempt = { username: user.username, address: session.clientAddress, device: `session:${createHash('sha256').update(session.csrfToken).digest('base64url').slice(0, 22)}` };
    if (!throttle.check(throttled).allowed) return false;
    const release = this.claim(throttled);
    if (release === undefined) return false;
    try {
      const verified = await hasher.verify(user.passwordHash, password);
      let ok = verified.ok;
      if (ok && hasActiveTotp(user)) {
        const check = totpCode === undefined ? { ok: false as const } : verifyTotp(user.totpSecret, totpCode, clock.now(), user.totpLastStep);
        ok = check.ok;
        if (check.ok) await users.recordTotpStep(user.id, check.step);
      }
      if (!ok) {
        throttle.recordFailure(throttled);
        return false;
      }
      throttle.recordSuccess(throttled);
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
    const throttled: LoginAttempt = clientAddress === undefined ? { username: user.username } : { username: user.username, address: clientAddress };
    const gate = throttle.check(throttled);
    if (!gate.allowed) throw new AppError('THROTTLED', 'too many wrong passwords: try again later', { details: { retryAfterMs: gate.retryAfterMs } });
    const release = this.claim(throttled);
    if (release === undefined) throw new AppError('THROTTLED', 'another attempt is being checked: try again in a moment', { details: { retryAfterMs: CONCURRENT_ATTEMPT_RETRY_MS } });
    try {
      if (!(await hasher.verify(user.passwordHash, currentPassword)).ok) {
        throttle.recordFailure(throttled);
        throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
      }
      throttle.recordSuccess(throttled);
    } finally {
      release();
    }
    await users.setPassword(userId, newPassword);
  }

  private async attempt(input: { username: string; password: string; totpCode?: string; clientAddress: string; deviceCookie?: string }, throttled: LoginAttempt): Promise<LoginResult> {
    const { users, hasher, throttle, sessions, clock, logger } = this.deps;
    const trusted = throttled.device === undefined ? {} : { fromTrustedDevice: true as const };
    const fail = (reason: LoginFailureReason, userId?: string): LoginResult => {
      throttle.recordFailure(throttled);
      return userId === undefined ? { ok: false, reason, ...trusted } : { ok: false, reason, userId, ...trusted };
    };

    const user = users.findByUsername(input.username);
    if (user === undefined) {
      await hasher.verifyDummy(input.password);
      return fail('INVALID_CREDENTIALS');
    }
    // A disabled account is verified all the same, so its answer takes as long as any other.
    const verified = await hasher.verify(user.passwordHash, input.password);
    if (!verified.ok || user.disabled) return fail('INVALID_CREDENTIALS', user.id);

    if (hasActiveTotp(user)) {
      // Not a failure: the first step of a two-step sign-in. The account is not cleared either.
      if (input.totpCode === undefined || input.totpCode === '') return { ok: false, reason: 'TOTP_REQUIRED', userId: user.id, ...trusted };
      const check = verifyTotp(user.totpSecret, input.totpCode, clock.now(), user.totpLastStep);
      if (!check.ok) return fail('TOTP_INVALID', user.id);
      await users.recordTotpStep(user.id, check.step);
    }
    throttle.recordSuccess(throttled);

    if (verified.needsRehash) {
      // Best effort: the sign-in stands even if the new hash cannot be made or written now.
      try {
        await users.replaceHash(user.id, await hasher.hash(input.password));
        logger.info('password rehashed with the current parameters', { userId: user.id });
      } catch (err) {
        logger.warn('password rehash failed; the old hash stays', { userId: user.id, code: err instanceof AppError ? err.code : 'error' });
      }
    }
    const { token, session } = sessions.create(user.id, { strength: hasActiveTotp(user) ? 'second-factor' : 'password', clientAddress: input.clientAddress });
    const { devices } = this.deps;
    const device = devices === undefined ? {} : { deviceCookie: devices.issue(user.id, input.deviceCookie), deviceCookieMaxAgeSeconds: devices.maxAgeSeconds };
    return { ok: true, token, session, user: toPublicUser(user), ...device };
  }

  /**
   * Marks an attempt as in progress; undefined when its account already has one, or its address
   * has too many. A trusted device's attempt takes only the device's own slot. The returned
   * function ends it.
   */
  private claim(attempt: LoginAttempt): (() => void) | undefined {
    if (attempt.device !== undefined) {
      const deviceKey = throttleDeviceKey(attempt.device);
      if ((this.inFlight.get(deviceKey) ?? 0) >= 1) return undefined;
      return this.occupy([deviceKey]);
    }
    const accountKey = throttleUsernameKey(attempt.username);
    const addressKey = attempt.address === undefined ? undefined : throttleAddressKey(attempt.address);
    if ((this.inFlight.get(accountKey) ?? 0) >= 1) return undefined;
    if (addressKey !== undefined && (this.inFlight.get(addressKey) ?? 0) >= MAX_CONCURRENT_ATTEMPTS_PER_ADDRESS) return undefined;
    return this.occupy(addressKey === undefined ? [accountKey] : [accountKey, addressKey]);
  }

  private occupy(keys: string[]): () => void {
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
