/**
 * The recordings on disk:
 *   <dataDir>/recordings/<id>.tlr        sealed recordings
 *   <dataDir>/recordings/<id>.tlr.part   recordings being written (or left by a crash)
 *   <dataDir>/keys/<id>.key              wrapped data keys (deleting one shreds its recording)
 *   <dataDir>/keys/<id>.shredded         a destroy() in progress: the key goes first, then the
 *                                        file(s), then this mark; a crash in between is finished
 *                                        at the next start (shredLeftovers)
 *   <dataDir>/quarantine/recordings/     part files that could not be recovered
 *
 * Every id is checked to be a lower-case UUID before it touches a path.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { AppError, errnoCode, isAppError } from '../errors.js';
import type { Logger } from '../log.js';
import { ensureDirectory, fileStamp, nodeFileOps, TEMP_FILE_SUFFIX, type FileOps, fsyncDirectory, moveDurable, removeDurable, storageError, writeAllAt, writeFileDurable } from '../storage/durable-file.js';
import type { KeyHierarchy } from '../storage/key-hierarchy.js';
import {
  assertRecordingId,
  decodeHeader,
  encodeHeader,
  FormatError,
  isRecordingId,
  MAX_HEADER_BYTES,
  parseTrailer,
  readAt,
  samplesToMs,
  TRAILER_BYTES,
  type RecordingOutcome,
} from './recording-format.js';
import { newDataKey, unwrapDataKey, wrapDataKey } from './recording-keys.js';
import { RecordingReader, verifyRecordingFile, type RecordingReadKeys, type VerifyResult } from './recording-reader.js';
import type { VerifyProblemCode } from './recording-format.js';
import { sealPartFile } from './recording-recovery.js';
import { prepareResume } from './recording-resume.js';
import { RecordingWriter, type RecordingMeta, type RecordingWriterOptions } from './recording-writer.js';

export const SEALED_SUFFIX = '.tlr';
export const PART_SUFFIX = '.tlr.part';
export const KEY_SUFFIX = '.key';
export const SHREDDED_SUFFIX = '.shredded';

/** Everything on disk that names a recording, by id (lower-case UUIDs only). */
export interface RecordingInventory {
  /** Ids with a sealed or part file in recordings/. */
  readonly files: ReadonlySet<string>;
  readonly keys: ReadonlySet<string>;
  /** Ids whose destroy() began (the mark is written before the key goes) and did not finish. */
  readonly shredded: ReadonlySet<string>;
  /** Ids with a part file in quarantine/recordings/. */
  readonly quarantined: ReadonlySet<string>;
  /** Names of temp files in keys/ (a key write interrupted by a crash). */
  readonly tempKeyFiles: readonly string[];
}

/** What start-up did with the leftovers of crashes and lost files (ids only). */
export interface LeftoverReport {
  /** Keys without a recording file, shredded because no recording of them can exist. */
  readonly shreddedKeys: string[];
  /** destroy() calls a crash had cut short, finished now (their files removed). */
  readonly finishedShreds: string[];
  /** Temp files of interrupted key writes, removed. */
  tempKeyFiles: number;
  /** Keys without a recording file that are kept: the file may yet come back from a backup. */
  readonly keptKeys: string[];
}

export interface RecordingStoreOptions {
  dataDir: string;
  keys: KeyHierarchy;
  clock: Clock;
  logger: Logger;
  /** How part files are opened; tests inject failing writes (a full disk) here. */
  fileOps?: FileOps;
}

export interface CreateRecordingOptions {
  /** Called once if the recording fails while the call runs (disk full, absurd tick jump). */
  onError?: (err: AppError) => void;
  maxGapTicks?: number;
  maxPendingChunks?: number;
}

export interface RecordingListEntry {
  recordingId: string;
  sealed: boolean;
  keyPresent: boolean;
  fileBytes: number;
  /** From the clear header; absent when the header is unreadable. */
  header?: { callId: string; channel: number; startedAtMs: number; startTick: number };
  /** From the clear trailer, NOT verified (use verify()); sealed files only. */
  trailer?: { outcome: RecordingOutcome; sampleCount: number; durationMs: number; sealedAtMs: number };
  problem?: string;
}

export interface RecoveredRecording {
  recordingId: string;
  durationMs: number;
  sampleCount: number;
  chunkCount: number;
  bytesCut: number;
  alreadySealed: boolean;
}

