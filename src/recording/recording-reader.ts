/**
 * Reading sealed recordings. Opening one checks everything that does not need the audio
 * decrypted: the header names the expected recording, the data key unwraps, the trailer's Ed25519
 * seal is valid and the content hash over header and chunk records matches it, the chunk records
 * are in order and end with the LAST chunk. Reads then decrypt only the chunks that overlap the
 * requested sample range (what an HTTP Range request needs); each chunk's GCM tag is checked when
 * it is decrypted. verify() additionally decrypts every chunk.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { AppError, errnoCode } from '../errors.js';
import { alawToPcm16le } from './alaw.js';
import {
  BlockReader,
  CHUNK_PREFIX_BYTES,
  decodeHeader,
  FormatError,
  MAX_HEADER_BYTES,
  openChunk,
  parseChunkPrefix,
  parseTrailer,
  readAt,
  readAtSync,
  samplesToMs,
  sha256,
  toGap,
  trailerSignatureValid,
  TRAILER_BYTES,
  type ChunkPrefix,
  type Gap,
  type OpenedChunk,
  type ParsedTrailer,
  type RecordingHeader,
  type RecordingOutcome,
  type VerifyProblemCode,
} from './recording-format.js';
import { unwrapDataKey } from './recording-keys.js';

export interface RecordingReadKeys {
  /** KeyHierarchy.recordingWrapKey */
  wrapKey: Buffer;
  /** KeyHierarchy.recordingSealKey.publicKey */
  sealPublicKey: KeyObject;
}

export interface RecordingLocation {
  recordingId: string;
  /** The sealed file `<dataDir>/recordings/<id>.tlr`. */
  file: string;
  /** `<dataDir>/keys/<id>.key` */
  keyFile: string;
}

export interface VerifyResult {
  ok: boolean;
  recordingId: string;
  /** One line per problem, "CODE: explanation", naming chunk indexes where they matter. */
  problems: string[];
  codes: VerifyProblemCode[];
  /** verifyAll(): the key was shredded on purpose (by the purge); the file is left to remove. */
  shredded?: true;
}

export interface ChunkIndexEntry {
  prefix: ChunkPrefix;
  offset: number;
  sampleStart: number;
}

interface Problem {
  code: VerifyProblemCode;
  message: string;
}

interface Inspection {
  problems: Problem[];
  header?: RecordingHeader;
  headerHash?: Buffer;
  trailer?: ParsedTrailer;
  chunks: ChunkIndexEntry[];
  dataKey?: Buffer;
  gaps: Gap[];
  handle?: FileHandle;
}

/** At most this many chunk failures are listed one by one; the rest are counted. */
const MAX_LISTED_CHUNK_FAILURES = 5;
/**
 * Chunks under a range up to this size are read without the thread pool (readAtSync): a player's
 * seek (64 KiB of WAV is about 40 KiB of chunks). Longer ranges, such as a whole export, go
 * through the pool so that the event loop never waits for a long read.
 */
const SYNC_READ_MAX_BYTES = 256 * 1024;

