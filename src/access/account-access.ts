/**
 * The account use cases: login, logout, the first administrator, password and second-factor
 * changes, and user administration. Every one of them is on the audit trail (a failed login
 * too, with the typed user name only as a pseudonym), written before the answer goes out.
 *
 * The administrator boundary lives here: nobody changes their own roles; granting or removing a
 * privileged role (policy.ts PRIVILEGED_ROLES), disabling its holder or resetting their second
 * factor needs a re-authentication with the second factor within REAUTH_VALID_MS; a role change
 * ends the user's sessions and is told to them at their next sign-in; a second factor is replaced
 * only with the password and a current code, and the new one counts once its first code is in.
 */
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { can, isRole, permissionsOf, PRIVILEGED_ROLES, requiresSecondFactor, touchesPrivilegedRole, type Permission, type Role } from './policy.js';
import type { Authenticator, LoginResult } from './authenticator.js';
import { REAUTH_VALID_MS, type RoleNotice, type SessionEndReason, type SessionStore, type Session } from './session-store.js';
import type { SetupTokens } from './setup-token.js';
import type { PublicUser, User, UserStore } from './user-store.js';
import { hasActiveTotp, toPublicUser } from './user-store.js';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.js';
import type { AuditTrail } from './audit-trail.js';
import type { AuditPseudonyms } from './audit-pseudonyms.js';
import type { Viewer } from './call-access.js';
import type { LoginTarpit } from './login-tarpit.js';
import type { PasswordResetTokens } from './password-reset-tokens.js';
import { randomBytes } from 'node:crypto';

export interface Actor extends Viewer {
  readonly token: string;
  readonly session: Session;
  readonly user: User;
  /**
   * What the session lacks for its roles: a second factor to 'enrol', or a 'step-up' (the code,
   * by re-authenticating) when the roles need one the session was not signed in with. Until then
   * only the session's own account routes are open (request-guards.ts).
   */
  readonly secondFactorNeeded: 'enrol' | 'step-up' | null;
}

/** The user's own view (GET /me): what the UI needs to decide what to show. */
export type MeView = PublicUser & {
  permissions: Permission[];
  secondFactorRequired: boolean;
  secondFactor: boolean;
  totpEnrollmentOnly: boolean;
  stepUpRequired: boolean;
  totpPending: boolean;
  roleNotice: RoleNotice | null;
};

