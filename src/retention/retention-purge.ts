/**
 * Retention (P7): contact-history identification data are kept at most 3 months, and so are
 * the recordings that belong to them. The purge destroys recordings by crypto-shredding (their
 * wrapped data key goes first, then the file) and drops contact records whole days at a time.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ContactHistory } from '../history/contact-history.js';
import { MAX_RETENTION_MONTHS } from '../config/config-schema.js';
import { AppError } from '../errors.js';

/** What the purge needs of the recording store (src/recording/recording-store.ts). */
export interface PurgeableRecordings {
  /** `header` is absent when a file's header is unreadable (such files are quarantine's matter). */
  list(): Promise<ReadonlyArray<{ readonly recordingId: string; readonly header?: { readonly startedAtMs: number } }>>;
  destroy(recordingId: string): Promise<unknown>;
}

/** Data derived from a recording (its waveform), destroyed with it. */
export interface DerivedRecordingData {
  remove(recordingId: string): Promise<unknown>;
}

export interface PurgeReport {
  readonly cutoff: string;
  readonly dryRun: boolean;
  readonly contactRecords: number;
  readonly historyDays: number;
  readonly recordings: number;
  /** Recordings that could not be destroyed; the next purge tries again. */
  readonly failures: number;
}

/** The oldest start time that is kept: `months` calendar months before now, in UTC. */
export function retentionCutoffMs(nowMs: number, months: number): number {
  if (!Number.isInteger(months) || months < 1 || months > MAX_RETENTION_MONTHS) {
    throw new AppError('RETENTION_INVALID', `retention must be 1-${MAX_RETENTION_MONTHS} months`);
  }
  const now = new Date(nowMs);
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds());
}

export async function purgeExpired(options: {
  readonly history: ContactHistory;
  readonly recordings: PurgeableRecordings;
  readonly derived?: DerivedRecordingData;
  readonly clock: Clock;
  readonly months: number;
  readonly dryRun: boolean;
  readonly logger: Logger;
}): Promise<PurgeReport> {
  const { history, recordings, derived, clock, months, dryRun, logger } = options;
  const cutoffMs = retentionCutoffMs(clock.now(), months);

  // Recordings first: a record without its recording is harmless, a recording kept beyond the
  // limit because its record went first (and the purge then died) would not be found again.
  const expiredIds = new Set<string>();
  for (const recording of await recordings.list()) {
    if (recording.header !== undefined && recording.header.startedAtMs < cutoffMs) expiredIds.add(recording.recordingId);
  }
  const { records } = await history.purgeBefore(cutoffMs, true);
  for (const record of records) if (record.recordingId !== null) expiredIds.add(record.recordingId);

  let destroyed = 0;
  let failures = 0;
  if (!dryRun) {
    for (const recordingId of expiredIds) {
      try {
        await recordings.destroy(recordingId);
        await derived?.remove(recordingId);
        destroyed++;
      } catch (err) {
        if (err instanceof AppError && err.code === 'RECORDING_NOT_FOUND') continue;
        failures++;
        logger.error('recording not destroyed by the purge', { recordingId, error: err instanceof AppError ? err.code : String(err) });
      }
    }
  }
  const historyResult = dryRun ? { records, daysRemoved: [] } : await history.purgeBefore(cutoffMs, false);
  const report: PurgeReport = {
    cutoff: new Date(cutoffMs).toISOString(),
    dryRun,
    contactRecords: historyResult.records.length,
    historyDays: historyResult.daysRemoved.length,
    recordings: dryRun ? expiredIds.size : destroyed,
    failures,
  };
  logger.info(dryRun ? 'purge dry run' : 'purge done', { ...report });
  return report;
}
