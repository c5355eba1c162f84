/**
 * Login throttling that bounds guessing without letting a flood lock the real user out
 * (OWASP "Blocking Brute Force Attacks", device cookies; NIST SP 800-63B 5.2.2). Failures are
 * counted under several keys, each with a few free attempts after which every failure doubles
 * the wait (up to 15 minutes):
 *
 * - (account, address): what one person at one workstation types. 5 free attempts. Someone
 *   else's failures from another address, or against another account from the same address
 *   (a LAN behind NAT shares one), do not touch it.
 * - the account, from anywhere: 100 free failures (NIST's ceiling, far above what a person
 *   types), so a flood spread over many addresses is still bounded.
 * - the address, by how many different accounts failed from it: 20 free, so one address trying
 *   a password against many accounts (spraying) is slowed down too. Repeated failures against one
 *   account count once here: a flood against one person does not lock out their colleagues.
 * - a trusted device (device-cookie.ts): a browser that has signed in to this account before.
 *   Its attempts are checked and counted only under its own key (5 free), so the account's cap
 *   and the address's record never refuse it; a device cookie used for many failures (stolen)
 *   is locked out on its own.
 *
 * Unknown user names are tracked exactly like known ones, so the throttle tells an attacker
 * nothing about which accounts exist. A failure record is forgotten after a quiet period, and
 * the table is bounded (least recently failed goes first).
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

export const DEFAULT_FREE_ATTEMPTS = 5;
/** Failures of one account from anywhere before it is throttled for browsers it does not know. */
export const DEFAULT_ACCOUNT_FREE_ATTEMPTS = 100;
/** Different accounts that may fail from one address before it is throttled. */
export const DEFAULT_ADDRESS_FREE_ACCOUNTS = 20;
export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 15 * 60_000;
export const DEFAULT_MAX_TRACKED = 10_000;
/** Failures older than this (with none since) are forgotten. */
export const DEFAULT_FORGET_AFTER_MS = 24 * 3600_000;
/** Longer user names cannot exist; the key keeps only this much of what a client typed. */
const MAX_KEY_USERNAME_LENGTH = 128;

/** One sign-in attempt (or a password check of a signed-in user) as the throttle sees it. */
export interface LoginAttempt {
  /** The user name as typed. */
  readonly username: string;
  /** The client's address; absent when not known. */
  readonly address?: string;
  /**
   * A trusted device's id: a valid device cookie of this very account (device-cookie.ts), or a
   * signed-in session. Its attempts are throttled on the device alone.
   */
  readonly device?: string;
}

/** Which record refused an attempt. */
export type ThrottleScope = 'device' | 'account-address' | 'account' | 'address';

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number; scope: ThrottleScope };

interface Failures {
  count: number;
  lastFailureAt: number;
  blockedUntil: number;
}

interface Key {
  readonly key: string;
  readonly scope: ThrottleScope;
}

const normalUsername = (username: string): string => String(username).trim().toLowerCase().slice(0, MAX_KEY_USERNAME_LENGTH);
/** An IPv4 address seen through an IPv6 socket counts as itself. */
const normalAddress = (address: string): string => String(address).trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/** The key of a user name as typed: what findByUsername would look up. */
export function throttleUsernameKey(username: string): string {
  return `user:${normalUsername(username)}`;
}

/** The key of a client address. */
export function throttleAddressKey(address: string): string {
  return `addr:${normalAddress(address)}`;
}

/** The key of a trusted device. */
export function throttleDeviceKey(device: string): string {
  return `device:${device}`;
}

export interface LoginThrottleOptions {
  readonly clock: Clock;
  /** Per (account, address) and per trusted device. */
  readonly freeAttempts?: number;
  readonly accountFreeAttempts?: number;
  readonly addressFreeAccounts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxTracked?: number;
  readonly forgetAfterMs?: number;
}

export class LoginThrottle {
  private readonly byKey = new Map<string, Failures>();
  private readonly free: Record<ThrottleScope, number>;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxTracked: number;
  private readonly forgetAfterMs: number;