export class AccountAccess {
  constructor(
    private readonly deps: {
      readonly users: UserStore;
      readonly authenticator: Authenticator;
      /** Holds the answers to throttled sign-ins (login-tarpit.ts). */
      readonly tarpit: LoginTarpit;
      readonly sessions: SessionStore;
      readonly setupTokens: SetupTokens;
      readonly passwordResets: PasswordResetTokens;
      readonly audit: AuditTrail;
      readonly pseudonyms: AuditPseudonyms;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  async login(input: { username: string; password: string; totpCode?: string; clientAddress: string; deviceCookie?: string }): Promise<LoginResult> {
    const result = await this.deps.authenticator.login(input);
    const known = result.ok ? result.user.id : (result.userId ?? null);
    // A wrong password or a throttled attempt lets nothing out: its entry is written before the
    // answer and committed by the next group commit, so a flood of guesses costs no signature
    // each. A TOTP answer tells that the password was right: that one waits for its commit.
    await this.deps.audit.append(
      {
        action: 'auth.login',
        outcome: result.ok ? 'success' : 'denied',
        actorId: known,
        ...(known === null ? { actorName: this.deps.pseudonyms.of('username', input.username.trim().toLowerCase()) } : {}),
        clientAddress: input.clientAddress,
        details: result.ok
          ? { secondFactor: result.session.strength === 'second-factor', enrollmentOnly: requiresSecondFactor(result.user.roles) && result.session.strength !== 'second-factor' }
          : { reason: result.reason },
      },
      !result.ok && (result.reason === 'INVALID_CREDENTIALS' || result.reason === 'THROTTLED') ? 'written' : 'synced',
    );
    // The owner's usual browser is never held: the tarpit is for the flood, not for them.
    if (!result.ok && result.reason === 'THROTTLED' && result.fromTrustedDevice !== true) await this.deps.tarpit.hold();
    if (result.ok) result.session.roleNotice = await this.takeRoleNotice(result.user.id);
    return result;
  }

  /** The role change since the previous sign-in, moved from the user to the new session (shown there). */
  private async takeRoleNotice(userId: string): Promise<RoleNotice | null> {
    const notice = this.deps.users.get(userId)?.roleNotice ?? null;
    if (notice === null) return null;
    try {
      await this.deps.users.takeRoleNotice(userId);
    } catch (err) {
      // The sign-in stands; the notice is simply shown again at the next one.
      this.deps.logger.warn('role notice not cleared', { userId, code: err instanceof AppError ? err.code : 'error' });
    }
    return notice;
  }

  async logout(actor: Actor, clientAddress: string): Promise<void> {
    await this.deps.audit.append({ action: 'auth.logout', outcome: 'success', actorId: actor.id, clientAddress });
    this.deps.sessions.destroy(actor.token);
  }

  /** Resolves a session token to the acting user; a disabled or removed user loses the session at once. */
  resolve(token: string | undefined): Actor | undefined {
    if (token === undefined) return undefined;
    const session = this.deps.sessions.get(token);
    if (session === undefined) return undefined;
    const user = this.deps.users.get(session.userId);
    if (user === undefined || user.disabled) {
      this.deps.sessions.destroy(token, 'disabled');
      return undefined;
    }
    const secondFactorNeeded = requiresSecondFactor(user.roles) && session.strength !== 'second-factor' ? (hasActiveTotp(user) ? 'step-up' : 'enrol') : null;
    return { id: user.id, roles: user.roles, extensions: user.extensions, strength: session.strength, token, session, user, secondFactorNeeded };
  }

  /** Why the session of a token that no longer resolves ended (told with NOT_AUTHENTICATED), if known. */
  sessionEnd(token: string | undefined): { reason: SessionEndReason; idleMinutes?: number } | undefined {
    const reason = token === undefined ? undefined : this.deps.sessions.endReason(token);
    if (reason === undefined) return undefined;
    return reason === 'idle' ? { reason, idleMinutes: this.deps.sessions.idleMinutes } : { reason };
  }

  /**
   * The staff's user names and names by id, for the reader of the audit trail (audit:read, whose
   * reading is an audit entry of its own): entries keep ids, the reader sees who.
   */
  staffNames(): ReadonlyMap<string, { username: string; displayName: string }> {
    return new Map(this.deps.users.list().map((user) => [user.id, { username: user.username, displayName: user.displayName }]));
  }

  async setupPending(): Promise<boolean> {
    return this.deps.users.count() === 0;
  }

  /** The first administrator, with the one-time setup token printed at first start (no default password). */
  async createFirstAdministrator(input: { token: string; username: string; displayName: string; password: string; clientAddress: string }): Promise<PublicUser> {
    if (this.deps.users.count() > 0) {
      await this.deps.audit.append({ action: 'setup.admin', outcome: 'denied', actorId: null, clientAddress: input.clientAddress, details: { reason: 'users exist' } });
      throw new AppError('SETUP_DONE', 'the first administrator already exists');
    }
    // Bad input (a short password, say) is refused before the one-time token is spent on it.
    this.deps.users.checkNew({ username: input.username, displayName: input.displayName, roles: ['technical-maintainer'], password: input.password });
    if (!(await this.deps.setupTokens.consume(input.token))) {
      await this.deps.audit.append({ action: 'setup.admin', outcome: 'denied', actorId: null, clientAddress: input.clientAddress, details: { reason: 'bad token' } });
      throw new AppError('SETUP_TOKEN_INVALID', 'the setup token is wrong or has expired: issue a new one with `tallennin setup-token`');
    }
    const user = await this.deps.users.create({ username: input.username, displayName: input.displayName, roles: ['technical-maintainer'], password: input.password });
    await this.deps.audit.append({ action: 'user.create', outcome: 'success', actorId: user.id, target: { type: 'user', id: user.id }, clientAddress: input.clientAddress, details: { roles: 'technical-maintainer', via: 'setup-token' } });
    return user;
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string, clientAddress: string): Promise<void> {
    try {
      await this.deps.authenticator.changePassword(actor.id, currentPassword, newPassword, clientAddress);
    } catch (err) {
      await this.deps.audit.append({ action: 'user.password', outcome: 'failed', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress, details: { reason: err instanceof AppError ? err.code : 'error' } });
      throw err;
    }
    await this.deps.audit.append({ action: 'user.password', outcome: 'success', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress });
    // Other sessions of the account end: a changed password must lock out whoever had the old one.
    this.deps.sessions.destroyAllForUser(actor.id, undefined, 'password-changed');
  }

  /**
   * Starts setting up a second factor: a new secret, kept pending and shown once. An active factor
   * stays in force until the new one is confirmed, and replacing one needs the password and a
   * current code of it: a session alone (a stolen one, say) can neither switch the factor off nor
   * bind another authenticator. A first factor needs the password too, unless the session was
   * signed in just now (within REAUTH_VALID_MS) for nothing but setting one up.
   */
  async beginTotp(actor: Actor, proof: { password?: string | undefined; code?: string | undefined }, clientAddress: string): Promise<{ secret: string; uri: string }> {
    const replacing = hasActiveTotp(actor.user);
    // "Just now": within REAUTH_VALID_MS of the sign-in, as fresh as a re-authentication. Later a
    // session left open (or stolen) would otherwise bind an authenticator for its whole lifetime.
    const signedInJustNow = actor.secondFactorNeeded === 'enrol' && this.deps.now() - actor.session.createdAt < REAUTH_VALID_MS;
    if (replacing || !signedInJustNow) {
      const complete = proof.password !== undefined && (!replacing || proof.code !== undefined);
      const proven = complete && (await this.deps.authenticator.reauthenticate(actor.session, proof.password ?? '', proof.code));
      if (!proven) {
        const reason = complete ? 'REAUTH_FAILED' : 'REAUTH_REQUIRED';
        await this.deps.audit.append({ action: 'user.totp', outcome: 'denied', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress, details: { step: 'begin', replacing, reason } });
        throw reason === 'REAUTH_REQUIRED'
          ? new AppError('REAUTH_REQUIRED', replacing ? 'replacing the second factor needs the password and a current code' : 'setting up a second factor needs the password')
          : new AppError('REAUTH_FAILED', 'the password or the code is wrong');
      }
    }
    const secret = generateTotpSecret();
    await this.deps.users.setPendingTotp(actor.id, secret);
    await this.deps.audit.append({ action: 'user.totp', outcome: 'success', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress, details: { step: 'begin', replacing } });
    return { secret, uri: totpUri(secret, actor.user.username) };
  }

  /**
   * Confirms the pending secret with its first code: it becomes the account's factor, and the
   * session goes on with second-factor strength under a new token (a change of privilege). The
   * account's other sessions end: whoever held the old factor is out.
   */
  async confirmTotp(actor: Actor, code: string, clientAddress: string): Promise<{ token: string; session: Session }> {
    const pending = this.deps.users.get(actor.id)?.totpPendingSecret ?? null;
    const check = pending === null ? { ok: false as const } : verifyTotp(pending, code, this.deps.now(), null);
    const activated = check.ok && pending !== null && (await this.deps.users.activatePendingTotp(actor.id, pending, check.step));
    await this.deps.audit.append({ action: 'user.totp', outcome: activated ? 'success' : 'denied', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress, details: { step: 'confirm', replaced: hasActiveTotp(actor.user) } });
    if (!activated) throw new AppError('TOTP_INVALID', 'the code does not match: check the authenticator app’s clock and try the next code');
    return this.rotate(actor, 'second-factor', true);
  }

  /**
   * The password (and the code, when the account has a factor) again: the session counts as
   * re-authenticated for REAUTH_VALID_MS, with second-factor strength if the code was checked,
   * and goes on under a new token.
   */
  async reauthenticate(actor: Actor, password: string, totpCode: string | undefined, clientAddress: string): Promise<{ token: string; session: Session }> {
    const strength = hasActiveTotp(actor.user) ? 'second-factor' : 'password';
    const ok = await this.deps.authenticator.reauthenticate(actor.session, password, totpCode);
    await this.deps.audit.append({ action: 'auth.reauthenticate', outcome: ok ? 'success' : 'denied', actorId: actor.id, clientAddress, ...(ok ? { details: { strength } } : {}) });
    if (!ok) throw new AppError('REAUTH_FAILED', 'the password (or code) is wrong');
    this.deps.sessions.markReauthenticated(actor.token, strength);
    return this.rotate(actor, strength === 'second-factor' ? 'second-factor' : actor.session.strength, false);
  }

  /** A change of privilege: a new token and CSRF token for the session; optionally the account's other sessions end. */
  private rotate(actor: Actor, strength: Session['strength'], endOthers: boolean): { token: string; session: Session } {
    const rotated = this.deps.sessions.rotate(actor.token, { strength });
    if (rotated === undefined) throw new AppError('NOT_AUTHENTICATED', 'the session has ended: sign in again');
    if (endOthers) this.deps.sessions.destroyAllForUser(actor.id, rotated.token, 'second-factor-changed');
    return rotated;
  }

  /** The staff's names, user names, roles and extensions: personal data, so the read is audited first, a refused one too. */
  async listUsers(actor: Actor, clientAddress: string): Promise<PublicUser[]> {
    if (!can(actor, 'users:manage')) {
      await this.deps.audit.append({ action: 'users.list', outcome: 'denied', actorId: actor.id, clientAddress });
      throw new AppError('FORBIDDEN', 'this account may not manage users');
    }
    const users = this.deps.users.list();
    await this.deps.audit.append({ action: 'users.list', outcome: 'success', actorId: actor.id, clientAddress, details: { count: users.length } });
    return users;
  }

  /**
   * A new user. Without a password, the account gets one nobody knows (256 random bits, never
   * shown) and an activation link with which the person sets their own: the maintainer never
   * knows it.
   */
  async createUser(
    actor: Actor,
    input: { username: string; displayName: string; roles: string[]; extensions?: string[]; password?: string },
    clientAddress: string,
  ): Promise<{ user: PublicUser; activation?: { token: string; expiresAt: number } }> {
    this.requireUserAdmin(actor);
    const roles = parseRoles(input.roles);
    await this.requireFreshReauthFor(actor, touchesPrivilegedRole([], roles), { action: 'user.roles', clientAddress, details: { before: '', after: sortedList(roles) } });
    const activate = input.password === undefined;
    const user = await this.deps.users.create({ ...input, roles, password: input.password ?? randomBytes(32).toString('base64url') });
    await this.deps.audit.append({ action: 'user.create', outcome: 'success', actorId: actor.id, target: { type: 'user', id: user.id }, clientAddress, details: { roles: roles.join(','), activation: activate } });
    await this.deps.audit.append({ action: 'user.roles', outcome: 'success', actorId: actor.id, target: { type: 'user', id: user.id }, clientAddress, details: { before: '', after: sortedList(roles) } });
    if (!activate) return { user };
    return { user, activation: await this.issueReset(actor, user.id, true, clientAddress) };
  }

  /**
   * A password reset link for another user (a forgotten password): a one-time token, valid for
   * PASSWORD_RESET_VALID_MS, shown once to the maintainer. For a holder of a privileged role it
   * needs a fresh second-factor re-authentication (the link takes over the account).
   */
  async issuePasswordReset(actor: Actor, userId: string, clientAddress: string): Promise<{ token: string; expiresAt: number }> {
    this.requireUserAdmin(actor);
    if (userId === actor.id) throw new AppError('SELF_PASSWORD_RESET', 'your own password is changed with the current one, on your account page');
    const target = this.deps.users.get(userId);
    if (target === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    await this.requireFreshReauthFor(actor, target.roles.some((role) => PRIVILEGED_ROLES.includes(role)), { action: 'user.password-reset', target: userId, clientAddress, details: {} });
    return this.issueReset(actor, userId, false, clientAddress);
  }

  private async issueReset(actor: Actor, userId: string, activation: boolean, clientAddress: string): Promise<{ token: string; expiresAt: number }> {
    const issued = await this.deps.passwordResets.issue(userId, activation);
    // The entry names the user and the expiry, never the token.
    await this.deps.audit.append({ action: 'user.password-reset', outcome: 'success', actorId: actor.id, target: { type: 'user', id: userId }, clientAddress, details: { activation, expiresAt: new Date(issued.expiresAt).toISOString() } });
    return issued;
  }

  /**
   * The person sets their own password with a reset link: no session needed. The rules are
   * checked before the token is spent (a refused password leaves the link usable); then the
   * token is spent, the password set, and every session of the account ends.
   */
  async completePasswordReset(token: string, newPassword: string, clientAddress: string): Promise<void> {
    const found = this.deps.passwordResets.find(token);
    const user = found === undefined ? undefined : this.deps.users.get(found.userId);
    if (found === undefined || user === undefined || user.disabled) {
      await this.deps.audit.append({ action: 'user.password', outcome: 'denied', actorId: null, clientAddress, details: { via: 'reset-link', reason: 'PASSWORD_RESET_INVALID' } });
      throw new AppError('PASSWORD_RESET_INVALID', 'the reset link is wrong, used or expired: ask an administrator for a new one');
    }
    try {
      this.deps.users.checkPassword(user.id, newPassword);
    } catch (err) {
      // Refused by a rule: audited as a change of one's own password is, and the link stays usable.
      await this.deps.audit.append({ action: 'user.password', outcome: 'failed', actorId: user.id, target: { type: 'user', id: user.id }, clientAddress, details: { via: 'reset-link', reason: err instanceof AppError ? err.code : 'error' } });
      throw err;
    }
    if (!(await this.deps.passwordResets.consume(token))) {
      await this.deps.audit.append({ action: 'user.password', outcome: 'denied', actorId: null, clientAddress, details: { via: 'reset-link', reason: 'PASSWORD_RESET_INVALID' } });
      throw new AppError('PASSWORD_RESET_INVALID', 'the reset link is wrong, used or expired: ask an administrator for a new one');
    }
    await this.deps.users.setPassword(user.id, newPassword);
    const sessionsEnded = this.deps.sessions.destroyAllForUser(user.id, undefined, 'password-changed');
    await this.deps.audit.append({ action: 'user.password', outcome: 'success', actorId: user.id, target: { type: 'user', id: user.id }, clientAddress, details: { via: 'reset-link', activation: found.activation, sessionsEnded } });
  }

  async updateUser(actor: Actor, userId: string, patch: { displayName?: string; roles?: string[]; extensions?: string[]; disabled?: boolean }, clientAddress: string): Promise<PublicUser> {
    this.requireUserAdmin(actor);
    const target = this.deps.users.get(userId);
    if (target === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    const { roles: rawRoles, ...rest } = patch;
    const roles = rawRoles === undefined ? undefined : parseRoles(rawRoles);
    const rolesChange = roles !== undefined && sortedList(roles) !== sortedList(target.roles);
    const action = rolesChange ? 'user.roles' : 'user.update';
    const roleDetails: Record<string, string> = roles === undefined ? {} : { before: sortedList(target.roles), after: sortedList(roles) };
    const deny = async (code: string, message: string): Promise<never> => {
      await this.deps.audit.append({ action, outcome: 'denied', actorId: actor.id, target: { type: 'user', id: userId }, clientAddress, details: { ...roleDetails, reason: code } });
      throw new AppError(code, message);
    };
    if (userId === actor.id && rolesChange) await deny('SELF_ROLE_CHANGE', 'nobody may change their own roles: another administrator does it');
    if (userId === actor.id && patch.disabled === true) await deny('SELF_LOCKOUT', 'an administrator cannot disable themselves');
    const holdsPrivilege = target.roles.some((role) => PRIVILEGED_ROLES.includes(role));
    const privileged = (rolesChange && touchesPrivilegedRole(target.roles, roles)) || (patch.disabled !== undefined && patch.disabled !== target.disabled && holdsPrivilege);
    await this.requireFreshReauthFor(actor, privileged, { action, target: userId, clientAddress, details: roleDetails });
    let user: PublicUser;
    try {
      user = await this.deps.users.update(userId, roles === undefined ? rest : { ...rest, roles });
    } catch (err) {
      if (err instanceof AppError && err.code === 'LAST_MAINTAINER') await deny(err.code, err.message);
      throw err;
    }
    if (rolesChange) {
      await this.deps.audit.append({ action: 'user.roles', outcome: 'success', actorId: actor.id, target: { type: 'user', id: userId }, clientAddress, details: { ...roleDetails, reauthenticated: privileged } });
    }
    const otherFields = Object.keys(rest).sort();
    if (otherFields.length > 0 || !rolesChange) {
      await this.deps.audit.append({
        action: 'user.update',
        outcome: 'success',
        actorId: actor.id,
        target: { type: 'user', id: userId },
        clientAddress,
        details: { fields: Object.keys(patch).sort().join(','), ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }) },
      });
    }
    // Disabling ends the user's sessions at once; so does a role change (a change of privilege):
    // the user signs in again with the strength the new roles need, and is told what changed.
    if (patch.disabled === true || rolesChange) this.deps.sessions.destroyAllForUser(userId, undefined, patch.disabled === true ? 'disabled' : 'roles-changed');
    // A disabled account's reset link goes too: enabling it again does not bring an old link back.
    if (patch.disabled === true) await this.deps.passwordResets.revokeFor(userId);
    return user;
  }

  /**
   * A maintainer's reset of another user's second factor (the phone is lost, say): the factor
   * goes, the user's sessions end, and they enrol again at their next sign-in if their roles need
   * one. For a holder of a privileged role it needs a fresh second-factor re-authentication.
   */
  async resetUserTotp(actor: Actor, userId: string, clientAddress: string): Promise<void> {
    this.requireUserAdmin(actor);
    if (userId === actor.id) throw new AppError('SELF_TOTP_RESET', 'your own second factor is replaced with the password and a current code, on your account page');
    const target = this.deps.users.get(userId);
    if (target === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    await this.requireFreshReauthFor(actor, target.roles.some((role) => PRIVILEGED_ROLES.includes(role)), { action: 'user.totp-reset', target: userId, clientAddress, details: {} });
    await this.deps.users.resetTotp(userId);
    await this.deps.audit.append({ action: 'user.totp-reset', outcome: 'success', actorId: actor.id, target: { type: 'user', id: userId }, clientAddress, details: { hadFactor: hasActiveTotp(target), sessionsEnded: this.deps.sessions.destroyAllForUser(userId, undefined, 'second-factor-reset') } });
  }

  /** The view of the signed-in user, with what the UI needs to decide what to show. */
  me(actor: Actor): MeView {
    const user = toPublicUser(actor.user);
    const restricted = actor.secondFactorNeeded !== null;
    return {
      ...user,
      // A session below the strength its roles need may do nothing yet but enrol or step up.
      permissions: restricted ? [] : [...permissionsOf(actor)].sort(),
      secondFactorRequired: requiresSecondFactor(actor.roles),
      secondFactor: actor.strength === 'second-factor',
      totpEnrollmentOnly: actor.secondFactorNeeded === 'enrol',
      stepUpRequired: actor.secondFactorNeeded === 'step-up',
      totpPending: (actor.user.totpPendingSecret ?? null) !== null,
      roleNotice: actor.session.roleNotice,
    };
  }

  /** Refuses (REAUTH_REQUIRED, audited) a privileged change without a second-factor re-authentication within REAUTH_VALID_MS. */
  private async requireFreshReauthFor(actor: Actor, needed: boolean, entry: { action: string; target?: string; clientAddress: string; details: Record<string, string> }): Promise<void> {
    if (!needed || this.deps.sessions.isRecentlyReauthenticated(actor.session, 'second-factor')) return;
    await this.deps.audit.append({
      action: entry.action,
      outcome: 'denied',
      actorId: actor.id,
      ...(entry.target === undefined ? {} : { target: { type: 'user' as const, id: entry.target } }),
      clientAddress: entry.clientAddress,
      details: { ...entry.details, reason: 'REAUTH_REQUIRED' },
    });
    throw new AppError('REAUTH_REQUIRED', 'confirm with your password and authenticator code first: administrator and registrar roles change only after that');
  }

  private requireUserAdmin(actor: Actor): void {
    if (!can(actor, 'users:manage')) throw new AppError('FORBIDDEN', 'this account may not manage users');
  }
}

/** Roles as the audit trail shows them: sorted, comma-separated. */
function sortedList(roles: readonly Role[]): string {
  return [...roles].sort().join(',');
}

function parseRoles(roles: readonly string[]): Role[] {
  const parsed = roles.filter(isRole);
  if (parsed.length !== roles.length || parsed.length === 0) throw new AppError('ROLES_INVALID', 'roles must be one or more of the known roles');
  return [...new Set(parsed)];
}
