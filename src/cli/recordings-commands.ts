/**
 * `tallennin recordings list | verify | export-wav`: offline commands on the data directory.
 * They print ids, times and integrity facts only, never phone numbers or names.
 */
import { resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { AppError } from '../errors.js';
import { createLogger } from '../log.js';
import { openStorage, type Storage } from '../storage/open-storage.js';
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
    const state = !row.sealed ? 'being recorded (unsealed)' : !row.keyPresent ? 'key destroyed' : (row.outcome ?? '?');
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
  const { storage } = await openOffline(options);
  const results = id === undefined ? await storage.recordings.verifyAll() : [await storage.recordings.verify(id)];
  let failures = 0;
  for (const result of results) {
    if (result.ok) {
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