async function inspect(location: RecordingLocation, keys: RecordingReadKeys, decryptAll: boolean, keepOpen: boolean): Promise<Inspection> {
  const result: Inspection = { problems: [], chunks: [], gaps: [] };
  const problem = (code: VerifyProblemCode, message: string): void => {
    result.problems.push({ code, message });
  };
  const { recordingId } = location;

  try {
    result.dataKey = unwrapDataKey(await readFile(location.keyFile), recordingId, keys.wrapKey);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') problem('KEY_MISSING', 'data key missing: the recording was shredded or its key lost');
    else problem('KEY_INVALID', `data key unusable: ${err instanceof Error ? err.message : String(err)}`);
  }

  let handle: FileHandle;
  try {
    handle = await open(location.file, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') problem('NOT_FOUND', 'recording file not found');
    else problem('IO_ERROR', `cannot open the recording file: ${errnoCode(err) ?? String(err)}`);
    return result;
  }

  try {
    const size = (await handle.stat()).size;
    let header: RecordingHeader;
    try {
      header = decodeHeader(await readAt(handle, 0, Math.min(size, MAX_HEADER_BYTES)));
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      problem(err.problem, err.message);
      return result;
    }
    result.header = header;
    const headerBytes = await readAt(handle, 0, header.headerBytes);
    const headerHash = sha256(headerBytes);
    result.headerHash = headerHash;
    if (header.recordingId !== recordingId) {
      problem('ID_MISMATCH', `the file holds recording ${header.recordingId}: swapped or renamed from another recording`);
    }

    let recordsEnd = size;
    if (size >= header.headerBytes + TRAILER_BYTES) {
      try {
        const trailer = parseTrailer(await readAt(handle, size - TRAILER_BYTES, TRAILER_BYTES));
        result.trailer = trailer;
        recordsEnd = size - TRAILER_BYTES;
        if (!trailerSignatureValid(recordingId, trailer.bytes, keys.sealPublicKey)) {
          problem('SIGNATURE_INVALID', 'the seal signature is not valid for this recording (tampered trailer, another recording or another key)');
        }
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        problem(err.problem, err.message);
      }
    } else {
      problem('TRUNCATED', 'file too short for a trailer (truncated or never sealed)');
    }

    const hash = createHash('sha256').update(headerBytes);
    const reader = new BlockReader(handle, header.headerBytes, recordsEnd);
    let sampleStart = 0;
    let sawLast = false;
    let structureBroken = false;
    let chunkFailures = 0;
    while (reader.position < recordsEnd) {
      const offset = reader.position;
      try {
        if (sawLast) throw new FormatError('STRUCTURE_CORRUPT', `data after the last chunk at byte ${offset}`);
        const prefixBytes = await reader.read(CHUNK_PREFIX_BYTES);
        const prefix = parseChunkPrefix(prefixBytes);
        if (prefix.index !== result.chunks.length) {
          throw new FormatError('CHUNK_ORDER', `chunk ${prefix.index} found where chunk ${result.chunks.length} belongs (reordered, removed or inserted)`);
        }
        const rest = await reader.read(prefix.recordBytes - CHUNK_PREFIX_BYTES);
        if (rest.length !== prefix.recordBytes - CHUNK_PREFIX_BYTES) throw new FormatError('TRUNCATED', `chunk ${prefix.index} cut short`);
        hash.update(prefixBytes).update(rest);
        result.chunks.push({ prefix, offset, sampleStart });
        sampleStart += prefix.sampleCount;
        sawLast = prefix.last;
        if (decryptAll && result.dataKey !== undefined) {
          try {
            const opened = openChunk(Buffer.concat([prefixBytes, rest]), prefix, result.dataKey, headerHash);
            for (const gap of opened.gaps) result.gaps.push(toGap(gap, header.startTick));
          } catch (err) {
            if (!(err instanceof FormatError)) throw err;
            chunkFailures += 1;
            if (chunkFailures <= MAX_LISTED_CHUNK_FAILURES) problem(err.problem, err.message);
          }
        }
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        problem(err.problem, err.message);
        structureBroken = true;
        break;
      }
    }
    if (chunkFailures > MAX_LISTED_CHUNK_FAILURES) {
      problem('CHUNK_AUTH_FAILED', `${chunkFailures - MAX_LISTED_CHUNK_FAILURES} more chunks failed authentication`);
    }
    if (!structureBroken && !sawLast) problem('TRUNCATED', 'the last chunk is missing (truncated)');
    if (!structureBroken && result.trailer !== undefined) {
      if (!hash.digest().equals(result.trailer.contentHash)) {
        problem('CONTENT_HASH_MISMATCH', 'content hash differs from the sealed one (header or chunks changed)');
      }
      if (result.trailer.chunkCount !== result.chunks.length || result.trailer.sampleCount !== sampleStart) {
        problem('TRAILER_MISMATCH', 'chunk or sample count differs from the sealed trailer');
      }
    }
  } catch (err) {
    problem('IO_ERROR', `cannot read the recording file: ${errnoCode(err) ?? String(err)}`);
  } finally {
    if (keepOpen && result.problems.length === 0) result.handle = handle;
    else await handle.close().catch(() => undefined);
  }
  return result;
}

function toVerifyResult(recordingId: string, inspection: Inspection): VerifyResult {
  return {
    ok: inspection.problems.length === 0,
    recordingId,
    problems: inspection.problems.map((p) => `${p.code}: ${p.message}`),
    codes: inspection.problems.map((p) => p.code),
  };
}

/** Full check of a sealed recording, decrypting every chunk. Never throws for a bad file. */
export async function verifyRecordingFile(location: RecordingLocation, keys: RecordingReadKeys): Promise<VerifyResult> {
  const inspection = await inspect(location, keys, true, false);
  return toVerifyResult(location.recordingId, inspection);
}

export class RecordingReader {
  readonly recordingId: string;
  readonly callId: string;
  readonly channel: number;
  readonly startedAtMs: number;
  readonly startTick: number;
  readonly sampleCount: number;
  readonly durationMs: number;
  readonly outcome: RecordingOutcome;
  readonly sealedAtMs: number;
  readonly chunkCount: number;
  private cached: { index: number; chunk: OpenedChunk } | undefined;
  /** The data key imported once, not once per chunk opened. */
  private readonly chunkKey: KeyObject;
  private gapList: Gap[] | undefined;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    header: RecordingHeader,
    trailer: ParsedTrailer,
    private readonly chunks: ChunkIndexEntry[],
    dataKey: Buffer,
    private readonly headerHash: Buffer,
  ) {
    this.recordingId = header.recordingId;
    this.callId = header.callId;
    this.channel = header.channel;
    this.startedAtMs = header.startedAtMs;
    this.startTick = header.startTick;
    this.sampleCount = trailer.sampleCount;
    this.durationMs = samplesToMs(trailer.sampleCount);
    this.outcome = trailer.outcome;
    this.sealedAtMs = trailer.sealedAtMs;
    this.chunkCount = trailer.chunkCount;
    this.chunkKey = createSecretKey(dataKey);
  }

  /**
   * Opens and checks a sealed recording (seal signature, content hash, structure).
   * Errors: RECORDING_NOT_FOUND, RECORDING_KEY_MISSING (shredded), RECORDING_CORRUPT
   * (details.problems / details.codes as in verify()).
   */
  static async open(location: RecordingLocation, keys: RecordingReadKeys): Promise<RecordingReader> {
    const inspection = await inspect(location, keys, false, true);
    const codes = inspection.problems.map((p) => p.code);
    const { recordingId } = location;
    const { handle, header, trailer, dataKey, headerHash } = inspection;
    const usable = codes.length === 0 && handle !== undefined && header !== undefined && trailer !== undefined && dataKey !== undefined && headerHash !== undefined;
    // Every way out but success closes the file: a refused playback must not leak a handle.
    if (!usable) await handle?.close().catch(() => undefined);
    if (codes.includes('NOT_FOUND')) {
      throw new AppError('RECORDING_NOT_FOUND', `recording ${recordingId} not found`, { details: { recordingId } });
    }
    if (codes.length === 1 && codes[0] === 'KEY_MISSING') {
      throw new AppError('RECORDING_KEY_MISSING', `recording ${recordingId} has no data key (shredded)`, { details: { recordingId } });
    }
    if (!usable) {
      const verdict = toVerifyResult(recordingId, inspection);
      throw new AppError('RECORDING_CORRUPT', `recording ${recordingId} failed its integrity check: ${verdict.problems.join('; ')}`, {
        details: { recordingId, problems: verdict.problems, codes: verdict.codes },
      });
    }
    return new RecordingReader(handle!, header!, trailer!, inspection.chunks, dataKey!, headerHash!);
  }

  /** A-law bytes of samples [startSample, endSample). */
  async readAlaw(startSample: number, endSample: number): Promise<Buffer> {
    this.checkRange(startSample, endSample);
    const out = Buffer.allocUnsafe(endSample - startSample);
    let position = 0;
    for (const part of await this.alawParts(startSample, endSample)) {
      part.copy(out, position);
      position += part.length;
    }
    return out;
  }

  /** 16-bit little-endian PCM of samples [startSample, endSample) (2 bytes per sample). */
  async readPcm16(startSample: number, endSample: number): Promise<Buffer> {
    return alawToPcm16le(await this.readAlaw(startSample, endSample));
  }

  /**
   * The A-law bytes of samples [startSample, endSample) one chunk's worth at a time: the chunks'
   * bytes are read at once, each chunk is decrypted (and authenticated) only when the iteration
   * reaches it. A player's first bytes can so leave after one chunk instead of all of them.
   */
  async alawParts(startSample: number, endSample: number): Promise<Iterable<Buffer>> {
    this.checkRange(startSample, endSample);
    if (endSample === startSample) return [];
    const first = this.chunkAt(startSample);
    const chunks = await this.chunksFromTo(first, this.chunkAt(endSample - 1));
    const entries = this.chunks;
    return (function* parts(): Generator<Buffer> {
      let position = startSample;
      for (const [i, open] of chunks.entries()) {
        const entry = entries[first + i] as ChunkIndexEntry;
        const to = Math.min(entry.prefix.sampleCount, endSample - entry.sampleStart);
        yield open().samples.subarray(position - entry.sampleStart, to);
        position = entry.sampleStart + to;
      }
    })();
  }

  /** Lost stretches (silence filled), in order. Decrypts every chunk once, then cached. */
  async gaps(): Promise<Gap[]> {
    if (this.gapList === undefined) {
      const list: Gap[] = [];
      for (let i = 0; i < this.chunks.length; i += 1) {
        for (const gap of (await this.chunk(i)).gaps) list.push(toGap(gap, this.startTick));
      }
      this.gapList = list;
    }
    return this.gapList.map((gap) => ({ ...gap }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cached = undefined;
    await this.handle.close();
  }

  private checkRange(startSample: number, endSample: number): void {
    if (this.closed) throw new AppError('RECORDING_CLOSED', `reader of recording ${this.recordingId} is closed`);
    if (!Number.isSafeInteger(startSample) || !Number.isSafeInteger(endSample) || startSample < 0 || endSample < startSample || endSample > this.sampleCount) {
      throw new AppError('RANGE_INVALID', `sample range [${startSample}, ${endSample}) outside 0..${this.sampleCount}`, {
        details: { recordingId: this.recordingId, startSample, endSample, sampleCount: this.sampleCount },
      });
    }
  }

  /** Index into `chunks` of the chunk holding `sample` (binary search over sample starts). */
  private chunkAt(sample: number): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.chunks[mid] as ChunkIndexEntry).sampleStart <= sample) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private async chunk(number: number): Promise<OpenedChunk> {
    if (this.cached?.index === number) return this.cached.chunk;
    const entry = this.chunks[number] as ChunkIndexEntry;
    const chunk = this.openRecord(entry, await readAt(this.handle, entry.offset, entry.prefix.recordBytes));
    this.cached = { index: number, chunk };
    return chunk;
  }

  /**
   * Chunks first..last, each as a function that decrypts it when called. They are read with one
   * read when they lie back to back in the file (they always do in a recording this service
   * wrote): a seek then costs one trip to the disk, not one per second of audio.
   */
  private async chunksFromTo(first: number, last: number): Promise<Array<() => OpenedChunk>> {
    const entries = this.chunks.slice(first, last + 1);
    const contiguous = entries.every((entry, i) => i === 0 || entry.offset === entries[i - 1]!.offset + entries[i - 1]!.prefix.recordBytes);
    if (entries.length === 1 || !contiguous) {
      const opened: Array<() => OpenedChunk> = [];
      for (let number = first; number <= last; number += 1) {
        const chunk = await this.chunk(number);
        opened.push(() => chunk);
      }
      return opened;
    }
    const start = entries[0]!.offset;
    const length = entries.at(-1)!.offset + entries.at(-1)!.prefix.recordBytes - start;
    const block = length <= SYNC_READ_MAX_BYTES ? readAtSync(this.handle, start, length) : await readAt(this.handle, start, length);
    return entries.map((entry) => () => this.openRecord(entry, block.subarray(entry.offset - start, entry.offset - start + entry.prefix.recordBytes)));
  }

  /** Decrypts and checks one chunk record; a record that does not open is RECORDING_CORRUPT. */
  private openRecord(entry: ChunkIndexEntry, record: Buffer): OpenedChunk {
    try {
      return openChunk(record, entry.prefix, this.chunkKey, this.headerHash);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new AppError('RECORDING_CORRUPT', `recording ${this.recordingId}: ${message}`, {
        details: { recordingId: this.recordingId, chunk: entry.prefix.index },
      });
    }
  }
}