export interface QuarantinedRecording {
  file: string;
  recordingId: string;
  reason: string;
  quarantinePath: string;
}

export interface RecoveryReport {
  recovered: RecoveredRecording[];
  quarantined: QuarantinedRecording[];
  /** Part files that could not be sealed nor moved (I/O); they stay and are retried next start. */
  failed: { recordingId: string; code: string; message: string }[];
  /** Key files without any recording file (left by a crash during create, or a lost file). */
  orphanKeys: string[];
}

export interface DestroyResult {
  recordingId: string;
  keyRemoved: boolean;
  filesRemoved: number;
}

export class RecordingStore {
  readonly recordingsDir: string;
  readonly keysDir: string;
  readonly quarantineDir: string;
  private readonly active = new Map<string, RecordingWriter>();
  /** Ids between the start of create() and the writer being registered in `active`. */
  private readonly creating = new Set<string>();
  private readonly readKeys: RecordingReadKeys;

  private constructor(private readonly options: RecordingStoreOptions) {
    this.recordingsDir = join(options.dataDir, 'recordings');
    this.keysDir = join(options.dataDir, 'keys');
    this.quarantineDir = join(options.dataDir, 'quarantine', 'recordings');
    this.readKeys = { wrapKey: options.keys.recordingWrapKey, sealPublicKey: options.keys.recordingSealKey.publicKey };
  }

  static async open(options: RecordingStoreOptions): Promise<RecordingStore> {
    const store = new RecordingStore(options);
    await ensureDirectory(store.recordingsDir);
    await ensureDirectory(store.keysDir);
    return store;
  }

  sealedPath(id: string): string {
    assertRecordingId(id);
    return join(this.recordingsDir, id + SEALED_SUFFIX);
  }

  partPath(id: string): string {
    assertRecordingId(id);
    return join(this.recordingsDir, id + PART_SUFFIX);
  }

  keyPath(id: string): string {
    assertRecordingId(id);
    return join(this.keysDir, id + KEY_SUFFIX);
  }

