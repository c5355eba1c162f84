/** Runs every health check in turn on a timer; a check that throws is logged, never fatal. */
import type { Logger } from '../../log.js';
import type { HealthCheck } from './health-check.js';

export const HEALTH_CHECK_INTERVAL_MS = 30_000;

export class HealthChecks {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly checks: readonly HealthCheck[], private readonly logger: Logger) {}

  start(intervalMs = HEALTH_CHECK_INTERVAL_MS): void {
    this.timer = setInterval(() => void this.runAll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs every check once (after a run in progress); resolves when all have finished. */
  runAll(): Promise<void> {
    this.running = this.running.then(async () => {
      for (const check of this.checks) {
        try {
          await check.run();
        } catch (err) {
          this.logger.error('a health check failed', { check: check.name, error: err instanceof Error ? err.name : 'unknown' });
        }
      }
    });
    return this.running;
  }
}
