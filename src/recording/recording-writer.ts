/**
 * Writes one call's audio into its recording file while the call runs (format in
 * recording-format.ts). Created by RecordingStore.create(), which has already written the wrapped
 * data key and the header durably.
 *
 * writeTick() is called from the capture path every 20 ms and never waits: it copies the 160
 * A-law bytes into the chunk being filled; the chunk is encrypted and queued when it is full (50
 * ticks, one second of audio) or when its oldest sample has waited FLUSH_AFTER_MS by the wall
 * clock, whichever comes first. A busy machine delivers frames late and in bursts: a count of
 * samples alone would then keep audio in memory for well over a second; the wall clock bounds it. One queue per
 * recording appends the chunks in order and fdatasyncs after each, so a kill -9 loses what arrived
 * in the last FLUSH_AFTER_MS plus the time of one fdatasync (docs/recording-format.md).
 * flushPartial() hands the partial chunk to the disk at once (the link went quiet: no frame will
 * come to trigger it).
 *
 * Time stays true: a tick after a jump is preceded by A-law silence for the missing ticks and the
 * gap is recorded; a tick already written (duplicate or late) and audio before the start tick are
 * ignored and counted.
 *
 * Failures are never silent. A write error (disk full...) or an absurd tick jump puts the writer
 * in state 'error': `onError` is called once, `error` holds the AppError, later ticks return
 * 'failed', and close() seals what reached the disk with outcome 'interrupted' (or rejects with
 * the error if even that is impossible; the part file then waits for recoverOpen()).
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../log.js';
import { fsyncDirectory, storageError, writeAllAt } from '../storage/durable-file.js';
import type { SigningKeyPair } from '../storage/key-hierarchy.js';
import { ALAW_SILENCE } from './alaw.js';
import {
  buildTrailer,
  samplesToMs,
  SAMPLES_PER_CHUNK,
  SAMPLES_PER_TICK,
  sealChunk,
  toGap,
  type Gap,
  type GapCause,
  type RecordingOutcome,
  type StoredGap,
} from './recording-format.js';
import { sealPartFile } from './recording-recovery.js';

export interface RecordingMeta {
  /** Lower-case UUID; names the files. */
  recordingId: string;
  /** Pseudonymous call id (never a phone number). */
  callId: string;
  channel: number;
  /** First tick that belongs to the recording; earlier audio is ignored. */
  startTick: number;
  /** UTC ms of startTick. */
  startedAtMs: number;
}

export type RecordingWriterState = 'open' | 'closing' | 'closed' | 'error';
export type TickResult = 'written' | 'duplicate' | 'before-start' | 'invalid-frame' | 'failed';

export interface RecordingWriterCounters {
  ticksWritten: number;
  duplicateTicks: number;
  beforeStartTicks: number;
  invalidFrames: number;
  gapTicks: number;
  /** Ticks handed in after the writer failed or closed (their audio is lost; `error` says why). */
  ticksAfterFailure: number;
  chunksFlushed: number;
}

export interface RecordingSummary {
  recordingId: string;
  callId: string;
  channel: number;
  startedAtMs: number;
  startTick: number;
  outcome: RecordingOutcome;
  sampleCount: number;
  durationMs: number;
  chunkCount: number;
  gaps: Gap[];
  sealedAtMs: number;
  /** True when a write error happened and the file was sealed from what reached the disk. */
  salvaged: boolean;
  counters: RecordingWriterCounters;
}

export interface RecordingWriterOptions {
  meta: RecordingMeta;
  handle: FileHandle;
  partFile: string;
  finalFile: string;
  /** Bytes of the header already written at the start of the file. */
  header: Buffer;
  dataKey: Buffer;
  sealKey: SigningKeyPair;
  clock: Clock;
  logger: Logger;
  onError?: (err: AppError) => void;
  /** Called once the writer is finished (sealed or failed for good). */
  onFinished?: () => void;
  /** A forward jump larger than this is refused as an error (default 10 minutes). */
  maxGapTicks?: number;
  /** More chunks than this waiting for the disk is an error (default 240: one to two minutes of audio, chunks being 0.5-1 s). */
  maxPendingChunks?: number;
  /** See FLUSH_AFTER_MS (tests only). */
  flushAfterMs?: number;
  /**
   * Goes on with a part file left by a crash (RecordingStore.reopen): what its good chunks hold.
   * The file must end at its last good chunk; the writer appends after it.
   */
  resume?: ResumeState;
}

/** Where a reopened part file stands (recording-resume.ts). */
export interface ResumeState {
  chunkCount: number;
  sampleCount: number;
  /** Bytes of header and good chunks: where the next chunk goes. */
  fileBytes: number;
  /** SHA-256 so far, over the header and the good chunks. */
  hash: Hash;
  gaps: Gap[];
}

