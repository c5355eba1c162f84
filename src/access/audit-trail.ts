/**
 * The audit trail: append-only JSON-lines segments (one per UTC month) under <dataDir>/audit/,
 * hash-chained across segments (audit-entry.ts), with Ed25519-signed checkpoints every N entries
 * and a signed head (the last seq and hash) rewritten after every commit, so cutting entries off
 * the end is detected too. Appends that arrive together are committed together: one write, one
 * fdatasync, one head. An append resolves only when its entry is on disk; if that fails the
 * caller gets AUDIT_UNAVAILABLE and must refuse the request (fail closed).
 *
 * The trail holds ids and pseudonyms only, no personal data in clear, so it is plain text that an
 * auditor can read; retention drops whole months and leaves a signed anchor to verify from.
 */
import { open, readdir, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError, errnoCode } from '../errors.js';
import { ensureDirectory, removeDurable, writeFileDurable } from '../storage/durable-file.js';
import { entryHash, GENESIS_HASH, signedPosition, type AuditEventInput, type AuditOutcome, type AuditRecord } from './audit-entry.js';

export type AuditVerifyResult = { ok: true; entries: number; lastSeq: number } | { ok: false; entries: number; firstBadSeq: number | null; problem: string };

interface SignedPosition {
  seq: number;
  hash: string;
  time: string;
  keyId: string;
  signature: string;
}

interface CheckpointLine {
  checkpoint: SignedPosition;
}

const SEGMENT = /^audit-(\d{4}-\d{2})\.jsonl$/;
const HEAD_FILE = 'head.json';
const ANCHOR_FILE = 'anchor.json';

export interface AuditSearch {
  fromMs?: number;
  toMs?: number;
  action?: string;
  actorId?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  limit?: number;
  offset?: number;
}

export interface AuditTrailOptions {
  readonly dataDir: string;
  readonly signingKey: { privateKey: KeyObject; publicKey: KeyObject; keyId: string };
  readonly clock: Clock;
  readonly logger: Logger;
  /** Entries older than this are dropped by prune() (default 2 years). */
  readonly retentionDays?: number;
  /** A signed checkpoint every this many entries (default 100). */
  readonly checkpointEvery?: number;
}

export class AuditTrail {
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private entries = 0;
  private pending: Array<{ event: AuditEventInput; resolve: (record: AuditRecord) => void; reject: (err: Error) => void }> = [];
  private flushing: Promise<void> | null = null;
  private handle: { month: string; file: FileHandle } | null = null;
  private lastVerified: AuditVerifyResult | undefined;
  private readonly dir: string;
  private readonly checkpointEvery: number;
  private readonly retentionDays: number;

  private constructor(private readonly options: AuditTrailOptions) {
    this.dir = join(options.dataDir, 'audit');
    this.checkpointEvery = options.checkpointEvery ?? 100;
    this.retentionDays = options.retentionDays ?? 730;
  }

  static async open(options: AuditTrailOptions): Promise<AuditTrail> {
    const trail = new AuditTrail(options);
    await ensureDirectory(trail.dir);
    await trail.loadState();
    return trail;
  }

  /** Verifies the files as they are, changing nothing (for `tallennin audit verify`). */
  static async verifyDirectory(options: AuditTrailOptions): Promise<AuditVerifyResult> {
    return new AuditTrail(options).verifyFiles();
  }

