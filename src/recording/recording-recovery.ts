/**
 * Sealing a recording file that was left open: after a crash (kill -9, power cut) the file is
 * still `<id>.tlr.part`; after a failed write (disk full) the writer hands its file here.
 *
 * The part file is read from the start; every chunk is checked against the data key (GCM tag,
 * index sequence). The file is cut after the last chunk that authenticates; if no LAST chunk
 * survived, an empty LAST chunk is appended with a random nonce (the crashed writer may have put
 * bytes of that index on disk under the derived nonce already, and a nonce must never be used
 * twice under one key); then the trailer is written with outcome 'interrupted', the file is
 * fsynced and renamed to `<id>.tlr`. A part file that was already completely sealed (the crash
 * came between the trailer and the rename) keeps its trailer and is only renamed.
 *
 * Each step leaves a part file that this function accepts again, so a crash during recovery is
 * recovered at the next start.
 */
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { fsyncDirectory, storageError, writeAllAt } from '../storage/durable-file.js';
import {
  buildTrailer,
  decodeHeader,
  FormatError,
  MAX_HEADER_BYTES,
  parseTrailer,
  readAt,
  samplesToMs,
  sealChunk,
  trailerSignatureValid,
  TRAILER_BYTES,
  type Gap,
  type RecordingHeader,
  type RecordingOutcome,
} from './recording-format.js';
import { scanGoodChunks } from './chunk-scan.js';

export interface SealPartFileInput {
  recordingId: string;
  partFile: string;
  finalFile: string;
  dataKey: Buffer;
  sealPrivateKey: KeyObject;
  sealPublicKey: KeyObject;
  clock: Clock;
}

export interface SealedPartFile {
  recordingId: string;
  header: RecordingHeader;
  outcome: RecordingOutcome;
  chunkCount: number;
  sampleCount: number;
  durationMs: number;
  gaps: Gap[];
  /** Bytes dropped from the end of the part file (a torn chunk or garbage). */
  bytesCut: number;
  /** True when the part file already had a valid trailer and only the rename was missing. */
  alreadySealed: boolean;
  sealedAtMs: number;
}

/**
 * Cuts, seals and renames a part file. Throws FormatError('HEADER_CORRUPT') when the header is
 * unusable (the caller quarantines the file) and storage AppErrors for I/O problems.
 */
export async function sealPartFile(input: SealPartFileInput): Promise<SealedPartFile> {
  let handle: FileHandle;
  try {
    handle = await open(input.partFile, 'r+');
  } catch (err) {
    throw storageError(err, 'open', input.partFile);
  }
  try {
    const size = (await handle.stat()).size;
    const header = decodeHeader(await readAt(handle, 0, Math.min(size, MAX_HEADER_BYTES)));
    if (header.recordingId !== input.recordingId) {
      throw new FormatError('HEADER_CORRUPT', `header names recording ${header.recordingId}, not ${input.recordingId}`);
    }
    const scan = await scanGoodChunks(handle, header, size, input.dataKey);
    const { headerHash, hash, gaps, sampleCount, goodEnd, sawLast } = scan;
    let { chunkCount } = scan;

    // Already sealed, only the rename was missing?
    if (sawLast && size - goodEnd === TRAILER_BYTES) {
      try {
        const trailer = parseTrailer(await readAt(handle, goodEnd, TRAILER_BYTES));
        const contentHash = hash.copy().digest();
        if (
          trailerSignatureValid(input.recordingId, trailer.bytes, input.sealPublicKey) &&
          trailer.contentHash.equals(contentHash) &&
          trailer.chunkCount === chunkCount &&
          trailer.sampleCount === sampleCount
        ) {
          await handle.sync();
          await handle.close();
          await renameSealed(input);
          return {
            recordingId: input.recordingId,
            header,
            outcome: trailer.outcome,
            chunkCount,
            sampleCount,
            durationMs: samplesToMs(sampleCount),
            gaps,
            bytesCut: 0,
            alreadySealed: true,
            sealedAtMs: trailer.sealedAtMs,
          };
        }
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
      }
    }

    const bytesCut = size - goodEnd;
    try {
      await handle.truncate(goodEnd);
      let position = goodEnd;
      if (!sawLast) {
        const last = sealChunk({
          dataKey: input.dataKey,
          headerHash,
          index: chunkCount,
          last: true,
          useRandomNonce: true,
          samples: Buffer.alloc(0),
          gaps: [],
        });
        await writeAllAt(handle, last, position);
        position += last.length;
        hash.update(last);
        chunkCount += 1;
      }
      const sealedAtMs = input.clock.now();
      const trailer = buildTrailer(
        input.recordingId,
        { outcome: 'interrupted', chunkCount, sampleCount, sealedAtMs, contentHash: hash.digest() },
        input.sealPrivateKey,
      );
      await writeAllAt(handle, trailer, position);
      await handle.sync();
      await handle.close();
      await renameSealed(input);
      return {
        recordingId: input.recordingId,
        header,
        outcome: 'interrupted',
        chunkCount,
        sampleCount,
        durationMs: samplesToMs(sampleCount),
        gaps,
        bytesCut,
        alreadySealed: false,
        sealedAtMs,
      };
    } catch (err) {
      throw storageError(err, 'seal', input.partFile);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function renameSealed(input: SealPartFileInput): Promise<void> {
  try {
    await rename(input.partFile, input.finalFile);
  } catch (err) {
    throw storageError(err, 'rename', input.partFile);
  }
  await fsyncDirectory(dirname(input.finalFile));
}
