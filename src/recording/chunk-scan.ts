/**
 * Reading an unsealed recording file from its start, chunk by chunk, each checked against the
 * data key (GCM tag, index sequence), up to the first chunk that is torn, out of order or fails
 * its check, or up to and including a LAST chunk. Recovery (sealing a part file after a crash)
 * and resumption (going on with it) both start from this: the file's good part and the running
 * state a writer or a trailer needs.
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { BlockReader, CHUNK_PREFIX_BYTES, FormatError, openChunk, parseChunkPrefix, readAt, sha256, toGap, type Gap, type RecordingHeader } from './recording-format.js';

export interface ChunkScan {
  /** The header's bytes as on disk (the chunks' AEAD binds their hash). */
  readonly headerBytes: Buffer;
  readonly headerHash: Buffer;
  /** SHA-256 over the header and every good chunk: the content hash, not yet finished. */
  readonly hash: Hash;
  readonly gaps: Gap[];
  readonly chunkCount: number;
  readonly sampleCount: number;
  /** The offset just after the last good chunk: where a cut goes, or the next chunk. */
  readonly goodEnd: number;
  /** The last good chunk is a LAST chunk (the writer had begun to seal). */
  readonly sawLast: boolean;
}

/** Scans `size` bytes of an open file whose header is `header`; stops quietly at the first bad chunk. */
export async function scanGoodChunks(handle: FileHandle, header: RecordingHeader, size: number, dataKey: Buffer): Promise<ChunkScan> {
  const headerBytes = await readAt(handle, 0, header.headerBytes);
  const headerHash = sha256(headerBytes);
  const hash = createHash('sha256').update(headerBytes);
  const reader = new BlockReader(handle, header.headerBytes, size);
  const gaps: Gap[] = [];
  let chunkCount = 0;
  let sampleCount = 0;
  let sawLast = false;
  let goodEnd = header.headerBytes;
  while (!sawLast && reader.position < size) {
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
    hash.update(record);
    for (const gap of opened.gaps) gaps.push(toGap(gap, header.startTick));
    chunkCount += 1;
    sampleCount += prefix.sampleCount;
    sawLast = prefix.last;
    goodEnd = reader.position;
  }
  return { headerBytes, headerHash, hash, gaps, chunkCount, sampleCount, goodEnd, sawLast };
}
