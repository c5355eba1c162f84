/**
 * Runs the retention purge once at start (catching up after downtime) and then daily at the
 * configured local time in Europe/Helsinki. A failed purge raises an alarm and is retried at the
 * next check; it never stops the service.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { AlarmSink } from '../calls/call-tracker.js';
import { purgeAuditEvent, purgeExpired, type DerivedRecordingData, type PurgeableRecordings, type PurgeHolds, type PurgeReport } from './retention-purge.js';
import { AppError } from '../errors.js';
import type { AuditEventInput } from '../access/audit-entry.js';

const CHECK_INTERVAL_MS = 60_000;
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;
const LOCAL_TIME_ZONE = 'Europe/Helsinki';

const localParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: LOCAL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "YYYY-MM-DD" and "HH:MM" of an instant, in Helsinki time. */
export function helsinkiDateTime(ms: number): { date: string; time: string } {
  const parts = Object.fromEntries(localParts.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export interface RetentionSchedulerOptions {
  /**
   * Every purge run is audited (append); the audit trail's own retention (default 2 years)
   * runs with the daily purge (prune).
   */
  readonly audit?: { prune(): Promise<{ removedEntries: number }>; append(event: AuditEventInput): Promise<unknown> };
  readonly history: ContactHistory;
  readonly recordings: PurgeableRecordings;
  readonly derived?: DerivedRecordingData;
  /** The registrar's legal holds and the cases' own retention. */
  readonly holds?: PurgeHolds;
  readonly clock: Clock;
  /** Read at every run: an administrator may change the retention while the box runs. */
  readonly months: () => number;
  /** HH:MM, Helsinki time. */
  readonly dailyAt: string;
  readonly logger: Logger;
  readonly alarms: AlarmSink;
}

export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private lastRunDate: string | undefined;
  private lastFailureMs: number | undefined;
  private running: Promise<PurgeReport | undefined> = Promise.resolve(undefined);
  private lastReport: PurgeReport | undefined;

  constructor(private readonly options: RetentionSchedulerOptions) {}

  start(): void {
    void this.runNow();
    this.timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when a purge in progress has finished. */
  async idle(): Promise<void> {
    await this.running;
  }

  get last(): PurgeReport | undefined {
    return this.lastReport;
  }

  /** Runs a purge now (after any running one); failures become alarms, not exceptions. */
  runNow(): Promise<PurgeReport | undefined> {
    this.running = this.running.then(async () => {
      const { history, recordings, clock, logger, alarms } = this.options;
      try {
        const months = this.options.months();
        const report = await purgeExpired({ history, recordings, ...(this.options.derived === undefined ? {} : { derived: this.options.derived }), ...(this.options.holds === undefined ? {} : { holds: this.options.holds }), clock, months, dryRun: false, logger });
        // A failure here is an alarm like any other: the run is done, but not provable.
        await this.options.audit?.append(purgeAuditEvent(report, months, 'scheduled'));
        const pruned = await this.options.audit?.prune();
        if (pruned !== undefined && pruned.removedEntries > 0) logger.info('audit entries past their retention removed', { entries: pruned.removedEntries });
        this.lastRunDate = helsinkiDateTime(clock.now()).date;
        this.lastFailureMs = undefined;
        this.lastReport = report;
        if (report.failures > 0) alarms.raise('PURGE_INCOMPLETE', 'the retention purge could not destroy every expired recording', { failures: report.failures });
        return report;
      } catch (err) {
        this.lastFailureMs = clock.now();
        alarms.raise('PURGE_FAILED', 'the retention purge failed', { error: err instanceof AppError ? err.code : 'unknown' });
        return undefined;
      }
    });
    return this.running;
  }

  private check(): void {
    const now = this.options.clock.now();
    const { date, time } = helsinkiDateTime(now);
    const due = this.lastRunDate !== date && time >= this.options.dailyAt;
    const retryDue = this.lastFailureMs !== undefined && now - this.lastFailureMs >= RETRY_AFTER_FAILURE_MS;
    if (due || retryDue) void this.runNow();
  }
}
