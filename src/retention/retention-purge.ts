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
import type { AuditEventInput } from '../access/audit-entry.js';

/** What the purge needs of the recording store (src/recording/recording-store.ts). */
export interface PurgeableRecordings {
  /** `header` is absent when a file's header is unreadable (such files are quarantine's matter). */
  list(): Promise<ReadonlyArray<{ readonly recordingId: string; readonly header?: { readonly startedAtMs: number } }>>;
  destroy(recordingId: string): Promise<{ readonly keyRemoved: boolean }>;
}

/** Data derived from a recording (its waveform), destroyed with it. */
export interface DerivedRecordingData {
  remove(recordingId: string): Promise<unknown>;
}

/** A call under a legal hold (src/disclosure/legal-hold.ts): the purge leaves it, and says so. */
export interface HeldCall {
  readonly caseId: string;
  readonly callId: string;
  readonly recordingId: string | null;
  /** When the hold ends (ISO); the first run after it purges the call if past retention. */
  readonly until: string;
}

/** What the purge needs of the registrar's desk: the holds in force, and the cases past their own retention. */
export interface PurgeHolds {
  heldAt(nowMs: number): readonly HeldCall[];
  /** Destroys (or, in a dry run, lists) the closed cases past their retention; their ids. */
  purgeCases?(nowMs: number, dryRun: boolean): Promise<readonly string[]>;
}

export interface PurgeReport {
  readonly cutoff: string;
  readonly dryRun: boolean;
  readonly contactRecords: number;
  readonly historyDays: number;
  readonly recordings: number;
  /** Recordings that could not be destroyed; the next purge tries again. */
  readonly failures: number;
  /** Wrapped data keys removed (the shredding itself); 0 in a dry run. */
  readonly keys: number;
  /** The UTC days whose contact records went (or would go), oldest first. */
  readonly days: readonly string[];
  /** Pseudonymous ids (UUIDs) of the calls whose records went (or would go). */
  readonly callIds: readonly string[];
  /** Ids of the recordings destroyed (or, in a dry run, that would be). */
  readonly recordingIds: readonly string[];
  /** One line per record or recording past the limit: what `purge --dry-run --list` shows. */
  readonly expired: ReadonlyArray<{ readonly day: string; readonly callId: string | null; readonly recordingId: string | null }>;
  /** Calls past retention kept because a case holds them (and would otherwise have gone in this run). */
  readonly held: readonly HeldCall[];
  /** Closed cases destroyed after their own retention (or, in a dry run, that would be). */
  readonly cases: readonly string[];
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
  readonly holds?: PurgeHolds;
}): Promise<PurgeReport> {
  const { history, recordings, derived, clock, months, dryRun, logger, holds } = options;
  const cutoffMs = retentionCutoffMs(clock.now(), months);
  // A legal hold outranks retention: the calls of an open case stay until the hold ends.
  const heldCalls = holds?.heldAt(clock.now()) ?? [];
  const heldCallIds = new Set(heldCalls.map((held) => held.callId));
  const heldRecordingIds = new Set(heldCalls.flatMap((held) => (held.recordingId === null ? [] : [held.recordingId])));
  const keep = (record: { callId: string; recordingId: string | null }): boolean => heldCallIds.has(record.callId) || (record.recordingId !== null && heldRecordingIds.has(record.recordingId));
  const heldExpired = new Map<string, HeldCall>();

  // Recordings first: a record without its recording is harmless, a recording kept beyond the
  // limit because its record went first (and the purge then died) would not be found again.
  const expiredIds = new Set<string>();
  const expired: Array<{ day: string; callId: string | null; recordingId: string | null }> = [];
  const noteHeld = (callId: string | null, recordingId: string | null): void => {
    for (const held of heldCalls) if (held.callId === callId || (recordingId !== null && held.recordingId === recordingId)) heldExpired.set(held.callId, held);
  };
  if (heldCalls.length > 0) for (const record of (await history.purgeBefore(cutoffMs, true)).records.filter(keep)) noteHeld(record.callId, record.recordingId);
  const { records } = await history.purgeBefore(cutoffMs, true, keep);
  for (const record of records) {
    if (record.recordingId !== null) expiredIds.add(record.recordingId);
    expired.push({ day: record.startedAt.slice(0, 10), callId: record.callId, recordingId: record.recordingId });
  }
  for (const recording of await recordings.list()) {
    if (recording.header !== undefined && recording.header.startedAtMs < cutoffMs && heldRecordingIds.has(recording.recordingId)) noteHeld(null, recording.recordingId);
    else if (recording.header !== undefined && recording.header.startedAtMs < cutoffMs && !expiredIds.has(recording.recordingId)) {
      expiredIds.add(recording.recordingId);
      expired.push({ day: new Date(recording.header.startedAtMs).toISOString().slice(0, 10), callId: null, recordingId: recording.recordingId });
    }
  }

  const destroyedIds: string[] = [];
  let keys = 0;
  let failures = 0;
  if (!dryRun) {
    for (const recordingId of expiredIds) {
      try {
        const result = await recordings.destroy(recordingId);
        await derived?.remove(recordingId);
        destroyedIds.push(recordingId);
        if (result.keyRemoved) keys++;
      } catch (err) {
        if (err instanceof AppError && err.code === 'RECORDING_NOT_FOUND') continue;
        failures++;
        logger.error('recording not destroyed by the purge', { recordingId, error: err instanceof AppError ? err.code : String(err) });
      }
    }
  }
  const historyResult = dryRun ? { records, daysRemoved: [] } : await history.purgeBefore(cutoffMs, false, keep);
  const cases = (await holds?.purgeCases?.(clock.now(), dryRun)) ?? [];
  const report: PurgeReport = {
    cutoff: new Date(cutoffMs).toISOString(),
    dryRun,
    contactRecords: historyResult.records.length,
    historyDays: historyResult.daysRemoved.length,
    recordings: dryRun ? expiredIds.size : destroyedIds.length,
    failures,
    keys,
    days: [...new Set(historyResult.records.map((record) => record.startedAt.slice(0, 10)))].sort(),
    callIds: historyResult.records.map((record) => record.callId),
    recordingIds: dryRun ? [...expiredIds] : destroyedIds,
    expired: expired.sort((a, b) => a.day.localeCompare(b.day)),
    held: [...heldExpired.values()],
    cases,
  };
  const { cutoff, contactRecords, historyDays, recordings: recordingCount } = report;
  logger.info(dryRun ? 'purge dry run' : 'purge done', { cutoff, dryRun, contactRecords, historyDays, recordings: recordingCount, keys, failures, days: report.days.join(' '), held: report.held.length, cases: cases.length });
  return report;
}

