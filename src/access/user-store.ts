/**
 * Personal accounts (P5, P6): one per person, in the encrypted document `access/users`. A user
 * has one or more roles (policy.ts); an agent is linked to their own extension(s), which is
 * what "own calls" means (P12). Passwords are kept only as argon2id hashes.
 */
import { randomUUID } from 'node:crypto';
import type { Low } from 'lowdb';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError } from '../errors.js';
import { isRole, type Role } from './policy.js';
import { checkPasswordRules } from './password-rules.js';
import type { PasswordHasher } from './password-hasher.js';

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  extensions: string[];
  passwordHash: string;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
}

export type PublicUser = Omit<User, 'passwordHash' | 'totpSecret' | 'totpLastStep'>;

interface UsersDocument {
  version: 1;
  users: User[];
}

export interface UserDocuments {
  openDocument<T>(name: string, defaultData: T): Promise<Low<T>>;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const EXTENSION = /^[0-9]{1,12}$/;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hash, totpSecret: _secret, totpLastStep: _step, ...rest } = user;
  return { ...rest, roles: [...rest.roles], extensions: [...rest.extensions] };
}

export class UserStore {
  private constructor(
    private readonly doc: Low<UsersDocument>,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  static async open(options: { documents: UserDocuments; hasher: PasswordHasher; clock: Clock; logger: Logger }): Promise<UserStore> {
    const doc = await options.documents.openDocument<UsersDocument>('access/users', { version: 1, users: [] });
    return new UserStore(doc, options.hasher, options.clock, options.logger);
  }

  count(): number {
    return this.doc.data.users.length;
  }

  list(): PublicUser[] {
    return this.doc.data.users.map(toPublicUser).sort((a, b) => a.username.localeCompare(b.username));
  }

  get(id: string): User | undefined {
    return this.doc.data.users.find((user) => user.id === id);
  }

  findByUsername(username: string): User | undefined {
    const wanted = username.trim().toLowerCase();
    return this.doc.data.users.find((user) => user.username === wanted);
  }

  async create(input: { username: string; displayName: string; roles: Role[]; extensions?: string[]; password: string }): Promise<PublicUser> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) throw new AppError('USERNAME_INVALID', 'a user name is 3-64 characters: a-z, 0-9, dot, dash, underscore');
    if (this.findByUsername(username) !== undefined) throw new AppError('USERNAME_TAKEN', 'that user name is taken');
    const { roles, extensions } = validateRoles(input.roles, input.extensions ?? []);
    requirePasswordRules(input.password, username, input.displayName);
    const now = new Date(this.clock.now()).toISOString();
    const user: User = {
      id: randomUUID(),
      username,
      displayName: input.displayName.trim(),
      roles,
      extensions,
      passwordHash: await this.hasher.hash(input.password),
      totpSecret: null,
      totpEnabled: false,
      totpLastStep: null,
      disabled: false,
      createdAt: now,
      updatedAt: now,
      passwordChangedAt: now,
    };
    if (this.findByUsername(username) !== undefined) throw new AppError('USERNAME_TAKEN', 'that user name is taken');
    this.doc.data.users.push(user);
    await this.doc.write();
    this.logger.info('user created', { userId: user.id, roles: roles.join(',') });
    return toPublicUser(user);
  }

  async update(id: string, patch: { displayName?: string; roles?: Role[]; extensions?: string[]; disabled?: boolean }): Promise<PublicUser> {
    const user = this.require(id);
    const { roles, extensions } = validateRoles(patch.roles ?? user.roles, patch.extensions ?? user.extensions);
    if (patch.displayName !== undefined) {
      if (patch.displayName.trim() === '') throw new AppError('USERNAME_INVALID', 'a display name is needed');
      user.displayName = patch.displayName.trim();
    }
    user.roles = roles;
    user.extensions = extensions;
    if (patch.disabled !== undefined) user.disabled = patch.disabled;
    user.updatedAt = new Date(this.clock.now()).toISOString();
    await this.doc.write();
    return toPublicUser(user);
  }

  async setPassword(id: string, newPassword: string): Promise<void> {
    const user = this.require(id);
    requirePasswordRules(newPassword, user.username, user.displayName);
    user.passwordHash = await this.hasher.hash(newPassword);
    user.passwordChangedAt = user.updatedAt = new Date(this.clock.now()).toISOString();
    await this.doc.write();
  }

  /** A new hash of the same password (the hashing parameters changed): done at login. */
  async replaceHash(id: string, hash: string): Promise<void> {
    this.require(id).passwordHash = hash;
    await this.doc.write();
  }

  async setTotp(id: string, totp: { secret: string | null; enabled: boolean }): Promise<void> {
    const user = this.require(id);
    user.totpSecret = totp.secret;
    user.totpEnabled = totp.enabled && totp.secret !== null;
    if (!user.totpEnabled) user.totpLastStep = null;
    user.updatedAt = new Date(this.clock.now()).toISOString();
    await this.doc.write();
  }

  async recordTotpStep(id: string, step: number): Promise<void> {
    this.require(id).totpLastStep = step;
    await this.doc.write();
  }

  private require(id: string): User {
    const user = this.get(id);
    if (user === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    return user;
  }
}

function validateRoles(roles: readonly string[], extensions: readonly string[]): { roles: Role[]; extensions: string[] } {
  const valid = [...new Set(roles)].filter(isRole);
  if (valid.length === 0 || valid.length !== new Set(roles).size) throw new AppError('ROLES_INVALID', 'roles must be one or more of the known roles');
  const cleanExtensions = [...new Set(extensions.map((extension) => extension.trim()))];
  if (!cleanExtensions.every((extension) => EXTENSION.test(extension))) throw new AppError('ROLES_INVALID', 'an extension is 1-12 digits');
  if (valid.includes('agent') && cleanExtensions.length === 0) throw new AppError('ROLES_INVALID', 'an agent needs their own extension');
  return { roles: valid, extensions: cleanExtensions };
}

function requirePasswordRules(password: string, username: string, displayName?: string): void {
  const result = checkPasswordRules(password, { username, ...(displayName === undefined ? {} : { displayName }) });
  if (!result.ok) throw new AppError(result.code, result.message, { details: { code: result.code } });
}
