/**
 * The capture thread's event-loop delay, measured by a timer of its own: every RESOLUTION_MS it
 * records how late it ran, by the real clock, in a histogram (p99, max). perf_hooks'
 * monitorEventLoopDelay misses a stall that happens inside a timer callback (its timer is
 * rescheduled from the loop's time, which the stall leaves stale), and the capture thread's own
 * timers (statistics, checks, held calls) are where such a stall would be. Measured: a 300 ms
 * busy callback in a 1 s interval shows 292-306 ms here and nothing in monitorEventLoopDelay.
 */
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

export class LoopDelayProbe {
  private histogram: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  enable(): void {
    if (this.timer !== undefined) return;
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      // Recorded in microseconds; a timer on time records its 1 µs floor.
      this.histogram.record(Math.max(1, Math.round((now - this.last - RESOLUTION_MS) * 1000)));
      this.last = now;
    }, RESOLUTION_MS);
    this.timer.unref();
  }

  disable(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** p99 and max of the delays since the last reset, in milliseconds (0 when none was taken). */
  read(): { p99Ms: number; maxMs: number } {
    if (this.histogram.count === 0) return { p99Ms: 0, maxMs: 0 };
    const ms = (us: number): number => Math.round(us / 10) / 100;
    return { p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max) };
  }

  reset(): void {
    this.histogram.reset();
  }
}
