/**
 * A token bucket on the injected clock: `burst` at once, refilled at `perSecond`. The webhook's
 * own rate limit, so a flood from a controller (or from anyone who finds the path) costs the
 * box a refusal each, never the audit trail's or the player's time.
 */
import type { Clock } from '../clock.js';

export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(private readonly clock: Clock, private readonly burst: number, private readonly perSecond: number) {
    this.tokens = burst;
    this.updatedMs = clock.now();
  }

  /** Takes `count` tokens if there are that many; otherwise takes none and says how long to wait. */
  take(count = 1): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.updatedMs) / 1000) * this.perSecond);
    this.updatedMs = now;
    if (count <= this.tokens) {
      this.tokens -= count;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.max(1000, Math.ceil(((count - this.tokens) / this.perSecond) * 1000)) };
  }
}
