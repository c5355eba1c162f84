/**
 * One receiver's queue of alarm messages. Pushing never waits and never fails: the recording path
 * raises alarms and must not be slowed by a slow or dead receiver. The queue is bounded (the
 * oldest message is dropped and counted when it is full) and is sent in order, one at a time; a
 * failed send is retried with growing back-off. After a few failures in a row the receiver is
 * reported dead (its own alarm), and recovered at its next success.
 */
import type { Logger } from '../log.js';

export interface DeliveryStats {
  readonly queued: number;
  readonly sent: number;
  readonly failures: number;
  readonly dropped: number;
  /** The last failure's error code (never its message: it may quote the receiver's settings). */
  readonly lastError: string | null;
  readonly dead: boolean;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DeliveryQueueOptions<M> {
  readonly send: (message: M) => Promise<void>;
  readonly logger: Logger;
  readonly capacity?: number;
  /** Waits before the 1st, 2nd... retry; the last one repeats. */
  readonly backoffMs?: readonly number[];
  readonly failuresBeforeDead?: number;
  readonly onDead?: (error: string) => void;
  readonly onRecovered?: () => void;
  readonly timers?: Timers;
}

export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;
const DEFAULT_CAPACITY = 200;
const DEFAULT_FAILURES_BEFORE_DEAD = 3;

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A stable code for a failure: the error's `code` (ECONNREFUSED, EAUTH...) or its class. */
export function failureCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code)) return code;
    if (err instanceof Error) return err.name;
  }
  return 'unknown';
}

export class DeliveryQueue<M> {
  private readonly messages: M[] = [];
  private sending = false;
  private retryTimer: unknown;
  private consecutiveFailures = 0;
  private counters = { sent: 0, failures: 0, dropped: 0 };
  private lastError: string | null = null;
  private dead = false;
  private closed = false;
  private readonly capacity: number;
  private readonly backoffMs: readonly number[];
  private readonly failuresBeforeDead: number;
  private readonly timers: Timers;

  constructor(private readonly options: DeliveryQueueOptions<M>) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.failuresBeforeDead = options.failuresBeforeDead ?? DEFAULT_FAILURES_BEFORE_DEAD;
    this.timers = options.timers ?? realTimers;
  }

  push(message: M): void {
    if (this.closed) return;
    this.messages.push(message);
    if (this.messages.length > this.capacity) {
      this.messages.shift();
      this.counters.dropped++;
    }
    this.pump();
  }

  stats(): DeliveryStats {
    return { queued: this.messages.length, ...this.counters, lastError: this.lastError, dead: this.dead };
  }

  /** A failure outside the queue (a test message) counts as the receiver's failure too. */
  countFailure(error: string): void {
    this.counters.failures++;
    this.lastError = error;
  }

  /** Sends what is queued now, without waiting for a back-off (after the settings changed). */
  retryNow(): void {
    if (this.retryTimer === undefined) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pump();
  }

  /** Stops sending; what is queued is dropped (the alarms themselves are kept in the alarm log). */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.messages.length = 0;
  }

  private pump(): void {
    if (this.sending || this.retryTimer !== undefined || this.closed || this.messages.length === 0) return;
    this.sending = true;
    const message = this.messages[0] as M;
    this.options.send(message).then(
      () => {
        this.sending = false;
        if (this.messages[0] === message) this.messages.shift();
        this.counters.sent++;
        this.consecutiveFailures = 0;
        if (this.dead) {
          this.dead = false;
          this.options.onRecovered?.();
        }
        this.pump();
      },
      (err: unknown) => {
        this.sending = false;
        const code = failureCode(err);
        this.counters.failures++;
        this.consecutiveFailures++;
        this.lastError = code;
        this.options.logger.warn('an alarm could not be delivered; retrying', { error: code, failuresInARow: this.consecutiveFailures });
        if (!this.dead && this.consecutiveFailures >= this.failuresBeforeDead) {
          this.dead = true;
          this.options.onDead?.(code);
        }
        if (this.closed) return;
        const wait = this.backoffMs[Math.min(this.consecutiveFailures - 1, this.backoffMs.length - 1)] ?? 1000;
        this.retryTimer = this.timers.setTimeout(() => {
          this.retryTimer = undefined;
          this.pump();
        }, wait);
      },
    );
  }
}
