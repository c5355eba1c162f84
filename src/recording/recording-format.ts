/**
 * The on-disk format of one call recording (`<dataDir>/recordings/<recordingId>.tlr`), version 1.
 * docs/recording-format.md has the same description with the reasoning behind it.
 *
 * A file is: HEADER, then CHUNK records (index 0, 1, 2...; the final one has the LAST flag), then
 * one TRAILER. While the call is running the file is named `<id>.tlr.part` and has no trailer;
 * sealing writes the trailer, fsyncs and renames it to `<id>.tlr`. All integers are big-endian.
 *
 * HEADER (61 + L bytes, in the clear; authenticated through every chunk's AAD and the seal)
 *   0   8  magic "TLNREC\r\n"
 *   8   2  format version = 1
 *   10  2  header length in bytes (61 + L)
 *   12  16 recording id (UUID, 16 raw bytes); equals the file name
 *   28  1  codec = 1 (G.711 A-law, one byte per sample)
 *   29  1  reserved = 0
 *   30  2  channel of the telephony card
 *   32  4  sample rate in Hz = 8000
 *   36  4  samples per chunk = 8000 (at most one second; 50 ticks of 20 ms)
 *   40  2  samples per tick = 160
 *   42  2  reserved = 0
 *   44  8  start time, ms since the Unix epoch, UTC
 *   52  8  start tick (the bridge's 20 ms tick counter at the first sample)
 *   60  1  call id length L (1..128)
 *   61  L  call id (UTF-8; a pseudonymous id, never a phone number)
 *
 * CHUNK record (26-byte prefix + ciphertext + 16-byte GCM tag)
 *   0   1  record type 0x43 ('C')
 *   1   1  flags: bit 0 LAST (final chunk), bit 1 RANDOM_NONCE (written by recovery), bit 2
 *          GAP_CAUSES (gap entries carry a cause byte; set by every writer since gap causes
 *          exist, absent in older files); others 0
 *   2   4  chunk index, from 0, no holes
 *   6   4  number of samples in this chunk, 0..samples per chunk (the writer seals a chunk when it
 *          is full or when its oldest sample has waited 500 ms, so chunks may be shorter)
 *   10  4  ciphertext length P = 2 + E * gapCount + sampleCount (E = 9 with GAP_CAUSES, else 8)
 *   14  12 nonce: 4 zero bytes + chunk index as u64 (derived); with RANDOM_NONCE 12 random bytes
 *          whose first byte has its top bit set, so it can never equal a derived nonce
 *   26  P  AES-256-GCM ciphertext under the recording's data key
 *   26+P 16 GCM tag
 *   AAD = SHA-256(HEADER) || the 26-byte prefix. The header hash binds the recording id (no chunk
 *   can be moved to another recording), the prefix binds index, LAST flag and sample count (no
 *   reordering, no silent truncation at a chunk boundary, no moving the end).
 *   Plaintext: u16 gapCount, gapCount x (u32 tickFrom, u32 tickTo[, u8 cause]) relative to the
 *   start tick (ticks [tickFrom, tickTo) were lost and are silence filled; an entry sits in the chunk
 *   where the gap begins), then sampleCount A-law bytes. Causes: 0 frames-lost (frames lost on a
 *   working link), 1 link-lost, 2 service-restart, 3 bridge-restart, 4 capture-restart
 *   (the service's capture thread died and was started again) (GAP_CAUSE_CODES).
 *
 * TRAILER (128 bytes, at the very end of a sealed file)
 *   0   1  record type 0x54 ('T')
 *   1   1  outcome: 1 = completed, 2 = interrupted (the call did not end normally or was recovered)
 *   2   2  reserved = 0
 *   4   4  chunk count
 *   8   8  sample count
 *   16  8  sealed at, ms since the Unix epoch, UTC
 *   24  32 content hash: SHA-256 over the HEADER and every CHUNK record, byte for byte
 *   56  64 Ed25519 signature (seal key) over "TLNSEAL1" || recording id || trailer bytes 0..55
 *   120 8  end magic "TLNEND\r\n"
 *
 * Why the nonce may come from the index: every recording has its own random data key and the
 * writer uses each index once. Recovery appends its final chunk with a random nonce because the
 * crashed writer may already have put bytes of chunk n on disk under the derived nonce for n.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../errors.js';

export const FILE_MAGIC = Buffer.from('TLNREC\r\n', 'latin1');
export const END_MAGIC = Buffer.from('TLNEND\r\n', 'latin1');
const SEAL_DOMAIN = Buffer.from('TLNSEAL1', 'latin1');
export const FORMAT_VERSION = 1;
export const CODEC_ALAW = 1;
export const SAMPLE_RATE_HZ = 8000;
export const TICK_MS = 20;
export const SAMPLES_PER_TICK = 160;
export const TICKS_PER_CHUNK = 50;
export const SAMPLES_PER_CHUNK = SAMPLES_PER_TICK * TICKS_PER_CHUNK;
export const SAMPLES_PER_MS = SAMPLE_RATE_HZ / 1000;

export const HEADER_FIXED_BYTES = 61;
export const MAX_CALL_ID_BYTES = 128;
export const MAX_HEADER_BYTES = HEADER_FIXED_BYTES + MAX_CALL_ID_BYTES;
export const CHUNK_PREFIX_BYTES = 26;
export const TAG_BYTES = 16;
export const NONCE_BYTES = 12;
export const TRAILER_BYTES = 128;
const TRAILER_SIGNED_BYTES = 56;
/** A chunk never lists more gaps than this (a gap needs at least one tick of its own). */
export const MAX_GAPS_PER_CHUNK = TICKS_PER_CHUNK;
export const MAX_CHUNK_PAYLOAD_BYTES = 2 + 9 * MAX_GAPS_PER_CHUNK + SAMPLES_PER_CHUNK;

