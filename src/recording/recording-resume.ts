/**
 * Going on with a recording left open by a crash: when the service comes back while the call is
 * still running at the card, the call's audio continues in the same file (one call, one
 * recording), after a gap marked 'service-restart'. This reads the part file as recovery does
 * (every chunk checked against the data key), cuts it after the last chunk that authenticates
 * and gives the writer the state to append after it. A part file whose LAST chunk is already on
 * disk (the crash came while sealing) cannot go on: the caller seals it instead.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../errors.js';
import {
  BlockReader,
  CHUNK_PREFIX_BYTES,
  decodeHeader,
  FormatError,
  MAX_HEADER_BYTES,
  openChunk,
  parseChunkPrefix,
  readAt,
  sha256,
  toGap,
  type Gap,
  type RecordingHeader,
} from './recording-format.js';
import type { ResumeState } from './recording-writer.js';

export interface ResumablePart {
  header: RecordingHeader;
  headerBytes: Buffer;
  state: ResumeState;
}

/**
 * Scans an open part file and cuts it after its last good chunk (fsynced). Throws
 * FormatError('HEADER_CORRUPT') for an unusable header and AppError RECORDING_NOT_RESUMABLE when
 * the recording was already being sealed.
 */
export async function prepareResume(handle: FileHandle, recordingId: string, dataKey: Buffer): Promise<ResumablePart> {
  const size = (await handle.stat()).size;
  const header = decodeHeader(await readAt(handle, 0, Math.min(size, MAX_HEADER_BYTES)));
  if (header.recordingId !== recordingId) throw new FormatError('HEADER_CORRUPT', `header names recording ${header.recordingId}, not ${recordingId}`);
  const headerBytes = await readAt(handle, 0, header.headerBytes);
  const headerHash = sha256(headerBytes);
  const hash = createHash('sha256').update(headerBytes);
  const reader = new BlockReader(handle, header.headerBytes, size);
  const gaps: Gap[] = [];
  let chunkCount = 0;
  let sampleCount = 0;
  let goodEnd = header.headerBytes;
  while (reader.position < size) {
    const prefixBytes = await reader.read(CHUNK_PREFIX_BYTES);
    let prefix;
    try {
      prefix = parseChunkPrefix(prefixBytes);
    } catch (err) {
      if (err instanceof FormatError) break;
      throw err;
    }
    if (prefix.index !== chunkCount) break;
    const rest = await reader.read(prefix.recordBytes - CHUNK_PREFIX_BYTES);
    if (rest.length !== prefix.recordBytes - CHUNK_PREFIX_BYTES) break;
    const record = Buffer.concat([prefixBytes, rest]);
    let opened;
    try {
      opened = openChunk(record, prefix, dataKey, headerHash);
    } catch (err) {
      if (err instanceof FormatError) break;
      throw err;
    }
    if (prefix.last) throw new AppError('RECORDING_NOT_RESUMABLE', `recording ${recordingId} was already being sealed`, { details: { recordingId } });
    hash.update(record);
    for (const gap of opened.gaps) gaps.push(toGap(gap, header.startTick));
    chunkCount += 1;
    sampleCount += prefix.sampleCount;
    goodEnd = reader.position;
  }
  if (goodEnd < size) {
    await handle.truncate(goodEnd);
    await handle.sync();
  }
  return { header, headerBytes, state: { chunkCount, sampleCount, fileBytes: goodEnd, hash, gaps } };
}
