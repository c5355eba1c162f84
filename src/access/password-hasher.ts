/**
 * Password hashing with argon2id. Each hash takes tens of megabytes for a moment, so at most a
 * few run at once and a bounded queue waits behind them: a login flood gets AUTH_BUSY instead of
 * exhausting the box's memory.
 */
import argon2 from 'argon2';
import { AppError } from '../errors.js';
import { normalizePassword } from './password-rules.js';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The library's defaults (64 MiB, t=3, p=4), above OWASP's floor. */
export const DEFAULT_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryCost: 65536, timeCost: 3, parallelism: 4 });
/** OWASP's minimum for argon2id: m=19 MiB, t=2, p=1. */
export const MIN_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

export class PasswordHasher {
  private readonly params: Argon2Params;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private running = 0;
  private rejected = 0;
  private readonly queue: Array<() => void> = [];
  /** A real hash of a random password: verifying against it costs what a real verify costs. */
  private dummyHash: Promise<string> | undefined;

  constructor(options: { params?: Argon2Params; maxConcurrent?: number; maxQueued?: number } = {}) {
    const params = options.params ?? DEFAULT_ARGON2_PARAMS;
    if (params.memoryCost < MIN_ARGON2_PARAMS.memoryCost || params.timeCost < MIN_ARGON2_PARAMS.timeCost || params.parallelism < MIN_ARGON2_PARAMS.parallelism) {
      throw new AppError('HASH_PARAMS_INVALID', 'argon2id parameters below m=19456 KiB, t=2, p=1 are not allowed');
    }
    this.params = { ...params };
    this.maxConcurrent = options.maxConcurrent ?? 2;
    this.maxQueued = options.maxQueued ?? 64;
  }

  hash(password: string): Promise<string> {
    return this.limited(() => argon2.hash(normalizePassword(password), { type: argon2.argon2id, ...this.params }));
  }

  async verify(hash: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
    return this.limited(async () => {
      let ok = false;
      try {
        ok = await argon2.verify(hash, normalizePassword(password));
      } catch {
        ok = false;
      }
      return { ok, needsRehash: ok && argon2.needsRehash(hash, { ...this.params }) };
    });
  }

  /** Costs what a real verify costs, so an unknown user name takes as long as a wrong password. */
  async verifyDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash(`dummy ${Math.random()} password for timing`);
    await this.verify(await this.dummyHash, password);
  }

  stats(): { running: number; queued: number; rejected: number } {
    return { running: this.running, queued: this.queue.length, rejected: this.rejected };
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.queue.length >= this.maxQueued) {
        this.rejected++;
        throw new AppError('AUTH_BUSY', 'too many sign-ins at once: try again in a moment');
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next waiter; only when none waits is it freed.
      if (next === undefined) this.running--;
      else next();
    }
  }
}
