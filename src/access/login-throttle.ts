/**
 * Login throttling per account and per client address. A few free attempts, then every failure
 * doubles the wait (up to 15 minutes). Unknown user names are tracked exactly like known ones,
 * so the throttle tells an attacker nothing about which accounts exist.
 */
import type { Clock } from '../clock.js';

interface Failures {
  count: number;
  blockedUntil: number;
}

export class LoginThrottle {
  private readonly byKey = new Map<string, Failures>();
  private readonly freeAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxTracked: number;

  constructor(private readonly options: { clock: Clock; freeAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxTracked?: number }) {
    this.freeAttempts = options.freeAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.maxTracked = options.maxTracked ?? 10_000;
  }

  check(username: string, address: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.options.clock.now();
    const waits = this.keys(username, address).map((key) => (this.byKey.get(key)?.blockedUntil ?? 0) - now);
    const retryAfterMs = Math.max(0, ...waits);
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  recordFailure(username: string, address: string): void {
    const now = this.options.clock.now();
    for (const key of this.keys(username, address)) {
      const entry = this.byKey.get(key) ?? { count: 0, blockedUntil: 0 };
      entry.count++;
      if (entry.count >= this.freeAttempts) {
        const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (entry.count - this.freeAttempts));
        entry.blockedUntil = now + delay;
      }
      this.byKey.delete(key);
      this.byKey.set(key, entry);
    }
    while (this.byKey.size > this.maxTracked) {
      const oldest = this.byKey.keys().next().value;
      if (oldest === undefined) break;
      this.byKey.delete(oldest);
    }
  }

  /** A success clears the account's count; the address keeps its record (one address, many accounts). */
  recordSuccess(username: string, _address: string): void {
    this.byKey.delete(`user:${username.trim().toLowerCase()}`);
  }

  private keys(username: string, address: string): string[] {
    return [`user:${username.trim().toLowerCase()}`, `addr:${address}`];
  }
}