  constructor(private readonly options: LoginThrottleOptions) {
    const freeAttempts = options.freeAttempts ?? DEFAULT_FREE_ATTEMPTS;
    const accountFreeAttempts = options.accountFreeAttempts ?? DEFAULT_ACCOUNT_FREE_ATTEMPTS;
    const addressFreeAccounts = options.addressFreeAccounts ?? DEFAULT_ADDRESS_FREE_ACCOUNTS;
    this.free = { device: freeAttempts, 'account-address': freeAttempts, account: accountFreeAttempts, address: addressFreeAccounts };
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.maxTracked = options.maxTracked ?? DEFAULT_MAX_TRACKED;
    this.forgetAfterMs = options.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS;
    const settings = { freeAttempts, accountFreeAttempts, addressFreeAccounts, baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, maxTracked: this.maxTracked, forgetAfterMs: this.forgetAfterMs };
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new AppError('CONFIG_INVALID', `login throttle ${name} must be a positive integer`);
    }
    if (this.maxDelayMs < this.baseDelayMs) throw new AppError('CONFIG_INVALID', 'login throttle maxDelayMs must be at least baseDelayMs');
  }

  /** Whether an attempt may be made now: refused while any of its records waits (the longest wait wins). */
  check(attempt: LoginAttempt): ThrottleDecision {
    const now = this.options.clock.now();
    let refusal: { retryAfterMs: number; scope: ThrottleScope } | undefined;
    for (const { key, scope } of this.keys(attempt)) {
      const entry = this.live(key, now);
      if (entry === undefined || entry.blockedUntil <= now) continue;
      if (refusal === undefined || entry.blockedUntil - now > refusal.retryAfterMs) refusal = { retryAfterMs: entry.blockedUntil - now, scope };
    }
    return refusal === undefined ? { allowed: true } : { allowed: false, ...refusal };
  }

  recordFailure(attempt: LoginAttempt): void {
    const now = this.options.clock.now();
    const keys = this.keys(attempt);
    // The address counts accounts, not failures: only the first failure of an (account, address) pair.
    const pair = keys.find((k) => k.scope === 'account-address');
    const newAccountForAddress = pair !== undefined && this.live(pair.key, now) === undefined;
    for (const { key, scope } of keys) {
      if (scope === 'address' && !newAccountForAddress) continue;
      const entry = this.live(key, now) ?? { count: 0, lastFailureAt: now, blockedUntil: 0 };
      entry.count++;
      entry.lastFailureAt = now;
      const free = this.free[scope];
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
   * A success clears what this person typed: the (account, address) record and the device's.
   * The account's record and the address's stay until they are forgotten: otherwise a flood
   * could start over after every sign-in of the real user, and an attacker could clear an
   * address by signing in to an account of their own between guesses.
   */
  recordSuccess(attempt: LoginAttempt): void {
    for (const { key, scope } of this.keys({ username: attempt.username, ...(attempt.address === undefined ? {} : { address: attempt.address }) })) {
      if (scope === 'account-address') this.byKey.delete(key);
    }
    if (attempt.device !== undefined) this.byKey.delete(throttleDeviceKey(attempt.device));
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

  /** A trusted device has its own record only; any other attempt, the pair's, the account's and the address's. */
  private keys(attempt: LoginAttempt): Key[] {
    if (attempt.device !== undefined) return [{ key: throttleDeviceKey(attempt.device), scope: 'device' }];
    const user = normalUsername(attempt.username);
    // Without an address (not known to the caller), "-" stands for it: one more pair, not a free pass.
    const address = attempt.address === undefined ? '-' : normalAddress(attempt.address);
    const keys: Key[] = [
      { key: `pair:${address} ${user}`, scope: 'account-address' },
      { key: `user:${user}`, scope: 'account' },
    ];
    if (attempt.address !== undefined) keys.push({ key: `addr:${address}`, scope: 'address' });
    return keys;
  }
}