export const DEFAULT_MAX_GAP_TICKS = 30_000;
/**
 * The longest a received sample waits in memory (wall clock, checked at every frame) before its
 * chunk is sealed and queued for the disk, even if the chunk is not full. Half the promised loss
 * bound of one second, so that an fdatasync on a busy disk still fits in the other half. In real
 * time this makes chunks of about half a second.
 */
export const FLUSH_AFTER_MS = 500;
export const DEFAULT_MAX_PENDING_CHUNKS = 240;
const SILENCE_TICK = Buffer.alloc(SAMPLES_PER_TICK, ALAW_SILENCE);

export class RecordingWriter {
  readonly recordingId: string;
  readonly meta: Readonly<RecordingMeta>;
  private stateValue: RecordingWriterState = 'open';
  private errorValue: AppError | undefined;
  private readonly counters: RecordingWriterCounters = {
    ticksWritten: 0,
    duplicateTicks: 0,
    beforeStartTicks: 0,
    invalidFrames: 0,
    gapTicks: 0,
    ticksAfterFailure: 0,
    chunksFlushed: 0,
  };
  private nextTick: number;
  private readonly chunk = Buffer.alloc(SAMPLES_PER_CHUNK);
  private fill = 0;
  /** Wall clock when the first sample of the chunk being filled arrived. */
  private fillStartedAtMs = 0;
  private readonly flushAfterMs: number;
  private chunkIndex = 0;
  private samplesSealed = 0;
  private pendingGaps: StoredGap[] = [];
  /** The cause of the next gap, when the caller knows why audio is missing (markNextGap). */
  private nextGapCause: GapCause | null = null;
  private readonly allGaps: Gap[] = [];
  private readonly hash: Hash;
  private readonly headerHash: Buffer;
  private fileOffset: number;
  private pendingChunks = 0;
  private tail: Promise<void> = Promise.resolve();
  private closing: Promise<RecordingSummary> | undefined;
  /** A write to the part file failed: nothing more may be appended (the file would have a hole). */
  private writeFailed = false;
  private readonly maxGapTicks: number;
  private readonly maxPendingChunks: number;

  constructor(private readonly options: RecordingWriterOptions) {
    this.meta = Object.freeze({ ...options.meta });
    this.recordingId = options.meta.recordingId;
    const resume = options.resume;
    this.nextTick = options.meta.startTick + (resume === undefined ? 0 : resume.sampleCount / SAMPLES_PER_TICK);
    this.hash = resume?.hash ?? createHash('sha256').update(options.header);
    this.headerHash = createHash('sha256').update(options.header).digest();
    this.fileOffset = resume?.fileBytes ?? options.header.length;
    this.chunkIndex = resume?.chunkCount ?? 0;
    this.samplesSealed = resume?.sampleCount ?? 0;
    this.allGaps.push(...(resume?.gaps ?? []));
    this.maxGapTicks = options.maxGapTicks ?? DEFAULT_MAX_GAP_TICKS;
    this.maxPendingChunks = options.maxPendingChunks ?? DEFAULT_MAX_PENDING_CHUNKS;
    this.flushAfterMs = options.flushAfterMs ?? FLUSH_AFTER_MS;
  }

  /** The tick the next frame belongs at (one after the last written); a later one leaves a gap. */
  get expectedTick(): number {
    return this.nextTick;
  }

  get state(): RecordingWriterState {
    return this.stateValue;
  }

  /** Why the writer failed (state 'error', or 'closed' after a salvage). */
  get error(): AppError | undefined {
    return this.errorValue;
  }

  get stats(): Readonly<RecordingWriterCounters> & { samples: number; durationMs: number; pendingChunks: number } {
    const samples = this.samplesSealed + this.fill;
    return { ...this.counters, samples, durationMs: samplesToMs(samples), pendingChunks: this.pendingChunks };
  }

