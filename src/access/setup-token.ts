/**
 * No default password: the first administrator is created with a one-time setup token, printed
 * at first start (and by `tallennin setup-token`). Only its SHA-256 is stored, in
 * <dataDir>/setup-token.json, read afresh on every use because the CLI writes it from another
 * process while the service runs. It expires after 24 hours and works once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { errnoCode } from '../errors.js';
import { removeDurable, writeFileDurable } from '../storage/durable-file.js';

export const SETUP_TOKEN_VALID_MS = 24 * 3600_000;
const FILE_NAME = 'setup-token.json';
/** A typed token is 39 characters; anything much longer is not one. */
const MAX_TOKEN_INPUT_LENGTH = 256;
const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

interface StoredToken {
  sha256: string;
  expiresAt: number;
}

const digest = (token: string): Buffer => createHash('sha256').update(token.replace(/[\s-]/g, '').toUpperCase()).digest();

export class SetupTokens {
  private readonly file: string;
  /** consume() calls run one after another, so two requests cannot both spend one token. */
  private consuming: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: { dataDir: string; clock: Clock }) {
    this.file = join(options.dataDir, FILE_NAME);
  }

  /** A new token of 160 random bits in groups of four easy-to-type characters; replaces any earlier one. */
  async issue(): Promise<string> {
    // 32 characters of an alphabet of 32 (no 0/O, 1/I): 5 random bits each, 160 in all.
    const chars = [...randomBytes(32)].map((byte) => BASE32[byte & 31]).join('');
    const token = chars.match(/.{4}/g)!.join('-');
    const stored: StoredToken = { sha256: digest(token).toString('hex'), expiresAt: this.options.clock.now() + SETUP_TOKEN_VALID_MS };
    await writeFileDurable(this.file, JSON.stringify(stored));
    return token;
  }

  /**
   * True once for the current token: checked in constant time, refused after expiry, and the
   * file is removed (durably) before true is returned.
   */
  consume(token: string): Promise<boolean> {
    const result = this.consuming.then(() => this.consumeNow(token));
    this.consuming = result.catch(() => undefined);
    return result;
  }

  async pending(): Promise<boolean> {
    const stored = await this.read();
    return stored !== undefined && stored.expiresAt > this.options.clock.now();
  }

  private async consumeNow(token: string): Promise<boolean> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_INPUT_LENGTH) return false;
    const stored = await this.read();
    if (stored === undefined || stored.expiresAt <= this.options.clock.now()) return false;
    const expected = Buffer.from(stored.sha256, 'hex');
    const given = digest(token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    // Removed by someone else in the meantime (another process): then it is not ours to spend.
    return removeDurable(this.file);
  }

  private async read(): Promise<StoredToken | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<StoredToken>;
      return typeof parsed.sha256 === 'string' && typeof parsed.expiresAt === 'number' ? { sha256: parsed.sha256, expiresAt: parsed.expiresAt } : undefined;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }
}
