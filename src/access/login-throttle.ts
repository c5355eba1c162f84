/**
 * Login throttling per account and per client address. A few free attempts, then every failure
 * doubles the wait (up to 15 minutes), so a hundred guesses against one account take hours
 * instead of seconds (NIST SP 800-63B 5.2.2). Unknown user names are tracked exactly like known
 * ones, so the throttle tells an attacker nothing about which accounts exist.
 *
 * An address gets more free attempts than an account (several people may sign in from one
 * address, e.g. behind a terminal server), but is throttled the same way after them: one address
 * trying one password against many accounts (spraying) is slowed down too. A failure record is
 * forgotten after a quiet period, and the table is bounded (least recently failed goes first).
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

export const DEFAULT_FREE_ATTEMPTS = 5;
export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 15 * 60_000;
export const DEFAULT_MAX_TRACKED = 10_000;
/** Free attempts of an address are this many times those of an account. */
export const ADDRESS_FREE_ATTEMPTS_FACTOR = 4;
/** Failures older than this (with none since) are forgotten. */
export const DEFAULT_FORGET_AFTER_MS = 24 * 3600_000;
/** Longer user names cannot exist; the key keeps only this much of what a client typed. */
const MAX_KEY_USERNAME_LENGTH = 128;

interface Failures {
  count: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** The key of a user name as typed: what findByUsername would look up. */
export function throttleUsernameKey(username: string): string {
  return `user:${String(username).trim().toLowerCase().slice(0, MAX_KEY_USERNAME_LENGTH)}`;
}

/** The key of a client address; an IPv4 address seen through an IPv6 socket counts as itself. */
export function throttleAddressKey(address: string): string {
  return `addr:${String(address).trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')}`;
}

export class LoginThrottle {
  private readonly byKey = new Map<string, Failures>();
  private readonly freeAttempts: number;
  private readonly addressFreeAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxTracked: number;
  private readonly forgetAfterMs: number;

  constructor(
    private readonly options: {
      clock: Clock;
      freeAttempts?: number;
      /** Default: ADDRESS_FREE_ATTEMPTS_FACTOR times freeAttempts. */
      addressFreeAttempts?: number;
      baseDelayMs?: number;
      maxDelayMs?: number;
      maxTracked?: number;
      forgetAfterMs?: number;
    },
  ) {
    this.freeAttempts = options.freeAttempts ?? DEFAULT_FREE_ATTEMPTS;
    this.addressFreeAttempts = options.addressFreeAttempts ?? this.freeAttempts * ADDRESS_FREE_ATTEMPTS_FACTOR;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.maxTracked = options.maxTracked ?? DEFAULT_MAX_TRACKED;
    this.forgetAfterMs = options.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS;
    const settings = { freeAttempts: this.freeAttempts, addressFreeAttempts: this.addressFreeAttempts, baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, maxTracked: this.maxTracked, forgetAfterMs: this.forgetAfterMs };
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new AppError('CONFIG_INVALID', `login throttle ${name} must be a positive integer`);
    }
    if (this.maxDelayMs < this.baseDelayMs) throw new AppError('CONFIG_INVALID', 'login throttle maxDelayMs must be at least baseDelayMs');
  }

  /**
   * Whether an attempt may be made now: refused while the account or the address waits. Without
   * an address only the account is checked (e.g. the current password at a password change).
   */
  check(username: string, address?: string): ThrottleDecision {
    const now = this.options.clock.now();
    let retryAfterMs = 0;
    for (const key of this.keys(username, address)) {
      const entry = this.live(key, now);
      if (entry !== undefined) retryAfterMs = Math.max(retryAfterMs, entry.blockedUntil - now);
    }
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  recordFailure(username: string, address?: string): void {
    const now = this.options.clock.now();
    for (const key of this.keys(username, address)) {
      const entry = this.live(key, now) ?? { count: 0, lastFailureAt: now, blockedUntil: 0 };
      entry.count++;
      entry.lastFailureAt = now;
      const free = key.startsWith('addr:') ? this.addressFreeAttempts : this.freeAttempts;
      if (entry.count >= free) {
        // 2 ** large is Infinity, and Math.min turns it into the cap.
        entry.blockedUntil = now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (entry.count - free));
      }
      // Re-inserted, so the Map's order is least recently failed first.
      this.byKey.delete(key);
      this.byKey.set(key, entry);
    }
    while (this.byKey.size > this.maxTracked) {
      const oldest = this.byKey.keys().next().value;
      if (oldest === undefined) break;
      this.byKey.delete(oldest);
    }
  }

  /**
   * A success clears the account's record. The address keeps its own: otherwise an attacker
   * could clear it by signing in to an account of their own between guesses.
   */
  recordSuccess(username: string, _address?: string): void {
    this.byKey.delete(throttleUsernameKey(username));
  }

  /** How many keys are tracked (for health and tests). */
  tracked(): number {
    return this.byKey.size;
  }

  private live(key: string, now: number): Failures | undefined {
    const entry = this.byKey.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.lastFailureAt >= this.forgetAfterMs && entry.blockedUntil <= now) {
      this.byKey.delete(key);
      return undefined;
    }
    return entry;
  }

  private keys(username: string, address: string | undefined): string[] {
    return address === undefined ? [throttleUsernameKey(username)] : [throttleUsernameKey(username), throttleAddressKey(address)];
  }
}
