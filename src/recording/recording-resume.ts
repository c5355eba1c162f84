/**
 * Going on with a recording left open by a crash: when the service comes back while the call is
 * still running at the card, the call's audio continues in the same file (one call, one
 * recording), after a gap marked 'service-restart'. This reads the part file as recovery does
 * (every chunk checked against the data key), cuts it after the last chunk that authenticates
 * and gives the writer the state to append after it. A part file whose LAST chunk is already on
 * disk (the crash came while sealing) cannot go on: the caller seals it instead.
 */
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../errors.js';
import { decodeHeader, FormatError, MAX_HEADER_BYTES, readAt, type RecordingHeader } from './recording-format.js';
import { scanGoodChunks } from './chunk-scan.js';
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
  const { headerBytes, hash, gaps, chunkCount, sampleCount, goodEnd, sawLast } = await scanGoodChunks(handle, header, size, dataKey);
  if (sawLast) throw new AppError('RECORDING_NOT_RESUMABLE', `recording ${recordingId} was already being sealed`, { details: { recordingId } });
  if (goodEnd < size) {
    await handle.truncate(goodEnd);
    await handle.sync();
  }
  return { header, headerBytes, state: { chunkCount, sampleCount, fileBytes: goodEnd, hash, gaps } };
}
