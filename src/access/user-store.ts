/**
 * Personal accounts (P5, P6): one per person, in the encrypted document `access/users`. A user
 * has one or more roles (policy.ts); an agent is linked to their own extension(s), which is
 * what "own calls" means (P12). Passwords are kept only as argon2id hashes.
 *
 * Every change is written before it counts: when the write fails (disk full), the change is
 * undone in memory too and the error surfaces, so memory never runs ahead of the file.
 * Role and extension changes take effect at once: the HTTP layer reads the user on each request.
 * The store keeps one rule itself, where no two changes can interleave: at least one enabled
 * technical maintainer always remains (LAST_MAINTAINER).
 */
import { randomUUID } from 'node:crypto';
import type { Low } from 'lowdb';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError } from '../errors.js';
import { isRole, KEEPER_ROLE, type Role } from './policy.js';
import { checkPasswordRules } from './password-rules.js';
import { prepareDisplayName } from './display-name.js';
import type { PasswordHasher } from './password-hasher.js';

export interface User {
  id: string;
  /** Lower case, USERNAME_PATTERN. */
  username: string;
  displayName: string;
  roles: Role[];
  /** An agent's own extension(s), digits: the calls answered there are the agent's own (P12). */
  extensions: string[];
  passwordHash: string;
  /** Base32 TOTP secret; set at enrolment, enabled only after a first code is confirmed. */
  totpSecret: string | null;
  totpEnabled: boolean;
  /**
   * A new secret being set up (base32): the active one above stays in force until a code of this
   * one is confirmed. Absent in documents written before pending secrets existed.
   */
  totpPendingSecret?: string | null;
  /** The role change to tell the user about at their next sign-in (absent: none). */
  roleNotice?: { changedAt: string; before: Role[]; after: Role[] } | null;
  /** The last TOTP time step accepted: no code of this step or earlier is accepted again. */
  totpLastStep: number | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
}

export type PublicUser = Omit<User, 'passwordHash' | 'totpSecret' | 'totpLastStep' | 'totpPendingSecret' | 'roleNotice'>;

export interface UsersDocument {
  version: 1;
  users: User[];
}

/** What the store needs of DocumentStore. */
export interface UserDocuments {
  openDocument<T>(name: string, defaultData: T): Promise<Low<T>>;
}

export const USERS_DOCUMENT = 'access/users';
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const EXTENSION_PATTERN = /^[0-9]{1,12}$/;
export { MAX_DISPLAY_NAME_LENGTH } from './display-name.js';
export const MAX_EXTENSIONS_PER_USER = 32;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hash, totpSecret: _secret, totpLastStep: _step, totpPendingSecret: _pending, roleNotice: _notice, ...rest } = user;
  return { ...rest, roles: [...rest.roles], extensions: [...rest.extensions] };
}

/** Whether the account has a confirmed second factor (a pending one does not count). */
export function hasActiveTotp(user: User): user is User & { totpSecret: string } {
  return user.totpEnabled && user.totpSecret !== null;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly roles: Role[];
  readonly extensions?: string[];
  readonly password: string;
}