  /** Takes one 20 ms frame (160 A-law bytes) for `tick`. Synchronous; the disk write follows. */
  writeTick(tick: number, alaw160: Uint8Array): TickResult {
    if (this.stateValue !== 'open') {
      this.counters.ticksAfterFailure += 1;
      return 'failed';
    }
    if (!Number.isSafeInteger(tick)) {
      this.counters.invalidFrames += 1;
      return 'invalid-frame';
    }
    if (tick < this.meta.startTick) {
      this.counters.beforeStartTicks += 1;
      return 'before-start';
    }
    if (tick < this.nextTick) {
      this.counters.duplicateTicks += 1;
      return 'duplicate';
    }
    if (alaw160.length !== SAMPLES_PER_TICK) {
      // Counted; the tick becomes part of a recorded gap when the next good tick arrives.
      this.counters.invalidFrames += 1;
      return 'invalid-frame';
    }
    if (!this.gapTo(tick, this.nextGapCause ?? 'frames-lost')) {
      // Refused jump, or failed while filling the gap: the frame would land at the wrong time.
      this.counters.ticksAfterFailure += 1;
      return 'failed';
    }
    this.nextGapCause = null;
    // The frame is taken even if queuing it revealed a stall (the failure is reported by onError).
    this.append(alaw160);
    this.nextTick = tick + 1;
    this.counters.ticksWritten += 1;
    if (this.fill > 0 && this.stateValue === 'open' && this.options.clock.now() - this.fillStartedAtMs >= this.flushAfterMs) this.sealCurrentChunk(false);
    return 'written';
  }

  /**
   * The audio missing before the next tick written was lost for `cause` (the link was lost, the
   * service or the bridge restarted), not on a working link: the gap is recorded so.
   */
  markNextGap(cause: GapCause): void {
    this.nextGapCause = cause;
  }

  /**
   * Fills the time up to `tick` (exclusive) with silence, recorded as a gap of `cause`: the call
   * went on until then but its audio never arrived (it ended while the link was down).
   */
  fillGapTo(tick: number, cause: GapCause): void {
    if (this.stateValue !== 'open' || !Number.isSafeInteger(tick) || tick <= this.nextTick) return;
    if (this.gapTo(tick, cause)) this.nextTick = tick;
  }

  /** Silence for [nextTick, tick) as one gap; false when refused (too long) or the writer failed. */
  private gapTo(tick: number, cause: GapCause): boolean {
    const missing = tick - this.nextTick;
    if (missing > this.maxGapTicks) {
      this.fail(
        new AppError('RECORDING_TICK_JUMP', `recording ${this.recordingId}: tick jumped ${missing} ticks ahead (limit ${this.maxGapTicks})`, {
          details: { recordingId: this.recordingId, missingTicks: missing },
        }),
      );
      return false;
    }
    if (missing <= 0) return true;
    const stored: StoredGap = { fromOffset: this.nextTick - this.meta.startTick, toOffset: tick - this.meta.startTick, cause };
    this.pendingGaps.push(stored);
    this.allGaps.push(toGap(stored, this.meta.startTick));
    this.counters.gapTicks += missing;
    for (let i = 0; i < missing && this.stateValue === 'open'; i += 1) this.append(SILENCE_TICK);
    return this.stateValue === 'open';
  }

  /**
   * Seals and queues the partial chunk now, so what was received is on its way to the disk
   * without waiting for the next frame (the link went quiet). Nothing happens if it is empty.
   */
  flushPartial(): void {
    if (this.stateValue === 'open' && this.fill > 0) this.sealCurrentChunk(false);
  }

  /** Resolves when every chunk queued so far is on disk (or has failed). */
  flushed(): Promise<void> {
    return this.tail;
  }

  /**
   * Writes the last chunk and the sealed trailer, fsyncs and renames `<id>.tlr.part` to `<id>.tlr`.
   * After a failure the outcome is 'interrupted' and `salvaged` is true. Calling it again returns
   * the same promise.
   */
  close(outcome: RecordingOutcome): Promise<RecordingSummary> {
    this.closing ??= this.doClose(outcome);
    return this.closing;
  }

  private async doClose(requested: RecordingOutcome): Promise<RecordingSummary> {
    try {
      if (!this.writeFailed) {
        // A refused tick (jump, stall) stops the recording but every sample taken is still good:
        // seal normally, as interrupted.
        const outcome: RecordingOutcome = this.stateValue === 'error' ? 'interrupted' : requested;
        if (this.stateValue === 'open') this.stateValue = 'closing';
        this.sealCurrentChunk(true);
        const sealedAtMs = this.options.clock.now();
        const trailer = buildTrailer(
          this.recordingId,
          { outcome, chunkCount: this.chunkIndex, sampleCount: this.samplesSealed, sealedAtMs, contentHash: this.hash.digest() },
          this.options.sealKey.privateKey,
        );
        this.enqueue(trailer, false);
        await this.tail;
        if (!this.writeFailed) {
          try {
            await this.options.handle.sync();
            await this.options.handle.close();
            await rename(this.options.partFile, this.options.finalFile);
            await fsyncDirectory(dirname(this.options.finalFile));
          } catch (err) {
            this.writeFailed = true;
            this.fail(storageError(err, 'seal', this.options.partFile));
          }
        }
        if (!this.writeFailed) {
          this.stateValue = 'closed';
          this.options.logger.info('recording sealed', {
            recordingId: this.recordingId,
            outcome,
            durationMs: samplesToMs(this.samplesSealed),
            gaps: this.allGaps.length,
          });
          return this.summary(outcome, this.samplesSealed, this.chunkIndex, this.allGaps, sealedAtMs, false);
        }
      }
      return await this.salvage();
    } finally {
      this.options.onFinished?.();
    }
  }