  /** Writers of recordings still being written. */
  activeIds(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Starts a recording: writes the wrapped data key durably, then the part file with its header
   * (fsynced, directory fsynced), and returns its writer.
   * Errors: RECORDING_ID_INVALID, RECORDING_META_INVALID, RECORDING_EXISTS, DISK_FULL, STORAGE_IO_ERROR.
   */
  async create(meta: RecordingMeta, createOptions: CreateRecordingOptions = {}): Promise<RecordingWriter> {
    const header = encodeHeader(meta);
    const id = meta.recordingId;
    if (this.active.has(id) || this.creating.has(id)) {
      throw new AppError('RECORDING_EXISTS', `recording ${id} already exists`, { details: { recordingId: id } });
    }
    this.creating.add(id);
    try {
      const writer = await this.createFiles(meta, header, createOptions);
      this.active.set(id, writer);
      return writer;
    } finally {
      this.creating.delete(id);
    }
  }

  private async createFiles(meta: RecordingMeta, header: Buffer, createOptions: CreateRecordingOptions): Promise<RecordingWriter> {
    const id = meta.recordingId;
    if ((await exists(this.sealedPath(id))) || (await exists(this.partPath(id))) || (await exists(this.keyPath(id)))) {
      throw new AppError('RECORDING_EXISTS', `recording ${id} already exists`, { details: { recordingId: id } });
    }
    const dataKey = newDataKey();
    await writeFileDurable(this.keyPath(id), wrapDataKey(dataKey, id, this.options.keys.recordingWrapKey));
    const partFile = this.partPath(id);
    let handle;
    try {
      handle = await (this.options.fileOps ?? nodeFileOps).open(partFile, 'wx', 0o600);
    } catch (err) {
      throw storageError(err, 'create', partFile);
    }
    try {
      await writeAllAt(handle, header, 0);
      await handle.sync();
      await fsyncDirectory(this.recordingsDir);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await removeDurable(partFile).catch(() => undefined);
      await removeDurable(this.keyPath(id)).catch(() => undefined);
      throw storageError(err, 'write header of', partFile);
    }
    return this.writerFor(id, { meta, handle, header, dataKey }, createOptions);
  }

  /** The writer of an open part file: a new one (create) or one that goes on after a crash (reopen). */
  private writerFor(
    id: string,
    file: { meta: RecordingWriterOptions['meta']; handle: RecordingWriterOptions['handle']; header: Buffer; dataKey: Buffer; resume?: RecordingWriterOptions['resume'] },
    createOptions: CreateRecordingOptions,
  ): RecordingWriter {
    return new RecordingWriter({
      ...file,
      partFile: this.partPath(id),
      finalFile: this.sealedPath(id),
      sealKey: this.options.keys.recordingSealKey,
      clock: this.options.clock,
      logger: this.options.logger.child('recording'),
      onError: createOptions.onError,
      onFinished: () => this.active.delete(id),
      maxGapTicks: createOptions.maxGapTicks,
      maxPendingChunks: createOptions.maxPendingChunks,
    });
  }

  /**
   * Goes on with a part file left by a crash (its call is still running): cut after the last
   * good chunk, and a writer that appends after it. Errors: RECORDING_NOT_RESUMABLE (it was being
   * sealed), RECORDING_EXISTS (already open), key and storage errors; the caller then leaves the
   * file to recoverOpen().
   */
  async reopen(id: string, createOptions: CreateRecordingOptions = {}): Promise<RecordingWriter> {
    assertRecordingId(id);
    if (this.active.has(id) || this.creating.has(id)) throw new AppError('RECORDING_EXISTS', `recording ${id} is already open`, { details: { recordingId: id } });
    const dataKey = unwrapDataKey(await readFile(this.keyPath(id)), id, this.options.keys.recordingWrapKey);
    const partFile = this.partPath(id);
    const handle = await (this.options.fileOps ?? nodeFileOps).open(partFile, 'r+', 0o600);
    try {
      const part = await prepareResume(handle, id, dataKey);
      const { header } = part;
      const meta = { recordingId: id, callId: header.callId, channel: header.channel, startTick: header.startTick, startedAtMs: header.startedAtMs };
      const writer = this.writerFor(id, { meta, handle, header: part.headerBytes, dataKey, resume: part.state }, createOptions);
      this.active.set(id, writer);
      this.options.logger.warn('recording left open by a crash goes on', { recordingId: id, durationMs: samplesToMs(part.state.sampleCount) });
      return writer;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /** All recordings with what their clear header and trailer say; nothing is decrypted. */
  async list(): Promise<RecordingListEntry[]> {
    const files = await this.recordingFiles();
    const keys = new Set(await this.keyIds());
    const entries: RecordingListEntry[] = [];
    for (const { id, sealed, path } of files) {
      const entry: RecordingListEntry = { recordingId: id, sealed, keyPresent: keys.has(id), fileBytes: 0 };
      try {
        const handle = await open(path, 'r');
        try {
          const size = (await handle.stat()).size;
          entry.fileBytes = size;
          const header = decodeHeader(await readAt(handle, 0, Math.min(size, MAX_HEADER_BYTES)));
          entry.header = { callId: header.callId, channel: header.channel, startedAtMs: header.startedAtMs, startTick: header.startTick };
          if (sealed && size >= header.headerBytes + TRAILER_BYTES) {
            const trailer = parseTrailer(await readAt(handle, size - TRAILER_BYTES, TRAILER_BYTES));
            entry.trailer = {
              outcome: trailer.outcome,
              sampleCount: trailer.sampleCount,
              durationMs: samplesToMs(trailer.sampleCount),
              sealedAtMs: trailer.sealedAtMs,
            };
          }
        } finally {
          await handle.close();
        }
      } catch (err) {
        if (err instanceof FormatError) entry.problem = err.message;
        else if (errnoCode(err) === 'ENOENT') continue; // removed while listing
        else throw storageError(err, 'read', path);
      }
      entries.push(entry);
    }
    return entries;
  }

  /**
   * Opens a sealed recording for playback (seal and content hash checked).
   * Errors: RECORDING_ID_INVALID, RECORDING_NOT_FOUND, RECORDING_UNSEALED, RECORDING_KEY_MISSING,
   * RECORDING_CORRUPT.
   */
  async openReader(id: string): Promise<RecordingReader> {
    const file = this.sealedPath(id);
    if (!(await exists(file)) && (await exists(this.partPath(id)))) {
      throw new AppError('RECORDING_UNSEALED', `recording ${id} is not sealed (still being written or left by a crash)`, {
        details: { recordingId: id },
      });
    }
    return RecordingReader.open({ recordingId: id, file, keyFile: this.keyPath(id) }, this.readKeys);
  }

  /** Full integrity check of one recording (every chunk decrypted). */
  async verify(id: string): Promise<VerifyResult> {
    const file = this.sealedPath(id);
    if (!(await exists(file)) && (await exists(this.partPath(id)))) {
      return { ok: false, recordingId: id, problems: ['UNSEALED: the recording has no trailer yet (being written or left by a crash)'], codes: ['UNSEALED'] };
    }
    return verifyRecordingFile({ recordingId: id, file, keyFile: this.keyPath(id) }, this.readKeys);
  }

  /**
   * Checks the union of recording files, data keys and the recordings that contact records say
   * exist (`recorded`: recording id -> call id), in id order: verify() of every file, and each
   * orphan named: a key without a file (FILE_MISSING, or QUARANTINED), a recorded call with
   * neither (RECORDING_MISSING). A file whose key the purge shredded on purpose (its mark is
   * there) is no failure: the next start removes it. Recordings being written are skipped.
   */
  async verifyAll(recorded: ReadonlyMap<string, string> = new Map()): Promise<VerifyResult[]> {
    const results: VerifyResult[] = [];
    const inventory = await this.inventory();
    const ids = [...new Set([...inventory.files, ...inventory.keys, ...recorded.keys()])].sort();
    for (const id of ids) {
      if (this.active.has(id) || this.creating.has(id)) continue;
      const call = recorded.get(id);
      const ofCall = call === undefined ? '' : ` (call ${call})`;
      const orphan = (code: VerifyProblemCode, problem: string): VerifyResult => ({ ok: false, recordingId: id, problems: [`${code}: ${problem}`], codes: [code] });
      if (inventory.shredded.has(id) && !inventory.keys.has(id)) {
        results.push({ ok: true, recordingId: id, problems: [], codes: [], shredded: true });
      } else if (inventory.files.has(id)) {
        results.push(await this.verify(id));
      } else if (inventory.keys.has(id)) {
        results.push(
          inventory.quarantined.has(id)
            ? orphan('QUARANTINED', `the recording file is in quarantine/recordings (unrecoverable); its key is kept${ofCall}`)
            : orphan('FILE_MISSING', `a data key without a recording file: the file was deleted or lost; the key is kept so a backup of the file can still be read${ofCall}`),
        );
      } else if (call !== undefined && !inventory.shredded.has(id)) {
        results.push(orphan('RECORDING_MISSING', `the contact record of call ${call} says it was recorded, but there is neither recording file nor key`));
      }
    }
    return results;
  }

  /**
   * Crypto-shreds a recording: the wrapped data key is removed durably first (from then on the
   * audio cannot be decrypted), then the recording file(s). Error: RECORDING_BUSY while writing.
   */
  async destroy(id: string): Promise<DestroyResult> {
    assertRecordingId(id);
    if (this.active.has(id) || this.creating.has(id)) {
      throw new AppError('RECORDING_BUSY', `recording ${id} is still being written`, { details: { recordingId: id } });
    }
    // The mark says "shredded on purpose": a file left without its key by a crash right after
    // is then known for what it is (verifyAll) and removed at the next start (shredLeftovers).
    await writeFileDurable(this.shreddedPath(id), JSON.stringify({ shreddedAtMs: this.options.clock.now() }));
    const result = await this.removeShredded(id);
    this.options.logger.info('recording destroyed', { ...result });
    return result;
  }

  private shreddedPath(id: string): string {
    assertRecordingId(id);
    return join(this.keysDir, id + SHREDDED_SUFFIX);
  }

  /** The rest of destroy(), after its mark: key, file(s), then the mark. */
  private async removeShredded(id: string): Promise<DestroyResult> {
    const keyRemoved = await removeDurable(this.keyPath(id));
    let filesRemoved = 0;
    if (await removeDurable(this.sealedPath(id))) filesRemoved += 1;
    if (await removeDurable(this.partPath(id))) filesRemoved += 1;
    await removeDurable(this.shreddedPath(id));
    return { recordingId: id, keyRemoved, filesRemoved };
  }

  /** Every id that has a file, a key, a shredding mark or a quarantined file; nothing is read but names. */
  async inventory(): Promise<RecordingInventory> {
    const files = new Set((await this.recordingFiles()).map((file) => file.id));
    let keyNames: string[];
    try {
      keyNames = await readdir(this.keysDir);
    } catch (err) {
      throw storageError(err, 'list', this.keysDir);
    }
    const keys = new Set<string>();
    const shredded = new Set<string>();
    const tempKeyFiles: string[] = [];
    for (const name of keyNames.sort()) {
      if (name.startsWith('.') && name.endsWith(TEMP_FILE_SUFFIX)) tempKeyFiles.push(name);
      else if (name.endsWith(KEY_SUFFIX) && isRecordingId(name.slice(0, -KEY_SUFFIX.length))) keys.add(name.slice(0, -KEY_SUFFIX.length));
      else if (name.endsWith(SHREDDED_SUFFIX) && isRecordingId(name.slice(0, -SHREDDED_SUFFIX.length))) shredded.add(name.slice(0, -SHREDDED_SUFFIX.length));
    }
    const quarantined = new Set<string>();
    let quarantineNames: string[] = [];
    try {
      quarantineNames = await readdir(this.quarantineDir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw storageError(err, 'list', this.quarantineDir);
    }
    for (const name of quarantineNames) {
      const id = name.slice(0, 36);
      if (isRecordingId(id)) quarantined.add(id);
    }
    return { files, keys, shredded, quarantined, tempKeyFiles };
  }

  /**
   * Start-up, after recovery and after the contact records of interrupted calls are closed:
   * removes what a crash left behind and what nothing can use any more. Finishes every destroy()
   * a crash cut short; removes temp files of interrupted key writes; shreds a key without a
   * recording file (nor a quarantined one) when `noRecordingCanExist(ids)` says so for it (its
   * contact record is gone with the purge, or closed without a recording). Any other key
   * without a file is kept and reported: its file may be restored from a backup. Recordings
   * being written by this process are never touched.
   */
  async shredLeftovers(noRecordingCanExist: (ids: readonly string[]) => Promise<ReadonlySet<string>>): Promise<LeftoverReport> {
    const report: LeftoverReport = { shreddedKeys: [], finishedShreds: [], tempKeyFiles: 0, keptKeys: [] };
    const busy = (id: string): boolean => this.active.has(id) || this.creating.has(id);
    const inventory = await this.inventory();
    for (const id of inventory.shredded) {
      if (busy(id)) continue;
      await this.removeShredded(id);
      report.finishedShreds.push(id);
    }
    for (const name of inventory.tempKeyFiles) {
      if (await removeDurable(join(this.keysDir, name))) report.tempKeyFiles++;
    }
    const candidates = [...inventory.keys].filter((id) => !inventory.files.has(id) && !inventory.shredded.has(id) && !inventory.quarantined.has(id) && !busy(id));
    const provable = candidates.length === 0 ? new Set<string>() : await noRecordingCanExist(candidates);
    for (const id of candidates) {
      // Looked at again: a recording may have begun while the contact records were read.
      if (provable.has(id) && !busy(id) && !(await exists(this.sealedPath(id))) && !(await exists(this.partPath(id)))) {
        await removeDurable(this.keyPath(id));
        report.shreddedKeys.push(id);
      } else {
        report.keptKeys.push(id);
      }
    }
    const logger = this.options.logger;
    if (report.shreddedKeys.length > 0 || report.finishedShreds.length > 0 || report.tempKeyFiles > 0) {
      logger.warn('leftovers of earlier runs removed', {
        shreddedKeys: report.shreddedKeys.length,
        finishedShreds: report.finishedShreds.length,
        tempKeyFiles: report.tempKeyFiles,
        recordingIds: [...report.shreddedKeys, ...report.finishedShreds].join(' '),
      });
    }
    if (report.keptKeys.length > 0) {
      logger.warn('data keys without a recording file kept (the file was lost; run tallennin recordings verify --all)', {
        count: report.keptKeys.length,
        recordingIds: report.keptKeys.join(' '),
      });
    }
    return report;
  }

  /**
   * Start-up: seals every part file left open (cut at the last chunk that authenticates, outcome
   * 'interrupted'); part files with a missing key or a corrupt header go to quarantine. Nothing
   * is deleted. Part files of writers open in this process, or in the capture thread
   * (`openElsewhere`: the recordings it took over), are left alone.
   */
  async recoverOpen(openElsewhere: ReadonlySet<string> = new Set()): Promise<RecoveryReport> {
    const report: RecoveryReport = { recovered: [], quarantined: [], failed: [], orphanKeys: [] };
    const logger = this.options.logger;
    const files = await this.recordingFiles();
    for (const { id, sealed, path } of files) {
      if (sealed || this.active.has(id) || openElsewhere.has(id)) continue;
      const quarantine = async (reason: string): Promise<void> => {
        const quarantinePath = join(this.quarantineDir, `${id}${PART_SUFFIX}.${fileStamp(this.options.clock.now())}.${randomBytes(3).toString('hex')}`);
        await moveDurable(path, quarantinePath);
        report.quarantined.push({ file: path, recordingId: id, reason, quarantinePath });
        logger.error('unrecoverable recording quarantined', { recordingId: id, reason, quarantinePath });
      };
      try {
        if (await exists(this.sealedPath(id))) {
          await quarantine('a sealed recording with the same id exists');
          continue;
        }
        let dataKey: Buffer;
        try {
          dataKey = unwrapDataKey(await readFile(this.keyPath(id)), id, this.options.keys.recordingWrapKey);
        } catch (err) {
          if (isAppError(err)) throw err;
          await quarantine(errnoCode(err) === 'ENOENT' ? 'data key missing' : `data key unusable: ${(err as Error).message}`);
          continue;
        }
        try {
          const sealedFile = await sealPartFile({
            recordingId: id,
            partFile: path,
            finalFile: this.sealedPath(id),
            dataKey,
            sealPrivateKey: this.options.keys.recordingSealKey.privateKey,
            sealPublicKey: this.options.keys.recordingSealKey.publicKey,
            clock: this.options.clock,
          });
          report.recovered.push({
            recordingId: id,
            durationMs: sealedFile.durationMs,
            sampleCount: sealedFile.sampleCount,
            chunkCount: sealedFile.chunkCount,
            bytesCut: sealedFile.bytesCut,
            alreadySealed: sealedFile.alreadySealed,
          });
          logger.warn('recording left open by a crash was sealed as interrupted', {
            recordingId: id,
            durationMs: sealedFile.durationMs,
            bytesCut: sealedFile.bytesCut,
          });
        } catch (err) {
          if (err instanceof FormatError) await quarantine(err.message);
          else throw err;
        }
      } catch (err) {
        const appError = storageError(err, 'recover', path);
        report.failed.push({ recordingId: id, code: appError.code, message: appError.message });
        logger.error('recording could not be recovered; will retry at the next start', { recordingId: id, code: appError.code });
      }
    }
    const fileIds = new Set((await this.recordingFiles()).map((file) => file.id));
    for (const id of await this.keyIds()) {
      if (!fileIds.has(id) && !this.active.has(id)) report.orphanKeys.push(id);
    }
    // Not logged here: shredLeftovers(), once the contact records are closed, decides and says what it did.
    return report;
  }

  private async recordingFiles(): Promise<{ id: string; sealed: boolean; path: string }[]> {
    let names: string[];
    try {
      names = await readdir(this.recordingsDir);
    } catch (err) {
      throw storageError(err, 'list', this.recordingsDir);
    }
    const files: { id: string; sealed: boolean; path: string }[] = [];
    for (const name of names.sort()) {
      const sealed = name.endsWith(SEALED_SUFFIX);
      const part = name.endsWith(PART_SUFFIX);
      if (!sealed && !part) continue;
      const id = name.slice(0, -(sealed ? SEALED_SUFFIX : PART_SUFFIX).length);
      if (isRecordingId(id)) files.push({ id, sealed, path: join(this.recordingsDir, name) });
    }
    return files;
  }

  private async keyIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.keysDir);
    } catch (err) {
      throw storageError(err, 'list', this.keysDir);
    }
    return names
      .filter((name) => name.endsWith(KEY_SUFFIX))
      .map((name) => name.slice(0, -KEY_SUFFIX.length))
      .filter(isRecordingId)
      .sort();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw storageError(err, 'stat', path);
  }
}
