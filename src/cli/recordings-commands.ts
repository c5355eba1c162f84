/**
 * `tallennin recordings list | verify | export-wav`: offline commands on the data directory.
 * They print ids, times and integrity facts only, never phone numbers or names.
 */
import { resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { AppError } from '../errors.js';
import { createLogger } from '../log.js';
import { openStorage, type Storage } from '../storage/open-storage.js';
import { ContactHistory } from '../history/contact-history.js';
import { CallSettings } from '../calls/call-settings.js';
import { retentionCutoffMs } from '../retention/retention-purge.js';
import { exportWav } from '../recording/wav-export.js';
import { assertRecordingId } from '../recording/recording-format.js';
import { helsinkiDateTime } from '../retention/retention-scheduler.js';
import type { Config } from '../config/config-schema.js';
import { requireExistingDemoKey, resolveConfig } from './resolve-config.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError, type CliOptions } from './tallennin.js';

async function openOffline(options: CliOptions): Promise<{ config: Config; storage: Storage }> {
  const config = await resolveConfig(options);
  await requireExistingDemoKey(config);
  const storage = await openStorage({ dataDir: config.dataDir, mode: config.mode, clock: systemClock, logger: createLogger({ level: 'warn' }) });
  return { config, storage };
}

export async function runRecordingsList(options: CliOptions, _none: void): Promise<number> {
  const { storage } = await openOffline(options);
  const entries = await storage.recordings.list();
  const inventory = await storage.recordings.inventory();
  // A key whose file is gone is listed too: leaving it out would hide the loss.
  const fileMissing = [...inventory.keys].filter((id) => !inventory.files.has(id));
  const rows = entries
    .map((entry) => ({
      recordingId: entry.recordingId,
      callId: entry.header?.callId ?? null,
      channel: entry.header?.channel ?? null,
      startedAt: entry.header === undefined ? null : new Date(entry.header.startedAtMs).toISOString(),
      durationMs: entry.trailer?.durationMs ?? null,
      outcome: entry.trailer?.outcome ?? null,
      sealed: entry.sealed,
      keyPresent: entry.keyPresent,
      fileBytes: entry.fileBytes,
      problem: entry.problem ?? null,
    }))
    .concat(
      fileMissing.map((recordingId) => ({
        recordingId,
        callId: null,
        channel: null,
        startedAt: null,
        durationMs: null,
        outcome: null,
        sealed: false,
        keyPresent: true,
        fileBytes: 0,
        problem: inventory.quarantined.has(recordingId) ? 'recording file in quarantine' : 'recording file missing',
      })),
    )
    .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  if (options.json === true) {
    const withGaps = [];
    for (const row of rows) withGaps.push({ ...row, filledGapMs: row.sealed && row.keyPresent && row.problem === null ? await filledGapMs(storage, row.recordingId) : null });
    process.stdout.write(JSON.stringify(withGaps, null, 2) + '\n');
    return EXIT_OK;
  }
  if (rows.length === 0) {
    process.stdout.write('no recordings\n');
    return EXIT_OK;
  }
  process.stdout.write(['recording id                          started (Helsinki)   duration  state'].join('') + '\n');
  for (const row of rows) {
    const started = row.startedAt === null ? '?'.padEnd(19) : (({ date, time }) => `${date} ${time}`)(helsinkiDateTime(Date.parse(row.startedAt))).padEnd(19);
    const duration = row.durationMs === null ? '-' : formatDuration(row.durationMs);
    const state = row.fileBytes === 0 && row.problem !== null ? 'key only' : !row.sealed ? 'being recorded (unsealed)' : !row.keyPresent ? 'key destroyed' : (row.outcome ?? '?');
    process.stdout.write(`${row.recordingId}  ${started}  ${duration.padStart(8)}  ${state}${row.problem === null ? '' : ` (${row.problem})`}\n`);
  }
  process.stdout.write(`${rows.length} recording${rows.length === 1 ? '' : 's'}\n`);
  return EXIT_OK;
}

export async function runRecordingsVerify(options: CliOptions, positionals: string[]): Promise<number> {
  const [id, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if ((id === undefined) === (options.all !== true)) throw new UsageError('recordings verify takes one recording id or --all');
  if (id !== undefined) assertRecordingId(id);
  const { config, storage } = await openOffline(options);
  let results;
  if (id === undefined) {
    const months = (await CallSettings.open(storage.documents, config)).retentionMonths;
    const cutoffMs = retentionCutoffMs(systemClock.now(), months);
    results = await storage.recordings.verifyAll(await recordedCalls(new ContactHistory(storage.documents), cutoffMs));
  } else {
    results = [await storage.recordings.verify(id)];
  }
  let failures = 0;
  for (const result of results) {
    if (result.shredded === true) {
      process.stdout.write(`ok    ${result.recordingId} (shredded by the purge; the file is removed at the next start)\n`);
    } else if (result.ok) {
      const gapMs = await filledGapMs(storage, result.recordingId);
      process.stdout.write(`ok    ${result.recordingId}${gapMs === null ? '' : `  filled gaps ${gapMs} ms`}\n`);
    } else {
      failures++;
      process.stdout.write(`FAIL  ${result.recordingId}: ${result.problems.join('; ')}\n`);
    }
  }
  process.stdout.write(`${results.length - failures} ok, ${failures} failed\n`);
  return failures > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

export async function runRecordingsExportWav(options: CliOptions, positionals: string[]): Promise<number> {
  const [id, extra] = positionals;
  if (id === undefined) throw new UsageError('recordings export-wav needs a recording id');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (options.out === undefined) throw new UsageError('recordings export-wav needs --out FILE');
  assertRecordingId(id);
  const { storage } = await openOffline(options);
  const reader = await storage.recordings.openReader(id);
  try {
    const out = resolve(options.out);
    const bytes = await exportWav(reader, out);
    process.stdout.write(`wrote ${out}: ${formatDuration(reader.durationMs)} of 8 kHz 16-bit PCM (${bytes} bytes), outcome ${reader.outcome}\n`);
  } finally {
    await reader.close();
  }
  return EXIT_OK;
}

/**
 * Recording id -> call id of every contact record within the retention that says its call was
 * recorded (or is being recorded): those recordings must exist. Older records are the purge's:
 * it destroys their recordings first, so a purge cut short leaves such records without one.
 * Only ids leave this function, never numbers.
 */
async function recordedCalls(history: ContactHistory, cutoffMs: number): Promise<Map<string, string>> {
  const recorded = new Map<string, string>();
  const says = new Set(['recording', 'completed', 'interrupted']);
  for (const record of await history.search({ fromMs: cutoffMs, predicate: (r) => r.recordingId !== null && says.has(r.recordingState) })) {
    recorded.set(record.recordingId!, record.callId);
  }
  return recorded;
}

/**
 * Milliseconds filled with silence because their audio never arrived (lost frames, link
 * breaks); null when the recording cannot be opened (unsealed, key destroyed, failing its seal).
 */
async function filledGapMs(storage: Storage, recordingId: string): Promise<number | null> {
  let reader;
  try {
    reader = await storage.recordings.openReader(recordingId);
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
  try {
    return (await reader.gaps()).reduce((sum, gap) => sum + Math.round((gap.endSample - gap.startSample) / 8), 0);
  } finally {
    await reader.close();
  }
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