export class UserStore {
  private constructor(
    private readonly doc: Low<UsersDocument>,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  static async open(options: { documents: UserDocuments; hasher: PasswordHasher; clock: Clock; logger: Logger }): Promise<UserStore> {
    const doc = await options.documents.openDocument<UsersDocument>(USERS_DOCUMENT, { version: 1, users: [] });
    if (doc.data.version !== 1 || !Array.isArray(doc.data.users)) {
      throw new AppError('DOCUMENT_CORRUPT', `the user document has an unknown layout (version ${String(doc.data.version)})`, { details: { name: USERS_DOCUMENT } });
    }
    return new UserStore(doc, options.hasher, options.clock, options.logger);
  }

  count(): number {
    return this.doc.data.users.length;
  }

  list(): PublicUser[] {
    return this.doc.data.users.map(toPublicUser).sort((a, b) => a.username.localeCompare(b.username));
  }

  /** A copy of the user: changes go through the methods below, which write them. */
  get(id: string): User | undefined {
    const user = this.doc.data.users.find((candidate) => candidate.id === id);
    return user === undefined ? undefined : copyOf(user);
  }

  /** Case-insensitive, surrounding spaces ignored. */
  findByUsername(username: string): User | undefined {
    const wanted = username.trim().toLowerCase();
    const user = this.doc.data.users.find((candidate) => candidate.username === wanted);
    return user === undefined ? undefined : copyOf(user);
  }

  /**
   * What create() checks before it hashes: the name, the display name, the roles and the
   * password rules. Throws the same errors; returns the normalised fields. A caller that must
   * spend something to create (the one-time setup token) checks first, so bad input costs nothing.
   */
  checkNew(input: NewUser): { username: string; displayName: string; roles: Role[]; extensions: string[] } {
    const username = String(input.username).trim().toLowerCase();
    if (!USERNAME_PATTERN.test(username)) throw new AppError('USERNAME_INVALID', 'a user name is 3-64 characters: a-z, 0-9, dot, dash, underscore, starting with a letter or digit');
    const displayName = prepareDisplayName(input.displayName);
    if (this.findByUsername(username) !== undefined) throw new AppError('USERNAME_TAKEN', 'that user name is taken');
    const { roles, extensions } = validateRoles(input.roles, input.extensions ?? []);
    requirePasswordRules(input.password, username, displayName);
    return { username, displayName, roles, extensions };
  }

  async create(input: NewUser): Promise<PublicUser> {
    const { username, displayName, roles, extensions } = this.checkNew(input);
    const passwordHash = await this.hasher.hash(input.password);
    // Checked again: another create of the same name may have finished while this one hashed.
    if (this.findByUsername(username) !== undefined) throw new AppError('USERNAME_TAKEN', 'that user name is taken');
    const now = this.nowIso();
    const user: User = {
      id: randomUUID(),
      username,
      displayName,
      roles,
      extensions,
      passwordHash,
      totpSecret: null,
      totpEnabled: false,
      totpLastStep: null,
      disabled: false,
      createdAt: now,
      updatedAt: now,
      passwordChangedAt: now,
    };
    this.doc.data.users.push(user);
    try {
      await this.doc.write();
    } catch (err) {
      this.doc.data.users = this.doc.data.users.filter((candidate) => candidate !== user);
      throw err;
    }
    this.logger.info('user created', { userId: user.id, roles: roles.join(',') });
    return toPublicUser(user);
  }

  async update(id: string, patch: { displayName?: string; roles?: Role[]; extensions?: string[]; disabled?: boolean }): Promise<PublicUser> {
    const current = this.require(id);
    const { roles, extensions } = validateRoles(patch.roles ?? current.roles, patch.extensions ?? current.extensions);
    const displayName = patch.displayName === undefined ? current.displayName : prepareDisplayName(patch.displayName);
    if (patch.disabled !== undefined && typeof patch.disabled !== 'boolean') throw new AppError('VALIDATION_FAILED', 'disabled is true or false');
    const disabled = patch.disabled ?? current.disabled;
    // Checked here, with no wait between the check and the change, so two changes at once cannot
    // each remove one of the last two maintainers.
    const keepers = this.doc.data.users.filter((user) => user.id !== id && !user.disabled && user.roles.includes(KEEPER_ROLE));
    if (keepers.length === 0 && current.roles.includes(KEEPER_ROLE) && !current.disabled && (disabled || !roles.includes(KEEPER_ROLE))) {
      throw new AppError('LAST_MAINTAINER', 'the last technical maintainer cannot be removed or disabled: make another one first');
    }
    const rolesChanged = !sameRoles(current.roles, roles);
    const updated = await this.commit(id, (user) => {
      if (rolesChanged) {
        // Several changes before the next sign-in make one notice: from the roles the user last saw.
        const before = user.roleNotice?.before ?? sortedRoles(user.roles);
        user.roleNotice = sameRoles(before, roles) ? null : { changedAt: this.nowIso(), before, after: sortedRoles(roles) };
      }
      user.displayName = displayName;
      user.roles = roles;
      user.extensions = extensions;
      user.disabled = disabled;
      user.updatedAt = this.nowIso();
    });
    this.logger.info('user updated', { userId: id, roles: roles.join(','), disabled: updated.disabled });
    return toPublicUser(updated);
  }

  /** Takes the role-change notice of the user (at sign-in): returned once, then cleared. */
  async takeRoleNotice(id: string): Promise<{ changedAt: string; before: Role[]; after: Role[] } | null> {
    const notice = this.get(id)?.roleNotice ?? null;
    if (notice === null) return null;
    await this.commit(id, (user) => {
      user.roleNotice = null;
    });
    return notice;
  }

  /** Checks a new password of the user against the rules (AppError with the rule's code), changing nothing. */
  checkPassword(id: string, newPassword: string): void {
    const current = this.require(id);
    requirePasswordRules(newPassword, current.username, current.displayName);
  }

  /** A new password, checked against the rules (AppError with the rule's code). */
  async setPassword(id: string, newPassword: string): Promise<void> {
    const current = this.require(id);
    requirePasswordRules(newPassword, current.username, current.displayName);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.commit(id, (user) => {
      user.passwordHash = passwordHash;
      user.passwordChangedAt = user.updatedAt = this.nowIso();
    });
    this.logger.info('password changed', { userId: id });
  }

  /** A new hash of the same password (the hashing parameters changed): done at login. */
  async replaceHash(id: string, hash: string): Promise<void> {
    if (!hash.startsWith('$argon2')) throw new AppError('VALIDATION_FAILED', 'not an argon2 hash');
    await this.commit(id, (user) => {
      user.passwordHash = hash;
    });
  }

  /** Enrolment (secret, not enabled), confirmation (enabled) or removal (null). */
  async setTotp(id: string, totp: { secret: string | null; enabled: boolean }): Promise<void> {
    if (totp.secret !== null && !/^[A-Z2-7]{16,}=*$/.test(totp.secret)) throw new AppError('VALIDATION_FAILED', 'a TOTP secret is base32');
    await this.commit(id, (user) => {
      user.totpSecret = totp.secret;
      user.totpEnabled = totp.enabled && totp.secret !== null;
      // A new secret starts a new sequence of steps; the old one's last step means nothing to it.
      user.totpLastStep = null;
      user.updatedAt = this.nowIso();
    });
  }

  /** A new secret waiting for its first code; the active secret, if any, stays in force meanwhile. */
  async setPendingTotp(id: string, secret: string): Promise<void> {
    if (!/^[A-Z2-7]{16,}=*$/.test(secret)) throw new AppError('VALIDATION_FAILED', 'a TOTP secret is base32');
    await this.commit(id, (user) => {
      user.totpPendingSecret = secret;
      user.updatedAt = this.nowIso();
    });
  }

  /**
   * The pending secret becomes the active one (its first code, at `step`, is used up); false when
   * there is no pending secret or it is not `secret` (another set-up replaced it meanwhile).
   */
  async activatePendingTotp(id: string, secret: string, step: number): Promise<boolean> {
    if (this.require(id).totpPendingSecret !== secret) return false;
    await this.commit(id, (user) => {
      user.totpSecret = secret;
      user.totpEnabled = true;
      user.totpPendingSecret = null;
      user.totpLastStep = step;
      user.updatedAt = this.nowIso();
    });
    return true;
  }

  /** Removes the second factor, active and pending (a maintainer's reset): the user enrols again. */
  async resetTotp(id: string): Promise<void> {
    await this.commit(id, (user) => {
      user.totpSecret = null;
      user.totpEnabled = false;
      user.totpPendingSecret = null;
      user.totpLastStep = null;
      user.updatedAt = this.nowIso();
    });
  }

  /** Remembers the step of an accepted code so it cannot be replayed; never moves backwards. */
  async recordTotpStep(id: string, step: number): Promise<void> {
    if (!Number.isSafeInteger(step) || step < 0) throw new AppError('VALIDATION_FAILED', 'a TOTP step is a non-negative integer');
    await this.commit(id, (user) => {
      user.totpLastStep = Math.max(step, user.totpLastStep ?? step);
    });
  }

  private require(id: string): User {
    const user = this.get(id);
    if (user === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    return user;
  }

  /** Applies a change to the stored user, writes it, and undoes it when the write fails. */
  private async commit(id: string, change: (user: User) => void): Promise<User> {
    const stored = this.doc.data.users.find((candidate) => candidate.id === id);
    if (stored === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    const before = copyOf(stored);
    change(stored);
    try {
      await this.doc.write();
    } catch (err) {
      Object.assign(stored, before);
      throw err;
    }
    return copyOf(stored);
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function copyOf(user: User): User {
  return { ...user, roles: [...user.roles], extensions: [...user.extensions] };
}

function sortedRoles(roles: readonly Role[]): Role[] {
  return [...roles].sort();
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return sortedRoles(a).join() === sortedRoles(b).join();
}

function validateRoles(roles: readonly unknown[], extensions: readonly unknown[]): { roles: Role[]; extensions: string[] } {
  if (!Array.isArray(roles) || !Array.isArray(extensions)) throw new AppError('ROLES_INVALID', 'roles and extensions are lists');
  const distinct = [...new Set(roles)];
  const valid = distinct.filter(isRole);
  if (valid.length === 0 || valid.length !== distinct.length) throw new AppError('ROLES_INVALID', 'roles must be one or more of the known roles');
  const cleanExtensions = [...new Set(extensions.map((extension) => (typeof extension === 'string' ? extension.trim() : '')))];
  if (!cleanExtensions.every((extension) => EXTENSION_PATTERN.test(extension))) throw new AppError('ROLES_INVALID', 'an extension is 1-12 digits');
  if (cleanExtensions.length > MAX_EXTENSIONS_PER_USER) throw new AppError('ROLES_INVALID', `at most ${MAX_EXTENSIONS_PER_USER} extensions per user`);
  if (valid.includes('agent') && cleanExtensions.length === 0) throw new AppError('ROLES_INVALID', 'an agent needs their own extension');
  return { roles: valid, extensions: cleanExtensions };
}

function requirePasswordRules(password: string, username: string, displayName: string): void {
  if (typeof password !== 'string') throw new AppError('PASSWORD_TOO_SHORT', 'a password is needed', { details: { code: 'PASSWORD_TOO_SHORT' } });
  const result = checkPasswordRules(password, { username, displayName });
  // The reason (which part of the context) goes to the client, so the person is told the right one.
  if (!result.ok) throw new AppError(result.code, result.message, { details: { code: result.code, ...(result.reason === undefined ? {} : { reason: result.reason }) } });
}