export const RECORD_CHUNK = 0x43;
export const RECORD_TRAILER = 0x54;
export const FLAG_LAST = 0x01;
export const FLAG_RANDOM_NONCE = 0x02;
export const FLAG_GAP_CAUSES = 0x04;

/**
 * Why audio is missing: frames lost while the link worked; the link to the bridge lost; the
 * service restarted (crash, power cut); the bridge restarted. The recording resumes after each,
 * so one call stays one recording.
 */
export type GapCause = 'frames-lost' | 'link-lost' | 'service-restart' | 'bridge-restart' | 'capture-restart';
export const GAP_CAUSE_CODES: Record<GapCause, number> = { 'frames-lost': 0, 'link-lost': 1, 'service-restart': 2, 'bridge-restart': 3, 'capture-restart': 4 };
const GAP_CAUSES_BY_CODE = Object.fromEntries(Object.entries(GAP_CAUSE_CODES).map(([cause, code]) => [code, cause])) as Record<number, GapCause>;

export type RecordingOutcome = 'completed' | 'interrupted';
const OUTCOME_CODES: Record<RecordingOutcome, number> = { completed: 1, interrupted: 2 };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a canonical lower-case UUID (the only form used in file names). */
export function isRecordingId(id: unknown): id is string {
  return typeof id === 'string' && UUID_PATTERN.test(id);
}

/** Throws AppError('RECORDING_ID_INVALID') unless `id` is a canonical lower-case UUID. */
export function assertRecordingId(id: unknown): asserts id is string {
  if (!isRecordingId(id)) {
    throw new AppError('RECORDING_ID_INVALID', 'a recording id is a lower-case UUID', {
      details: { recordingId: typeof id === 'string' ? id.slice(0, 64) : typeof id },
    });
  }
}