  /** After a failure: seal what is on disk (cut at the last good chunk, outcome interrupted). */
  private async salvage(): Promise<RecordingSummary> {
    await this.tail;
    await this.options.handle.close().catch(() => undefined);
    const cause = this.errorValue ?? new AppError('RECORDING_INTERNAL', `recording ${this.recordingId} failed without an error`);
    try {
      const sealed = await sealPartFile({
        recordingId: this.recordingId,
        partFile: this.options.partFile,
        finalFile: this.options.finalFile,
        dataKey: this.options.dataKey,
        sealPrivateKey: this.options.sealKey.privateKey,
        sealPublicKey: this.options.sealKey.publicKey,
        clock: this.options.clock,
      });
      this.stateValue = 'closed';
      this.options.logger.warn('recording sealed after a failure; audio after the failure is lost', {
        recordingId: this.recordingId,
        code: cause.code,
        durationMs: sealed.durationMs,
      });
      return this.summary(sealed.outcome, sealed.sampleCount, sealed.chunkCount, sealed.gaps, sealed.sealedAtMs, true);
    } catch (err) {
      this.options.logger.error('recording could not be sealed; left for recovery at the next start', {
        recordingId: this.recordingId,
        code: cause.code,
        sealCode: isAppError(err) ? err.code : String(err),
      });
      throw cause;
    }
  }

  private summary(outcome: RecordingOutcome, sampleCount: number, chunkCount: number, gaps: Gap[], sealedAtMs: number, salvaged: boolean): RecordingSummary {
    return {
      recordingId: this.recordingId,
      callId: this.meta.callId,
      channel: this.meta.channel,
      startedAtMs: this.meta.startedAtMs,
      startTick: this.meta.startTick,
      outcome,
      sampleCount,
      durationMs: samplesToMs(sampleCount),
      chunkCount,
      gaps: gaps.map((gap) => ({ ...gap })),
      sealedAtMs,
      salvaged,
      counters: { ...this.counters },
    };
  }

  private append(samples: Uint8Array): void {
    let done = 0;
    while (done < samples.length) {
      const take = Math.min(samples.length - done, SAMPLES_PER_CHUNK - this.fill);
      if (this.fill === 0) this.fillStartedAtMs = this.options.clock.now();
      this.chunk.set(samples.subarray(done, done + take), this.fill);
      this.fill += take;
      done += take;
      if (this.fill === SAMPLES_PER_CHUNK) this.sealCurrentChunk(false);
    }
  }

  private sealCurrentChunk(last: boolean): void {
    const record = sealChunk({
      dataKey: this.options.dataKey,
      headerHash: this.headerHash,
      index: this.chunkIndex,
      last,
      samples: this.chunk.subarray(0, this.fill),
      gaps: this.pendingGaps,
    });
    this.hash.update(record);
    this.chunkIndex += 1;
    this.samplesSealed += this.fill;
    this.fill = 0;
    this.pendingGaps = [];
    this.enqueue(record, true);
  }

  private enqueue(bytes: Buffer, isChunk: boolean): void {
    this.pendingChunks += 1;
    if (this.pendingChunks > this.maxPendingChunks) {
      this.fail(
        new AppError('RECORDING_WRITE_STALLED', `recording ${this.recordingId}: ${this.pendingChunks} chunks waiting for the disk`, {
          details: { recordingId: this.recordingId, pendingChunks: this.pendingChunks },
        }),
      );
    }
    const position = this.fileOffset;
    this.fileOffset += bytes.length;
    this.tail = this.tail.then(async () => {
      try {
        if (this.writeFailed) return;
        await writeAllAt(this.options.handle, bytes, position);
        await this.options.handle.datasync();
        if (isChunk) this.counters.chunksFlushed += 1;
      } catch (err) {
        this.writeFailed = true;
        this.fail(storageError(err, 'append to', this.options.partFile));
      } finally {
        this.pendingChunks -= 1;
      }
    });
  }

  private fail(err: AppError): void {
    if (this.errorValue !== undefined || this.stateValue === 'closed') return;
    this.stateValue = 'error';
    this.errorValue = err;
    this.options.logger.error('recording failed', { recordingId: this.recordingId, code: err.code });
    try {
      this.options.onError?.(err);
    } catch (listenerErr) {
      this.options.logger.error('recording onError listener threw', { recordingId: this.recordingId, error: String(listenerErr) });
    }
  }
}
