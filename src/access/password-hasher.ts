/**
 * Password hashing with argon2id. Each hash takes tens of megabytes for a moment, so at most a
 * few run at once and a bounded queue waits behind them: a login flood gets AUTH_BUSY instead of
 * exhausting the box's memory. Passwords are NFKC-normalised before hashing and verifying, so a
 * password typed on another keyboard or operating system still matches.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { AppError } from '../errors.js';
import { normalizePassword } from './password-rules.js';

export interface Argon2Params {
  /** KiB of memory per hash. */
  memoryCost: number;
  /** Passes over the memory. */
  timeCost: number;
  /** Lanes. */
  parallelism: number;
}

/**
 * 64 MiB and t=3 as the library's defaults (RFC 9106's second choice), well above OWASP's floor,
 * but one lane: a hash then keeps one core busy instead of all of them (about 170 ms instead of
 * 120 ms on two cores), and the other cores stay free for capture and playback during a burst of
 * sign-ins. The memory an attacker needs per guess is the same.
 */
export const DEFAULT_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryCost: 65536, timeCost: 3, parallelism: 1 });
/** OWASP's minimum for argon2id: m=19 MiB, t=2, p=1. Nothing weaker is accepted. */
export const MIN_ARGON2_PARAMS: Argon2Params = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
/** Hashes at once: all cores but one, so one always stays free for the service itself. */
export const DEFAULT_MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);

/** Where argon2id runs: in this process (the default), or in a worker process (hash-worker.ts). */
export interface Argon2Runner {
  hash(password: string, params: Argon2Params): Promise<string>;
  /** False for a mismatch and for a malformed hash. */
  verify(hash: string, password: string): Promise<boolean>;
}

export const inProcessArgon2: Argon2Runner = {
  hash: (password, params) => argon2.hash(password, { type: argon2.argon2id, ...params }),
  async verify(hash, password) {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};
export const DEFAULT_MAX_QUEUED_HASHES = 64;
/** A check that has waited this long for a free slot is refused (AUTH_BUSY), never left hanging. */
export const DEFAULT_MAX_QUEUE_WAIT_MS = 20_000;

/** argon2's own PHC encoding: unpadded standard base64. */
const phcBase64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

export class PasswordHasher {
  private readonly params: Argon2Params;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly maxQueueWaitMs: number;
  private readonly runner: Argon2Runner;
  private running = 0;
  private rejected = 0;
  private readonly queue: Array<() => void> = [];
  /**
   * An argon2id string with the current parameters, a random salt and a random digest: no
   * password matches it, and verifying against it costs exactly what a real verify costs.
   * Built without hashing, so the first unknown user name is not slower than the next ones.
   */
  private readonly dummyHash: string;

  constructor(options: { params?: Argon2Params; maxConcurrent?: number; maxQueued?: number; maxQueueWaitMs?: number; runner?: Argon2Runner } = {}) {
    this.runner = options.runner ?? inProcessArgon2;
    const params = options.params ?? DEFAULT_ARGON2_PARAMS;
    const atLeast = (value: number, floor: number): boolean => Number.isSafeInteger(value) && value >= floor;
    if (!atLeast(params.memoryCost, MIN_ARGON2_PARAMS.memoryCost) || !atLeast(params.timeCost, MIN_ARGON2_PARAMS.timeCost) || !atLeast(params.parallelism, MIN_ARGON2_PARAMS.parallelism)) {
      throw new AppError('HASH_PARAMS_INVALID', 'argon2id parameters below m=19456 KiB, t=2, p=1 are not allowed');
    }
    this.params = Object.freeze({ memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism });
    this.maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_HASHES;
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_HASHES;
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS;
    if (!atLeast(this.maxConcurrent, 1) || !atLeast(this.maxQueued, 0) || !atLeast(this.maxQueueWaitMs, 1)) {
      throw new AppError('HASH_PARAMS_INVALID', 'maxConcurrent must be at least 1, maxQueued at least 0 and maxQueueWaitMs at least 1');
    }
    const { memoryCost, timeCost, parallelism } = this.params;
    this.dummyHash = `$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$${phcBase64(randomBytes(16))}$${phcBase64(randomBytes(32))}`;
  }

  /** The parameters new hashes get (a copy). */
  get parameters(): Argon2Params {
    return { ...this.params };
  }

  /** An argon2id PHC string of the NFKC-normalised password. Throws AUTH_BUSY when saturated. */
  hash(password: string): Promise<string> {
    return this.limited(() => this.runner.hash(normalizePassword(password), this.params));
  }

  /**
   * Whether the password matches the hash, and whether the hash should be replaced because it
   * was made with other parameters (or another argon2 variant). A malformed hash is a mismatch,
   * never an exception; only AUTH_BUSY is thrown.
   */
  async verify(hash: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
    return this.limited(async () => {
      const ok = await this.runner.verify(hash, normalizePassword(password));
      return { ok, needsRehash: ok && this.needsRehash(hash) };
    });
  }

  /** Costs what a real verify costs, so an unknown user name takes as long as a wrong password. */
  async verifyDummy(password: string): Promise<void> {
    await this.verify(this.dummyHash, password);
  }

  stats(): { running: number; queued: number; rejected: number } {
    return { running: this.running, queued: this.queue.length, rejected: this.rejected };
  }

  private needsRehash(hash: string): boolean {
    if (!hash.startsWith('$argon2id$')) return true;
    try {
      return argon2.needsRehash(hash, { ...this.params });
    } catch {
      return true;
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.queue.length >= this.maxQueued) {
        this.rejected++;
        throw new AppError('AUTH_BUSY', 'too many sign-ins at once: try again in a moment');
      }
      // The slot is handed over by the finishing hash (see finally), so `running` stays counted.
      // A wait past the limit gives up its place: the slot then goes to the next in line.
      await new Promise<void>((resolve, reject) => {
        const handOver = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.queue.splice(this.queue.indexOf(handOver), 1);
          this.rejected++;
          reject(new AppError('AUTH_BUSY', 'too many sign-ins at once: try again in a moment'));
        }, this.maxQueueWaitMs);
        this.queue.push(handOver);
      });
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next === undefined) this.running--;
      else next();
    }
  }
}
