/**
 * The answer to a throttled sign-in is held back for a while (a tarpit) instead of being sent at
 * once. A throttled attempt already costs nothing to check, but a client that sends the next one
 * as soon as it hears "no" can otherwise keep the service busy answering; held answers slow
 * every such loop to one attempt per hold, so playback and searches stay fast during a flood.
 *
 * Every throttled answer is held for half to all of the longest hold (at random, so that answers
 * held together are not all sent at the same moment, and the next attempts do not all arrive
 * together either), whatever wait the throttle asks for. Not the shorter of the two: the wait
 * left shrinks to nothing at the end of each block, and holds that shrank with it let a flood's
 * clients through in bursts of quick answers. A client that waits as asked loses at most one
 * hold. At most `maxHeld` answers wait at once: past that the answer goes out at once, so held
 * answers cannot use up memory.
 *
 * Only answers to browsers the account does not know are held: a refused attempt from the
 * owner's usual browser (its device cookie) is answered at once (account-access.ts).
 */
import { AppError } from '../errors.js';

export const DEFAULT_MAX_HOLD_MS = 3000;
export const DEFAULT_MAX_HELD = 1000;

export class LoginTarpit {
  private held = 0;
  private readonly maxHoldMs: number;
  private readonly maxHeld: number;
  private readonly random: () => number;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(
    options: {
      maxHoldMs?: number;
      maxHeld?: number;
      /** A number in [0, 1): Math.random by default (tests give their own). */
      random?: () => number;
      /** Resolves after `ms`: a timer by default (tests give their own, so that no test depends on timing). */
      wait?: (ms: number) => Promise<void>;
    } = {},
  ) {
    this.maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    this.maxHeld = options.maxHeld ?? DEFAULT_MAX_HELD;
    this.random = options.random ?? Math.random;
    this.wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    if (!Number.isSafeInteger(this.maxHoldMs) || this.maxHoldMs < 0) throw new AppError('CONFIG_INVALID', 'the login tarpit hold must be a whole number of ms, 0 or more');
    if (!Number.isSafeInteger(this.maxHeld) || this.maxHeld < 0) throw new AppError('CONFIG_INVALID', 'the number of held login answers must be a whole number, 0 or more');
  }

  /** Resolves after 50-100 % of the longest hold, or at once when too many are held. */
  async hold(): Promise<void> {
    const ms = Math.round(this.maxHoldMs * (0.5 + this.random() / 2));
    if (ms === 0 || this.held >= this.maxHeld) return;
    this.held++;
    try {
      await this.wait(ms);
    } finally {
      this.held--;
    }
  }

  /** Answers waiting right now (for health and tests). */
  holding(): number {
    return this.held;
  }
}
