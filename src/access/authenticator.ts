/**
 * Signing in. One answer, in about the same time, for an unknown user, a disabled one and a wrong
 * password (the unknown user's password is verified against a dummy hash). Throttled attempts
 * are refused before any hashing. Administrators need a TOTP code; one who has not enrolled yet
 * gets a session that can only enrol.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError } from '../errors.js';
import { requiresSecondFactor } from './policy.js';
import type { PasswordHasher } from './password-hasher.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Session, SessionStore } from './session-store.js';
import { toPublicUser, type PublicUser, type UserStore } from './user-store.js';
import { verifyTotp } from './totp.js';

export type LoginResult =
  | { ok: true; token: string; session: Session; user: PublicUser }
  | { ok: false; reason: 'INVALID_CREDENTIALS' | 'THROTTLED' | 'TOTP_REQUIRED' | 'TOTP_INVALID'; retryAfterMs?: number; userId?: string };

export class Authenticator {
  constructor(
    private readonly deps: { users: UserStore; hasher: PasswordHasher; throttle: LoginThrottle; sessions: SessionStore; clock: Clock; logger: Logger },
  ) {}

  async login(input: { username: string; password: string; totpCode?: string; clientAddress: string }): Promise<LoginResult> {
    const { users, hasher, throttle, sessions, clock } = this.deps;
    const gate = throttle.check(input.username, input.clientAddress);
    if (!gate.allowed) return { ok: false, reason: 'THROTTLED', retryAfterMs: gate.retryAfterMs };

    const user = users.findByUsername(input.username);
    if (user === undefined) {
      await hasher.verifyDummy(input.password);
      throttle.recordFailure(input.username, input.clientAddress);
      return { ok: false, reason: 'INVALID_CREDENTIALS' };
    }
    const verified = await hasher.verify(user.passwordHash, input.password);
    if (!verified.ok || user.disabled) {
      throttle.recordFailure(input.username, input.clientAddress);
      return { ok: false, reason: 'INVALID_CREDENTIALS', userId: user.id };
    }
    if (user.totpEnabled && user.totpSecret !== null) {
      if (input.totpCode === undefined) return { ok: false, reason: 'TOTP_REQUIRED', userId: user.id };
      const check = verifyTotp(user.totpSecret, input.totpCode, clock.now(), user.totpLastStep);
      if (!check.ok) {
        throttle.recordFailure(input.username, input.clientAddress);
        return { ok: false, reason: 'TOTP_INVALID', userId: user.id };
      }
      await users.recordTotpStep(user.id, check.step);
    }
    throttle.recordSuccess(input.username, input.clientAddress);
    if (verified.needsRehash) await users.replaceHash(user.id, await hasher.hash(input.password));
    const enrollmentOnly = requiresSecondFactor(user.roles) && !user.totpEnabled;
    const { token, session } = sessions.create(user.id, { secondFactor: user.totpEnabled, totpEnrollmentOnly: enrollmentOnly, clientAddress: input.clientAddress });
    return { ok: true, token, session, user: toPublicUser(user) };
  }

  /** The password (and TOTP code, when enabled) again, before an export. */
  async reauthenticate(token: string, session: Session, password: string, totpCode?: string): Promise<boolean> {
    const user = this.deps.users.get(session.userId);
    if (user === undefined || user.disabled) return false;
    const gate = this.deps.throttle.check(user.username, session.clientAddress);
    if (!gate.allowed) return false;
    const verified = await this.deps.hasher.verify(user.passwordHash, password);
    let ok = verified.ok;
    if (ok && user.totpEnabled && user.totpSecret !== null) {
      const check = totpCode === undefined ? { ok: false as const } : verifyTotp(user.totpSecret, totpCode, this.deps.clock.now(), user.totpLastStep);
      ok = check.ok;
      if (check.ok) await this.deps.users.recordTotpStep(user.id, check.step);
    }
    if (!ok) {
      this.deps.throttle.recordFailure(user.username, session.clientAddress);
      return false;
    }
    this.deps.sessions.markReauthenticated(token);
    return true;
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = this.deps.users.get(userId);
    if (user === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    if (!(await this.deps.hasher.verify(user.passwordHash, currentPassword)).ok) throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
    await this.deps.users.setPassword(userId, newPassword);
  }
}