  /** Appends an entry; resolves when it is on disk. */
  append(event: AuditEventInput): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (this.flushing === null) this.flushing = new Promise<void>((done) => setImmediate(() => void this.flush().finally(done)));
    });
  }

  async search(query: AuditSearch): Promise<{ total: number; records: AuditRecord[] }> {
    await this.idle();
    const limit = Math.min(query.limit ?? 100, 1000);
    const offset = query.offset ?? 0;
    const matches: AuditRecord[] = [];
    for (const { records } of await this.readSegments()) {
      for (const record of records) {
        const ms = Date.parse(record.time);
        if (query.fromMs !== undefined && ms < query.fromMs) continue;
        if (query.toMs !== undefined && ms >= query.toMs) continue;
        if (query.action !== undefined && !record.action.startsWith(query.action)) continue;
        if (query.actorId !== undefined && record.actorId !== query.actorId) continue;
        if (query.targetId !== undefined && record.target?.id !== query.targetId) continue;
        if (query.outcome !== undefined && record.outcome !== query.outcome) continue;
        matches.push(record);
      }
    }
    matches.reverse();
    return { total: matches.length, records: matches.slice(offset, offset + limit) };
  }

  /** Checks the whole chain, every checkpoint's and the head's signature, and the anchor. */
  async verify(): Promise<AuditVerifyResult> {
    await this.idle();
    const result = await this.verifyFiles();
    this.lastVerified = result;
    return result;
  }

  status(): { entries: number; lastSeq: number; lastVerified?: AuditVerifyResult } {
    return { entries: this.entries, lastSeq: this.lastSeq, ...(this.lastVerified === undefined ? {} : { lastVerified: this.lastVerified }) };
  }

  /** Drops whole months older than the retention, leaving a signed anchor where the chain goes on. */
  async prune(): Promise<{ removedEntries: number }> {
    await this.idle();
    const cutoff = this.options.clock.now() - this.retentionDays * 24 * 3600_000;
    const current = monthOf(new Date(this.options.clock.now()).toISOString());
    let removed = 0;
    for (const segment of await this.readSegments()) {
      const last = segment.records.at(-1);
      if (segment.month === current || last === undefined || Date.parse(last.time) >= cutoff) break;
      await this.writeSigned(ANCHOR_FILE, last.seq, last.hash, last.time);
      await removeDurable(join(this.dir, `audit-${segment.month}.jsonl`));
      removed += segment.records.length;
      this.entries -= segment.records.length;
    }
    return { removedEntries: removed };
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.lastSeq > 0) {
      await this.appendCheckpointAndHead(true);
    }
    await this.handle?.file.close();
    this.handle = null;
  }

  private async idle(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const savedSeq = this.lastSeq;
    const savedHash = this.lastHash;
    const savedEntries = this.entries;
    try {
      const time = new Date(this.options.clock.now()).toISOString();
      const month = monthOf(time);
      const records: AuditRecord[] = [];
      const lines: string[] = [];
      for (const { event } of batch) {
        const unsigned = { ...event, seq: this.lastSeq + 1, time, prevHash: this.lastHash };
        const record: AuditRecord = { ...unsigned, hash: entryHash(unsigned) };
        records.push(record);
        lines.push(JSON.stringify(record));
        this.lastSeq = record.seq;
        this.lastHash = record.hash;
        this.entries++;
        if (record.seq % this.checkpointEvery === 0) lines.push(JSON.stringify(this.checkpointOf(record.seq, record.hash, time)));
      }
      const file = await this.segmentFile(month);
      await file.appendFile(lines.join('\n') + '\n');
      await file.datasync();
      await this.writeHead(this.lastSeq, this.lastHash, time);
      batch.forEach(({ resolve }, i) => resolve(records[i]!));
    } catch (err) {
      this.lastSeq = savedSeq;
      this.lastHash = savedHash;
      this.entries = savedEntries;
      this.options.logger.error('audit entry not written: refusing the requests that needed it', { error: errnoCode(err) ?? (err instanceof Error ? err.name : 'unknown') });
      // What reached the file (if anything) is re-read before the next append.
      await this.handle?.file.close().catch(() => undefined);
      this.handle = null;
      await this.loadState().catch(() => undefined);
      const failure = new AppError('AUDIT_UNAVAILABLE', 'the audit trail cannot be written: the request is refused', { cause: err });
      for (const { reject } of batch) reject(failure);
    } finally {
      this.flushing = this.pending.length > 0 ? new Promise<void>((done) => setImmediate(() => void this.flush().finally(done))) : null;
    }
  }

  private async segmentFile(month: string): Promise<FileHandle> {
    if (this.handle?.month === month) return this.handle.file;
    await this.handle?.file.close();
    const file = await open(join(this.dir, `audit-${month}.jsonl`), 'a', 0o600);
    this.handle = { month, file };
    return file;
  }

  private checkpointOf(seq: number, hash: string, time: string): CheckpointLine {
    return { checkpoint: this.signPosition(seq, hash, time) };
  }

  private signPosition(seq: number, hash: string, time: string): SignedPosition {
    const signature = sign(null, signedPosition(seq, hash, time), this.options.signingKey.privateKey).toString('base64');
    return { seq, hash, time, keyId: this.options.signingKey.keyId, signature };
  }

  private async writeSigned(name: string, seq: number, hash: string, time: string): Promise<void> {
    await writeFileDurable(join(this.dir, name), JSON.stringify(this.signPosition(seq, hash, time)));
  }

  /**
   * The head after every commit: replaced atomically (temp file, rename) but not fsync'd. The
   * entries themselves are fdatasync'd before anyone is answered; a head that a power cut left
   * behind or torn only lags the chain, and open() signs a new one at the last whole entry. A
   * head that is ahead of the chain (entries cut off) is what verify() reports.
   */
  private async writeHead(seq: number, hash: string, time: string): Promise<void> {
    const temp = join(this.dir, `${HEAD_FILE}.next`);
    await writeFile(temp, JSON.stringify(this.signPosition(seq, hash, time)), { mode: 0o600 });
    await rename(temp, join(this.dir, HEAD_FILE));
  }

  private async appendCheckpointAndHead(checkpoint: boolean): Promise<void> {
    const time = new Date(this.options.clock.now()).toISOString();
    if (checkpoint) {
      const file = await this.segmentFile(monthOf(time));
      await file.appendFile(JSON.stringify(this.checkpointOf(this.lastSeq, this.lastHash, time)) + '\n');
      await file.datasync();
    }
    await this.writeSigned(HEAD_FILE, this.lastSeq, this.lastHash, time);
  }

  /**
   * Reads the chain's end from disk. A torn last line (a crash mid-write) is moved aside, kept and
   * reported; the head is then re-signed at the last whole entry, since those entries were
   * written by this service before the crash.
   */
  private async loadState(): Promise<void> {
    const anchor = await this.readSigned(ANCHOR_FILE);
    this.lastSeq = anchor?.seq ?? 0;
    this.lastHash = anchor?.hash ?? GENESIS_HASH;
    this.entries = 0;
    const segments = await this.segmentNames();
    for (const [index, name] of segments.entries()) {
      const text = await readFile(join(this.dir, name), 'utf8');
      const lines = text.split('\n');
      const tail = lines.pop();
      if (tail !== undefined && tail !== '' && index === segments.length - 1) {
        const quarantined = join(this.dir, `${name}.torn-${Date.now()}`);
        await writeFileDurable(quarantined, tail);
        await writeFileDurable(join(this.dir, `${name}.tmp-repair`), lines.length > 0 ? lines.join('\n') + '\n' : '');
        await rename(join(this.dir, `${name}.tmp-repair`), join(this.dir, name));
        this.options.logger.error('audit trail: a torn last line (crash mid-write) was moved aside', { file: quarantined });
      }
      for (const line of lines) {
        if (line === '') continue;
        const parsed = JSON.parse(line) as AuditRecord | CheckpointLine;
        if ('checkpoint' in parsed) continue;
        this.lastSeq = parsed.seq;
        this.lastHash = parsed.hash;
        this.entries++;
      }
    }
    const head = await this.readSigned(HEAD_FILE);
    if (this.lastSeq > 0 && (head === undefined || head.seq < this.lastSeq)) {
      await this.writeSigned(HEAD_FILE, this.lastSeq, this.lastHash, new Date(this.options.clock.now()).toISOString());
    }
  }

  private async verifyFiles(): Promise<AuditVerifyResult> {
    const publicKey = this.options.signingKey.publicKey;
    const checkSignature = (position: SignedPosition): boolean => {
      try {
        return verifySignature(null, signedPosition(position.seq, position.hash, position.time), publicKey, Buffer.from(position.signature, 'base64'));
      } catch {
        return false;
      }
    };
    const anchor = await this.readSigned(ANCHOR_FILE);
    if (anchor !== undefined && !checkSignature(anchor)) return { ok: false, entries: 0, firstBadSeq: null, problem: 'the retention anchor’s signature is not valid' };
    let expectedSeq = (anchor?.seq ?? 0) + 1;
    let prevHash = anchor?.hash ?? GENESIS_HASH;
    let entries = 0;
    const hashes = new Map<number, string>();
    for (const name of await this.segmentNames()) {
      const lines = (await readFile(join(this.dir, name), 'utf8')).split('\n');
      if (lines.at(-1) !== '') return { ok: false, entries, firstBadSeq: expectedSeq, problem: `${name} ends in a partial line` };
      for (const line of lines.slice(0, -1)) {
        let parsed: AuditRecord | CheckpointLine;
        try {
          parsed = JSON.parse(line) as AuditRecord | CheckpointLine;
        } catch {
          return { ok: false, entries, firstBadSeq: expectedSeq, problem: `entry ${expectedSeq}: not valid JSON` };
        }
        if ('checkpoint' in parsed) {
          const cp = parsed.checkpoint;
          if (!checkSignature(cp) || hashes.get(cp.seq) !== cp.hash) return { ok: false, entries, firstBadSeq: cp.seq, problem: `checkpoint at entry ${cp.seq} does not match the chain or its signature` };
          continue;
        }
        const { hash, ...unsigned } = parsed;
        if (parsed.seq !== expectedSeq) {
          return { ok: false, entries, firstBadSeq: expectedSeq, problem: `entry ${expectedSeq} is missing or out of order (found ${String(parsed.seq)})` };
        }
        if (parsed.prevHash !== prevHash) return { ok: false, entries, firstBadSeq: parsed.seq, problem: `entry ${parsed.seq} does not follow the entry before it` };
        if (entryHash(unsigned) !== hash) return { ok: false, entries, firstBadSeq: parsed.seq, problem: `entry ${parsed.seq} was changed after it was written` };
        hashes.set(parsed.seq, hash);
        prevHash = hash;
        expectedSeq++;
        entries++;
      }
    }
    const lastSeq = expectedSeq - 1;
    const head = await this.readSigned(HEAD_FILE);
    if (head === undefined) {
      if (lastSeq > (anchor?.seq ?? 0)) return { ok: false, entries, firstBadSeq: null, problem: 'the signed head is missing' };
    } else {
      if (!checkSignature(head)) return { ok: false, entries, firstBadSeq: null, problem: 'the signed head’s signature is not valid' };
      if (head.seq > lastSeq) return { ok: false, entries, firstBadSeq: lastSeq + 1, problem: `entries ${lastSeq + 1}-${head.seq} were cut off the end` };
      if (hashes.has(head.seq) && hashes.get(head.seq) !== head.hash) return { ok: false, entries, firstBadSeq: head.seq, problem: `entry ${head.seq} differs from the signed head` };
    }
    return { ok: true, entries, lastSeq };
  }

  private async readSegments(): Promise<Array<{ month: string; records: AuditRecord[] }>> {
    const segments: Array<{ month: string; records: AuditRecord[] }> = [];
    for (const name of await this.segmentNames()) {
      const records: AuditRecord[] = [];
      for (const line of (await readFile(join(this.dir, name), 'utf8')).split('\n')) {
        if (line === '') continue;
        try {
          const parsed = JSON.parse(line) as AuditRecord | CheckpointLine;
          if (!('checkpoint' in parsed)) records.push(parsed);
        } catch {
          // A damaged line is verify()'s to report; search shows what can be read.
        }
      }
      segments.push({ month: SEGMENT.exec(name)![1]!, records });
    }
    return segments;
  }

  private async segmentNames(): Promise<string[]> {
    return (await readdir(this.dir)).filter((name) => SEGMENT.test(name)).sort();
  }

  private async readSigned(name: string): Promise<SignedPosition | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir, name), 'utf8')) as SignedPosition;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      if (err instanceof SyntaxError) return { seq: -1, hash: '', time: '', keyId: '', signature: '' };
      throw err;
    }
  }
}

function monthOf(isoTime: string): string {
  return isoTime.slice(0, 7);
}
