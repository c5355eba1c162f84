/**
 * Time is injected so that tests can move it (the 3-month purge, idle timeouts) without waiting.
 * All stored times are UTC; presentation in Europe/Helsinki happens at the edges.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until moved; for tests and for `--now` overrides of the CLI. */
export class ManualClock implements Clock {
  private current: number;
  constructor(startMs: number) {
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/** A clock running at real speed from a shifted origin (used by `--now` in the CLI). */
export function offsetClock(offsetMs: number, base: Clock = systemClock): Clock {
  return { now: () => base.now() + offsetMs };
}