/**
 * The audit entry of a purge run (P7 made provable): when, what retention, how many contact
 * records, recordings and keys went, which days, and which calls and recordings by their
 * pseudonymous ids. Never a phone number, nor a pseudonym of one: the trail outlives the purge
 * by up to two years, and a caller's pseudonym kept that long would keep the fact of the call.
 */
export function purgeAuditEvent(report: PurgeReport, months: number, trigger: 'scheduled' | 'command'): AuditEventInput {
  return {
    action: 'retention.purge',
    outcome: report.failures > 0 ? 'failed' : 'success',
    actorId: null,
    details: {
      trigger,
      retentionMonths: months,
      cutoff: report.cutoff,
      contactRecords: report.contactRecords,
      historyDays: report.historyDays,
      recordings: report.recordings,
      keys: report.keys,
      failures: report.failures,
      days: report.days.join(' '),
      callIds: report.callIds.join(' '),
      recordingIds: report.recordingIds.join(' '),
      // What a legal hold kept past retention, and under which case (P10/P14: the request was not defeated).
      heldCallIds: report.held.map((held) => held.callId).join(' '),
      heldRecordingIds: report.held.flatMap((held) => (held.recordingId === null ? [] : [held.recordingId])).join(' '),
      heldCases: [...new Set(report.held.map((held) => held.caseId))].join(' '),
      cases: report.cases.join(' '),
    },
  };
}
