/**
 * Password reset links: a maintainer gives a user a one-time token (as a link `#/reset/<token>`
 * or typed on the sign-in page) with which the user sets their own password; a new user can be
 * created with one instead of an initial password the maintainer would know. A token is 160
 * random bits in groups of four easy-to-type characters, valid for 24 hours, good once; a newer
 * one for the same user replaces the older. Only its SHA-256 is kept, in the encrypted document
 * `access/password-resets`, so neither a copy of the data nor a log yields a usable token.
 * A lookup by the hash of a token of 160 random bits tells an attacker nothing by its timing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Low } from 'lowdb';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

export const PASSWORD_RESET_VALID_MS = 24 * 3600_000;
export const PASSWORD_RESETS_DOCUMENT = 'access/password-resets';
/** A typed token is 39 characters; anything much longer is not one. */
const MAX_TOKEN_INPUT_LENGTH = 256;
const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

interface StoredReset {
  sha256: string;
  userId: string;
  expiresAt: number;
  /** Issued with a new account instead of an initial password. */
  activation: boolean;
}

interface PasswordResetsDocument {
  version: 1;
  resets: StoredReset[];
}

/** Spaces, dashes and case do not matter: the token is read aloud or typed from a note. */
const digest = (token: string): string => createHash('sha256').update(token.replace(/[\s-]/g, '').toUpperCase()).digest('hex');

export class PasswordResetTokens {
  private constructor(private readonly doc: Low<PasswordResetsDocument>, private readonly clock: Clock) {}

  static async open(options: { documents: { openDocument<T>(name: string, defaultData: T): Promise<Low<T>> }; clock: Clock }): Promise<PasswordResetTokens> {
    const doc = await options.documents.openDocument<PasswordResetsDocument>(PASSWORD_RESETS_DOCUMENT, { version: 1, resets: [] });
    if (doc.data.version !== 1 || !Array.isArray(doc.data.resets)) {
      throw new AppError('DOCUMENT_CORRUPT', `the password reset document has an unknown layout (version ${String(doc.data.version)})`, { details: { name: PASSWORD_RESETS_DOCUMENT } });
    }
    return new PasswordResetTokens(doc, options.clock);
  }

  /** A new token for the user, replacing any earlier one (and dropping expired ones). Shown once. */
  async issue(userId: string, activation: boolean): Promise<{ token: string; expiresAt: number }> {
    const chars = [...randomBytes(32)].map((byte) => BASE32[byte & 31]).join('');
    const token = chars.match(/.{4}/g)!.join('-');
    const expiresAt = this.clock.now() + PASSWORD_RESET_VALID_MS;
    await this.change((resets) => [...this.live(resets).filter((reset) => reset.userId !== userId), { sha256: digest(token), userId, expiresAt, activation }]);
    return { token, expiresAt };
  }

  /** The user a live token is for, without spending it. */
  find(token: string): { userId: string; activation: boolean } | undefined {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_INPUT_LENGTH) return undefined;
    const wanted = digest(token);
    const reset = this.live(this.doc.data.resets).find((candidate) => candidate.sha256 === wanted);
    return reset === undefined ? undefined : { userId: reset.userId, activation: reset.activation };
  }

  /**
   * Spends a live token: true once. It leaves memory before the first await, so two requests
   * with the same token cannot both spend it; the write follows (undone if it fails).
   */
  async consume(token: string): Promise<boolean> {
    const found = this.find(token);
    if (found === undefined) return false;
    const wanted = digest(token);
    await this.change((resets) => resets.filter((reset) => reset.sha256 !== wanted));
    return true;
  }

  /** Ends the user's token, if any (the account is disabled, say). */
  async revokeFor(userId: string): Promise<void> {
    if (!this.doc.data.resets.some((reset) => reset.userId === userId)) return;
    await this.change((resets) => resets.filter((reset) => reset.userId !== userId));
  }

  private live(resets: readonly StoredReset[]): StoredReset[] {
    const now = this.clock.now();
    return resets.filter((reset) => reset.expiresAt > now);
  }

  private async change(next: (resets: readonly StoredReset[]) => StoredReset[]): Promise<void> {
    const before = this.doc.data.resets;
    this.doc.data.resets = next(before);
    try {
      await this.doc.write();
    } catch (err) {
      this.doc.data.resets = before;
      throw err;
    }
  }
}
