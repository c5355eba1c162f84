/**
 * Streaming frame decoder: push the bytes the link delivers, get back the frames with good CRCs.
 *
 * Resynchronisation follows PROTOCOL.md "Receiving": a candidate starts at 0xA5 0x5A; a wrong
 * header CRC, a LENGTH above MAX_PAYLOAD or a wrong frame CRC drops the candidate and the hunt
 * resumes at the byte after the candidate's 0xA5. The claimed length is never skipped, because a
 * corrupt length would otherwise swallow the good frames behind it; corruption costs at most the
 * frame it hits.
 *
 * Buffering: a pushed chunk is scanned in place and frames that lie wholly inside it are returned
 * as views of it (no copy). Only the unfinished candidate at the end of a chunk is carried, in a
 * buffer of its own exact size, so the carried bytes never exceed MAX_FRAME and nothing is
 * re-concatenated per chunk (no O(n^2) growth on a slow trickle of bytes).
 */
import { crc16CcittFalse, crc32 } from './crc.js';
import { type DecodedFrame, FRAME_OVERHEAD_BYTES, HEADER_BYTES, MAX_PAYLOAD, SYNC_BYTE_0, SYNC_BYTE_1, VERSION } from './frame-codec.js';

/** The decoder's counters; the names are those of PROTOCOL.md. */
export interface FrameDecoderStats {
  /** Bytes discarded while hunting for a frame, including the 0xA5 of every rejected candidate. */
  bytesSkipped: number;
  headerCrcErrors: number;
  /** Candidates whose header claimed LENGTH > MAX_PAYLOAD (with a good header CRC). */
  tooLong: number;
  frameCrcErrors: number;
  /** Frames with good CRCs and a VERSION other than 1, skipped whole. */
  unsupportedVersion: number;
  framesDecoded: number;
  /** Times the decoder found a frame again after losing the frame boundaries (bytes skipped). */
  resyncs: number;
}

type HeaderVerdict = 'ok' | 'headerCrc' | 'tooLong';

function checkHeader(buf: Uint8Array, at: number): HeaderVerdict {
  const hcrc = (buf[at + 8] as number) | ((buf[at + 9] as number) << 8);
  if (crc16CcittFalse(buf, at, at + 8) !== hcrc) return 'headerCrc';
  const length = (buf[at + 6] as number) | ((buf[at + 7] as number) << 8);
  return length > MAX_PAYLOAD ? 'tooLong' : 'ok';
}

function payloadLength(buf: Uint8Array, at: number): number {
  return (buf[at + 6] as number) | ((buf[at + 7] as number) << 8);
}

export class FrameDecoder {
  private counters: FrameDecoderStats = FrameDecoder.zero();
  /** The unfinished candidate carried between chunks (null when none). */
  private tail: Buffer | null = null;
  private tailLen = 0;
  /** bytesSkipped when the last whole frame was found: more since then means sync was lost. */
  private skippedAtLastFrame = 0;

  private static zero(): FrameDecoderStats {
    return { bytesSkipped: 0, headerCrcErrors: 0, tooLong: 0, frameCrcErrors: 0, unsupportedVersion: 0, framesDecoded: 0, resyncs: 0 };
  }