export function uuidToBytes(id: string): Buffer {
  assertRecordingId(id);
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A stretch of lost audio, filled with A-law silence. Ticks are absolute, end exclusive. */
export interface Gap {
  tickFrom: number;
  tickTo: number;
  startSample: number;
  endSample: number;
  cause: GapCause;
}

export interface HeaderFields {
  recordingId: string;
  callId: string;
  channel: number;
  startedAtMs: number;
  startTick: number;
}

export interface RecordingHeader extends HeaderFields {
  version: number;
  headerBytes: number;
  sampleRateHz: number;
  samplesPerChunk: number;
  samplesPerTick: number;
}

/** Raised for anything that does not follow the format; `problem` is a VerifyProblemCode. */
export class FormatError extends Error {
  constructor(
    readonly problem: VerifyProblemCode,
    message: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

export type VerifyProblemCode =
  | 'NOT_FOUND'
  | 'UNSEALED'
  | 'HEADER_CORRUPT'
  | 'ID_MISMATCH'
  | 'KEY_MISSING'
  | 'KEY_INVALID'
  | 'TRUNCATED'
  | 'STRUCTURE_CORRUPT'
  | 'CHUNK_ORDER'
  | 'CHUNK_AUTH_FAILED'
  | 'CONTENT_HASH_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'TRAILER_MISMATCH'
  | 'IO_ERROR'
  /** A data key without a recording file (the file was deleted or lost). */
  | 'FILE_MISSING'
  /** A contact record says the call was recorded, and there is neither file nor key. */
  | 'RECORDING_MISSING'
  /** The recording file is in quarantine (unrecoverable part file); its key is kept. */
  | 'QUARANTINED';

export function validateHeaderFields(fields: HeaderFields): void {
  assertRecordingId(fields.recordingId);
  const callIdBytes = Buffer.byteLength(fields.callId ?? '', 'utf8');
  const problems: string[] = [];
  if (typeof fields.callId !== 'string' || callIdBytes < 1 || callIdBytes > MAX_CALL_ID_BYTES) problems.push(`callId: 1..${MAX_CALL_ID_BYTES} UTF-8 bytes`);
  if (!Number.isInteger(fields.channel) || fields.channel < 0 || fields.channel > 0xffff) problems.push('channel: integer 0..65535');
  if (!Number.isSafeInteger(fields.startedAtMs) || fields.startedAtMs < 0) problems.push('startedAtMs: non-negative integer');
  if (!Number.isSafeInteger(fields.startTick) || fields.startTick < 0) problems.push('startTick: non-negative integer');
  if (problems.length > 0) {
    throw new AppError('RECORDING_META_INVALID', `invalid recording metadata: ${problems.join('; ')}`, { details: { problems } });
  }
}

export function encodeHeader(fields: HeaderFields): Buffer {
  validateHeaderFields(fields);
  const callId = Buffer.from(fields.callId, 'utf8');
  const header = Buffer.alloc(HEADER_FIXED_BYTES + callId.length);
  FILE_MAGIC.copy(header, 0);
  header.writeUInt16BE(FORMAT_VERSION, 8);
  header.writeUInt16BE(header.length, 10);
  uuidToBytes(fields.recordingId).copy(header, 12);
  header.writeUInt8(CODEC_ALAW, 28);
  header.writeUInt16BE(fields.channel, 30);
  header.writeUInt32BE(SAMPLE_RATE_HZ, 32);
  header.writeUInt32BE(SAMPLES_PER_CHUNK, 36);
  header.writeUInt16BE(SAMPLES_PER_TICK, 40);
  header.writeBigUInt64BE(BigInt(fields.startedAtMs), 44);
  header.writeBigUInt64BE(BigInt(fields.startTick), 52);
  header.writeUInt8(callId.length, 60);
  callId.copy(header, HEADER_FIXED_BYTES);
  return header;
}

/** Decodes a header from the first bytes of a file (`bytes` may be longer than the header). */
export function decodeHeader(bytes: Buffer): RecordingHeader {
  const bad = (why: string): FormatError => new FormatError('HEADER_CORRUPT', `header corrupt: ${why}`);
  if (bytes.length < HEADER_FIXED_BYTES) throw bad('file shorter than a header');
  if (!bytes.subarray(0, 8).equals(FILE_MAGIC)) throw bad('bad magic');
  const version = bytes.readUInt16BE(8);
  if (version !== FORMAT_VERSION) throw bad(`unsupported version ${version}`);
  const headerBytes = bytes.readUInt16BE(10);
  const callIdLength = bytes.readUInt8(60);
  if (callIdLength < 1 || callIdLength > MAX_CALL_ID_BYTES || headerBytes !== HEADER_FIXED_BYTES + callIdLength) throw bad('bad length');
  if (bytes.length < headerBytes) throw bad('file shorter than its header');
  if (bytes.readUInt8(28) !== CODEC_ALAW || bytes.readUInt8(29) !== 0 || bytes.readUInt16BE(42) !== 0) throw bad('bad codec or reserved field');
  const sampleRateHz = bytes.readUInt32BE(32);
  const samplesPerChunk = bytes.readUInt32BE(36);
  const samplesPerTick = bytes.readUInt16BE(40);
  if (sampleRateHz !== SAMPLE_RATE_HZ || samplesPerChunk !== SAMPLES_PER_CHUNK || samplesPerTick !== SAMPLES_PER_TICK) {
    throw bad('unsupported sample layout');
  }
  const startedAt = bytes.readBigUInt64BE(44);
  const startTick = bytes.readBigUInt64BE(52);
  if (startedAt > BigInt(Number.MAX_SAFE_INTEGER) || startTick > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('time out of range');
  return {
    version,
    headerBytes,
    recordingId: bytesToUuid(bytes.subarray(12, 28)),
    callId: bytes.subarray(HEADER_FIXED_BYTES, headerBytes).toString('utf8'),
    channel: bytes.readUInt16BE(30),
    sampleRateHz,
    samplesPerChunk,
    samplesPerTick,
    startedAtMs: Number(startedAt),
    startTick: Number(startTick),
  };
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function derivedNonce(index: number): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

export function randomNonce(): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  nonce[0] = (nonce[0] as number) | 0x80;
  return nonce;
}

/** Gap offsets relative to the start tick, as stored in a chunk. */
export interface StoredGap {
  fromOffset: number;
  toOffset: number;
  cause: GapCause;
}

export interface SealChunkInput {
  dataKey: Buffer;
  headerHash: Buffer;
  index: number;
  last: boolean;
  /** Use a random nonce (recovery); otherwise the nonce is derived from the index. */
  useRandomNonce?: boolean;
  samples: Uint8Array;
  gaps: StoredGap[];
}

/** A gap entry as written: u32 from, u32 to, u8 cause (FLAG_GAP_CAUSES). Older files have 8 bytes. */
const GAP_ENTRY_BYTES = 9;
const LEGACY_GAP_ENTRY_BYTES = 8;

/** Builds an encrypted chunk record. */
export function sealChunk(input: SealChunkInput): Buffer {
  const { samples, gaps } = input;
  if (samples.length > SAMPLES_PER_CHUNK) throw new AppError('RECORDING_INTERNAL', 'chunk holds too many samples');
  if (gaps.length > MAX_GAPS_PER_CHUNK) throw new AppError('RECORDING_INTERNAL', 'chunk lists too many gaps');
  const plaintext = Buffer.alloc(2 + GAP_ENTRY_BYTES * gaps.length + samples.length);
  plaintext.writeUInt16BE(gaps.length, 0);
  gaps.forEach((gap, i) => {
    plaintext.writeUInt32BE(gap.fromOffset, 2 + GAP_ENTRY_BYTES * i);
    plaintext.writeUInt32BE(gap.toOffset, 6 + GAP_ENTRY_BYTES * i);
    plaintext.writeUInt8(GAP_CAUSE_CODES[gap.cause], 10 + GAP_ENTRY_BYTES * i);
  });
  plaintext.set(samples, 2 + GAP_ENTRY_BYTES * gaps.length);

  const nonce = input.useRandomNonce === true ? randomNonce() : derivedNonce(input.index);
  const prefix = Buffer.alloc(CHUNK_PREFIX_BYTES);
  prefix.writeUInt8(RECORD_CHUNK, 0);
  prefix.writeUInt8((input.last ? FLAG_LAST : 0) | (input.useRandomNonce === true ? FLAG_RANDOM_NONCE : 0) | FLAG_GAP_CAUSES, 1);
  prefix.writeUInt32BE(input.index, 2);
  prefix.writeUInt32BE(samples.length, 6);
  prefix.writeUInt32BE(plaintext.length, 10);
  nonce.copy(prefix, 14);
  const cipher = createCipheriv('aes-256-gcm', input.dataKey, nonce);
  cipher.setAAD(Buffer.concat([input.headerHash, prefix]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([prefix, ciphertext, cipher.getAuthTag()]);
}

export interface ChunkPrefix {
  index: number;
  last: boolean;
  randomNonce: boolean;
  /** Gap entries carry their cause (9 bytes each); without it 8, cause 'frames-lost'. */
  gapCauses: boolean;
  sampleCount: number;
  payloadBytes: number;
  nonce: Buffer;
  /** Whole record: prefix + ciphertext + tag. */
  recordBytes: number;
}

/** Parses and checks the clear prefix of a chunk record. */
export function parseChunkPrefix(prefix: Buffer): ChunkPrefix {
  const bad = (why: string): FormatError => new FormatError('STRUCTURE_CORRUPT', `chunk record malformed: ${why}`);
  if (prefix.length < CHUNK_PREFIX_BYTES) throw new FormatError('TRUNCATED', 'chunk record cut short');
  if (prefix.readUInt8(0) !== RECORD_CHUNK) throw bad('not a chunk record');
  const flags = prefix.readUInt8(1);
  if ((flags & ~(FLAG_LAST | FLAG_RANDOM_NONCE | FLAG_GAP_CAUSES)) !== 0) throw bad('unknown flags');
  const gapCauses = (flags & FLAG_GAP_CAUSES) !== 0;
  const entryBytes = gapCauses ? GAP_ENTRY_BYTES : LEGACY_GAP_ENTRY_BYTES;
  const index = prefix.readUInt32BE(2);
  const sampleCount = prefix.readUInt32BE(6);
  const payloadBytes = prefix.readUInt32BE(10);
  const nonce = Buffer.from(prefix.subarray(14, 26));
  const randomNonceFlag = (flags & FLAG_RANDOM_NONCE) !== 0;
  if (sampleCount > SAMPLES_PER_CHUNK) throw bad('too many samples');
  const metaBytes = payloadBytes - 2 - sampleCount;
  if (metaBytes < 0 || metaBytes % entryBytes !== 0 || metaBytes / entryBytes > MAX_GAPS_PER_CHUNK) throw bad('bad length');
  if (randomNonceFlag ? ((nonce[0] as number) & 0x80) === 0 : !nonce.equals(derivedNonce(index))) throw bad('bad nonce');
  return {
    index,
    last: (flags & FLAG_LAST) !== 0,
    randomNonce: randomNonceFlag,
    gapCauses,
    sampleCount,
    payloadBytes,
    nonce,
    recordBytes: CHUNK_PREFIX_BYTES + payloadBytes + TAG_BYTES,
  };
}

export interface OpenedChunk {
  samples: Buffer;
  gaps: StoredGap[];
}

/**
 * Decrypts a whole chunk record; throws FormatError('CHUNK_AUTH_FAILED') if it does not
 * authenticate. `dataKey` may be a KeyObject made once per reader: then each chunk skips
 * importing the key.
 */
export function openChunk(record: Buffer, prefix: ChunkPrefix, dataKey: Buffer | KeyObject, headerHash: Buffer): OpenedChunk {
  if (record.length !== prefix.recordBytes) throw new FormatError('TRUNCATED', `chunk ${prefix.index} cut short`);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, prefix.nonce);
  decipher.setAAD(Buffer.concat([headerHash, record.subarray(0, CHUNK_PREFIX_BYTES)]));
  decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
  let plaintext: Buffer;
  try {
    const body = decipher.update(record.subarray(CHUNK_PREFIX_BYTES, record.length - TAG_BYTES));
    const tail = decipher.final();
    // GCM hands out everything in update(): the copy of a concat is only needed if it ever does not.
    plaintext = tail.length === 0 ? body : Buffer.concat([body, tail]);
  } catch {
    throw new FormatError('CHUNK_AUTH_FAILED', `chunk ${prefix.index} failed authentication (tampered, reordered or from another recording)`);
  }
  const gapCount = plaintext.readUInt16BE(0);
  const entryBytes = prefix.gapCauses ? GAP_ENTRY_BYTES : LEGACY_GAP_ENTRY_BYTES;
  if (2 + entryBytes * gapCount + prefix.sampleCount !== plaintext.length) {
    throw new FormatError('STRUCTURE_CORRUPT', `chunk ${prefix.index} has an inconsistent gap list`);
  }
  const gaps: StoredGap[] = [];
  for (let i = 0; i < gapCount; i += 1) {
    const at = 2 + entryBytes * i;
    const cause = prefix.gapCauses ? GAP_CAUSES_BY_CODE[plaintext.readUInt8(at + 8)] : 'frames-lost';
    if (cause === undefined) throw new FormatError('STRUCTURE_CORRUPT', `chunk ${prefix.index} names an unknown gap cause`);
    gaps.push({ fromOffset: plaintext.readUInt32BE(at), toOffset: plaintext.readUInt32BE(at + 4), cause });
  }
  return { samples: plaintext.subarray(2 + entryBytes * gapCount), gaps };
}

export interface TrailerFields {
  outcome: RecordingOutcome;
  chunkCount: number;
  sampleCount: number;
  sealedAtMs: number;
  contentHash: Buffer;
}

function sealMessage(recordingId: string, signed: Buffer): Buffer {
  return Buffer.concat([SEAL_DOMAIN, uuidToBytes(recordingId), signed]);
}

export function buildTrailer(recordingId: string, fields: TrailerFields, sealKey: KeyObject): Buffer {
  const trailer = Buffer.alloc(TRAILER_BYTES);
  trailer.writeUInt8(RECORD_TRAILER, 0);
  trailer.writeUInt8(OUTCOME_CODES[fields.outcome], 1);
  trailer.writeUInt32BE(fields.chunkCount, 4);
  trailer.writeBigUInt64BE(BigInt(fields.sampleCount), 8);
  trailer.writeBigUInt64BE(BigInt(fields.sealedAtMs), 16);
  fields.contentHash.copy(trailer, 24);
  const signature = sign(null, sealMessage(recordingId, trailer.subarray(0, TRAILER_SIGNED_BYTES)), sealKey);
  signature.copy(trailer, TRAILER_SIGNED_BYTES);
  END_MAGIC.copy(trailer, TRAILER_BYTES - END_MAGIC.length);
  return trailer;
}

export interface ParsedTrailer extends TrailerFields {
  bytes: Buffer;
}

export function parseTrailer(bytes: Buffer): ParsedTrailer {
  if (bytes.length !== TRAILER_BYTES || !bytes.subarray(TRAILER_BYTES - END_MAGIC.length).equals(END_MAGIC)) {
    throw new FormatError('TRUNCATED', 'no trailer at the end of the file (truncated or never sealed)');
  }
  if (bytes.readUInt8(0) !== RECORD_TRAILER || bytes.readUInt16BE(2) !== 0) throw new FormatError('STRUCTURE_CORRUPT', 'trailer malformed');
  const outcomeCode = bytes.readUInt8(1);
  const outcome = (Object.keys(OUTCOME_CODES) as RecordingOutcome[]).find((key) => OUTCOME_CODES[key] === outcomeCode);
  if (outcome === undefined) throw new FormatError('STRUCTURE_CORRUPT', 'trailer has an unknown outcome');
  return {
    outcome,
    chunkCount: bytes.readUInt32BE(4),
    sampleCount: Number(bytes.readBigUInt64BE(8)),
    sealedAtMs: Number(bytes.readBigUInt64BE(16)),
    contentHash: Buffer.from(bytes.subarray(24, 56)),
    bytes,
  };
}

export function trailerSignatureValid(recordingId: string, trailer: Buffer, sealPublicKey: KeyObject): boolean {
  return verify(
    null,
    sealMessage(recordingId, trailer.subarray(0, TRAILER_SIGNED_BYTES)),
    sealPublicKey,
    trailer.subarray(TRAILER_SIGNED_BYTES, TRAILER_SIGNED_BYTES + 64),
  );
}

/** Absolute gap from its stored form. */
export function toGap(stored: StoredGap, startTick: number): Gap {
  return {
    tickFrom: startTick + stored.fromOffset,
    tickTo: startTick + stored.toOffset,
    startSample: stored.fromOffset * SAMPLES_PER_TICK,
    endSample: stored.toOffset * SAMPLES_PER_TICK,
    cause: stored.cause,
  };
}

export function samplesToMs(samples: number): number {
  return samples / SAMPLES_PER_MS;
}

/**
 * Sequential reader over a byte range of a file in large blocks (few syscalls for a long file).
 * read(n) returns up to n bytes; fewer only at the end of the range.
 */
export class BlockReader {
  private buffer = Buffer.alloc(0);
  private bufferStart: number;

  constructor(
    private readonly handle: FileHandle,
    private pos: number,
    private readonly end: number,
    private readonly blockBytes = 1 << 20,
  ) {
    this.bufferStart = pos;
  }

  get position(): number {
    return this.pos;
  }

  async read(n: number): Promise<Buffer> {
    const want = Math.min(n, this.end - this.pos);
    if (want <= 0) return Buffer.alloc(0);
    let available = this.bufferStart + this.buffer.length - this.pos;
    if (available < want) {
      const keep = this.buffer.subarray(this.pos - this.bufferStart);
      const fetch = Math.min(Math.max(this.blockBytes, want - available), this.end - (this.pos + available));
      const block = Buffer.allocUnsafe(fetch);
      let got = 0;
      while (got < fetch) {
        const { bytesRead } = await this.handle.read(block, got, fetch - got, this.pos + available + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      this.buffer = Buffer.concat([keep, block.subarray(0, got)]);
      this.bufferStart = this.pos;
      available = this.buffer.length;
    }
    const start = this.pos - this.bufferStart;
    const out = this.buffer.subarray(start, start + Math.min(want, available));
    this.pos += out.length;
    return out;
  }
}

/**
 * readAt without the trip through libuv's thread pool, for the few chunks under a player's seek:
 * from the page cache it costs microseconds where the pool's round trip costs a few hundred
 * under load. The caller bounds `length`, so that a read the cache cannot answer holds the event
 * loop for one small disk read at most.
 */
export function readAtSync(handle: FileHandle, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const bytesRead = readSync(handle.fd, buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}
