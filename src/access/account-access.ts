/**
 * The account use cases: login, logout, the first administrator, password and second-factor
 * changes, and user administration. Every one of them is on the audit trail (a failed login
 * too, with the typed user name only as a pseudonym), written before the answer goes out.
 */
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { can, isRole, permissionsOf, requiresSecondFactor, type Role } from './policy.js';
import type { Authenticator, LoginResult } from './authenticator.js';
import type { SessionStore, Session } from './session-store.js';
import type { SetupTokens } from './setup-token.js';
import type { PublicUser, User, UserStore } from './user-store.js';
import { toPublicUser } from './user-store.js';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.js';
import type { AuditTrail } from './audit-trail.js';
import type { AuditPseudonyms } from './audit-pseudonyms.js';
import type { Viewer } from './call-access.js';
import type { LoginTarpit } from './login-tarpit.js';

export interface Actor extends Viewer {
  readonly token: string;
  readonly session: Session;
  readonly user: User;
}

export class AccountAccess {
  constructor(
    private readonly deps: {
      readonly users: UserStore;
      readonly authenticator: Authenticator;
      /** Holds the answers to throttled sign-ins (login-tarpit.ts). */
      readonly tarpit: LoginTarpit;
      readonly sessions: SessionStore;
      readonly setupTokens: SetupTokens;
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
        details: result.ok ? { secondFactor: result.session.secondFactor, enrollmentOnly: result.session.totpEnrollmentOnly } : { reason: result.reason },
      },
      !result.ok && (result.reason === 'INVALID_CREDENTIALS' || result.reason === 'THROTTLED') ? 'written' : 'synced',
    );
    // The owner's usual browser is never held: the tarpit is for the flood, not for them.
    if (!result.ok && result.reason === 'THROTTLED' && result.fromTrustedDevice !== true) await this.deps.tarpit.hold();
    return result;
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
      this.deps.sessions.destroy(token);
      return undefined;
    }
    return { id: user.id, roles: user.roles, extensions: user.extensions, token, session, user };
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
    this.deps.sessions.destroyAllForUser(actor.id);
  }

  /** Starts TOTP enrolment: a new secret, not yet enabled, shown once to the user. */
  async beginTotp(actor: Actor, clientAddress: string): Promise<{ secret: string; uri: string }> {
    const secret = generateTotpSecret();
    await this.deps.users.setTotp(actor.id, { secret, enabled: false });
    await this.deps.audit.append({ action: 'user.totp', outcome: 'success', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress, details: { step: 'begin' } });
    return { secret, uri: totpUri(secret, actor.user.username) };
  }

  /** Confirms enrolment with a first code; the session then counts as second-factor verified. */
  async confirmTotp(actor: Actor, code: string, clientAddress: string): Promise<void> {
    const user = this.deps.users.get(actor.id);
    const secret = user?.totpSecret ?? null;
    const check = secret === null ? { ok: false as const } : verifyTotp(secret, code, this.deps.now(), user?.totpLastStep ?? null);
    await this.deps.audit.append({ action: 'user.totp', outcome: check.ok ? 'success' : 'denied', actorId: actor.id, target: { type: 'user', id: actor.id }, clientAddress, details: { step: 'confirm' } });
    if (!check.ok || secret === null) throw new AppError('TOTP_INVALID', 'the code does not match: check the authenticator app’s clock and try the next code');
    await this.deps.users.setTotp(actor.id, { secret, enabled: true });
    await this.deps.users.recordTotpStep(actor.id, check.step);
    actor.session.secondFactor = true;
    actor.session.totpEnrollmentOnly = false;
  }

  async reauthenticate(actor: Actor, password: string, totpCode: string | undefined, clientAddress: string): Promise<void> {
    const ok = await this.deps.authenticator.reauthenticate(actor.token, actor.session, password, totpCode);
    await this.deps.audit.append({ action: 'auth.reauthenticate', outcome: ok ? 'success' : 'denied', actorId: actor.id, clientAddress });
    if (!ok) throw new AppError('REAUTH_FAILED', 'the password (or code) is wrong');
  }

  listUsers(actor: Actor): PublicUser[] {
    this.requireUserAdmin(actor);
    return this.deps.users.list();
  }

  async createUser(actor: Actor, input: { username: string; displayName: string; roles: string[]; extensions?: string[]; password: string }, clientAddress: string): Promise<PublicUser> {
    this.requireUserAdmin(actor);
    const roles = parseRoles(input.roles);
    const user = await this.deps.users.create({ ...input, roles });
    await this.deps.audit.append({ action: 'user.create', outcome: 'success', actorId: actor.id, target: { type: 'user', id: user.id }, clientAddress, details: { roles: roles.join(',') } });
    return user;
  }

  async updateUser(actor: Actor, userId: string, patch: { displayName?: string; roles?: string[]; extensions?: string[]; disabled?: boolean }, clientAddress: string): Promise<PublicUser> {
    this.requireUserAdmin(actor);
    if (userId === actor.id && (patch.disabled === true || (patch.roles !== undefined && !parseRoles(patch.roles).some((role) => can([role], 'users:manage'))))) {
      throw new AppError('SELF_LOCKOUT', 'an administrator cannot disable themselves or remove their own administration rights');
    }
    const { roles: rawRoles, ...rest } = patch;
    const roles = rawRoles === undefined ? undefined : parseRoles(rawRoles);
    const user = await this.deps.users.update(userId, roles === undefined ? rest : { ...rest, roles });
    await this.deps.audit.append({
      action: 'user.update',
      outcome: 'success',
      actorId: actor.id,
      target: { type: 'user', id: userId },
      clientAddress,
      details: { fields: Object.keys(patch).sort().join(','), ...(roles === undefined ? {} : { roles: roles.join(',') }), ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }) },
    });
    // Disabling ends the user's sessions at once; role changes apply at the next request anyway.
    if (patch.disabled === true) this.deps.sessions.destroyAllForUser(userId);
    return user;
  }

  /** The view of the signed-in user, with what the UI needs to decide what to show. */
  me(actor: Actor): PublicUser & { permissions: string[]; secondFactorRequired: boolean; secondFactor: boolean; totpEnrollmentOnly: boolean } {
    const user = toPublicUser(actor.user);
    return { ...user, permissions: [...permissionsOf(actor.roles)].sort(), secondFactorRequired: requiresSecondFactor(actor.roles), secondFactor: actor.session.secondFactor, totpEnrollmentOnly: actor.session.totpEnrollmentOnly };
  }

  private requireUserAdmin(actor: Actor): void {
    if (!can(actor.roles, 'users:manage')) throw new AppError('FORBIDDEN', 'this account may not manage users');
  }
}

function parseRoles(roles: readonly string[]): Role[] {
  const parsed = roles.filter(isRole);
  if (parsed.length !== roles.length || parsed.length === 0) throw new AppError('ROLES_INVALID', 'roles must be one or more of the known roles');
  return [...new Set(parsed)];
}