  /**
   * Feeds bytes in arrival order; returns the frames completed by them, in order. A frame's
   * payload is a view of `chunk` or of the decoder's carry buffer for that frame; treat it as
   * valid only while handling the frame synchronously.
   */
  push(chunk: Buffer): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    this.feed(chunk, out);
    return out;
  }

  /** Drops a carried partial candidate, e.g. when the port reopens (its rest will never come). */
  reset(): void {
    this.counters.bytesSkipped += this.tailLen;
    this.tail = null;
    this.tailLen = 0;
  }

  /** Bytes held between pushes; never more than MAX_FRAME. */
  get bufferedBytes(): number {
    return this.tailLen;
  }

  stats(): FrameDecoderStats {
    return { ...this.counters };
  }

  private feed(buf: Buffer, out: DecodedFrame[]): void {
    let pos = 0;
    while (pos < buf.length) {
      pos = this.tail === null ? this.scan(buf, pos, out) : this.continueTail(buf, pos, out);
    }
  }

  /** Scans `buf` from `pos` with nothing carried; returns where scanning stopped (buf.length). */
  private scan(buf: Buffer, pos: number, out: DecodedFrame[]): number {
    const c = this.counters;
    const n = buf.length;
    let i = pos;
    while (i < n) {
      const sync = buf.indexOf(SYNC_BYTE_0, i);
      if (sync < 0) {
        c.bytesSkipped += n - i;
        return n;
      }
      c.bytesSkipped += sync - i;
      i = sync;
      if (i + 1 < n && buf[i + 1] !== SYNC_BYTE_1) {
        c.bytesSkipped++;
        i++;
        continue;
      }
      if (n - i < HEADER_BYTES) {
        this.carry(buf, i, n, HEADER_BYTES);
        return n;
      }
      const verdict = checkHeader(buf, i);
      if (verdict !== 'ok') {
        this.reject(verdict);
        i++;
        continue;
      }
      const total = FRAME_OVERHEAD_BYTES + payloadLength(buf, i);
      if (n - i < total) {
        this.carry(buf, i, n, total);
        return n;
      }
      if (this.complete(buf, i, total, out)) {
        i += total;
      } else {
        i++;
      }
    }
    return n;
  }

  /** Moves bytes of `buf` into the carried candidate; returns the position after what it took. */
  private continueTail(buf: Buffer, pos: number, out: DecodedFrame[]): number {
    let tail = this.tail as Buffer;
    let i = pos;
    if (this.tailLen < HEADER_BYTES) {
      if (this.tailLen === 1 && buf[i] !== SYNC_BYTE_1) {
        // A lone 0xA5 at the end of the previous chunk that did not start a frame.
        this.counters.bytesSkipped++;
        this.tail = null;
        this.tailLen = 0;
        return i;
      }
      const take = Math.min(HEADER_BYTES - this.tailLen, buf.length - i);
      buf.copy(tail, this.tailLen, i, i + take);
      this.tailLen += take;
      i += take;
      if (this.tailLen < HEADER_BYTES) return i;
      const verdict = checkHeader(tail, 0);
      if (verdict !== 'ok') {
        this.reject(verdict);
        this.rescanTail(out);
        return i;
      }
      const total = FRAME_OVERHEAD_BYTES + payloadLength(tail, 0);
      const grown = Buffer.allocUnsafe(total);
      tail.copy(grown, 0, 0, HEADER_BYTES);
      this.tail = tail = grown;
    }
    const total = tail.length;
    const take = Math.min(total - this.tailLen, buf.length - i);
    buf.copy(tail, this.tailLen, i, i + take);
    this.tailLen += take;
    i += take;
    if (this.tailLen < total) return i;
    this.tail = null;
    this.tailLen = 0;
    if (!this.complete(tail, 0, total, out)) {
      this.tail = tail;
      this.tailLen = total;
      this.rescanTail(out);
    }
    return i;
  }

  /** Starts carrying the candidate `buf[from, to)` in a buffer of `capacity` (<= MAX_FRAME) bytes. */
  private carry(buf: Buffer, from: number, to: number, capacity: number): void {
    const tail = Buffer.allocUnsafe(capacity);
    buf.copy(tail, 0, from, to);
    this.tail = tail;
    this.tailLen = to - from;
  }

  /** The carried candidate failed: hunt again from the byte after its 0xA5. */
  private rescanTail(out: DecodedFrame[]): void {
    const rest = (this.tail as Buffer).subarray(1, this.tailLen);
    this.tail = null;
    this.tailLen = 0;
    // Nothing is carried now, so this scans `rest` in place and at most leaves a new candidate
    // at its end; the recursion is never deeper than one level.
    this.feed(rest, out);
  }

  private reject(verdict: Exclude<HeaderVerdict, 'ok'>): void {
    if (verdict === 'headerCrc') this.counters.headerCrcErrors++;
    else this.counters.tooLong++;
    this.counters.bytesSkipped++;
  }

  /**
   * Checks the frame CRC of the complete candidate `buf[at, at + total)`; delivers it when good.
   * Returns false when the candidate must be dropped (the caller resumes at at + 1).
   */
  private complete(buf: Buffer, at: number, total: number, out: DecodedFrame[]): boolean {
    const c = this.counters;
    const crcAt = at + total - 4;
    if (crc32(buf.subarray(at, crcAt)) !== buf.readUInt32LE(crcAt)) {
      c.frameCrcErrors++;
      c.bytesSkipped++;
      return false;
    }
    if (c.bytesSkipped > this.skippedAtLastFrame) c.resyncs++;
    this.skippedAtLastFrame = c.bytesSkipped;
    if (buf[at + 2] !== VERSION) {
      c.unsupportedVersion++;
      return true;
    }
    c.framesDecoded++;
    out.push({ type: buf[at + 3] as number, seq: buf.readUInt16LE(at + 4), payload: buf.subarray(at + HEADER_BYTES, crcAt) });
    return true;
  }
}
