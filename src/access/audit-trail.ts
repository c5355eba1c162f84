/**
 * The audit trail: append-only JSON-lines segments (one per UTC month) under <dataDir>/audit/,
 * hash-chained across segments (audit-entry.ts), with Ed25519-signed checkpoints every N entries
 * and a signed head (the last seq and hash, and the number of checkpoint lines so far) rewritten
 * by every commit, so cutting entries or checkpoints off the end is detected too.
 *
 * Each entry is written to its segment synchronously when it is appended, so the chain's order
 * is the file's order. A commit loop then fdatasyncs what was written and signs a new head;
 * entries written while one commit runs share the next (group commit). An append resolves when
 * its entry is committed (or, for `written`, when it is in the file); if either fails the caller
 * gets AUDIT_UNAVAILABLE and must refuse the request (fail closed).
 *
 * The trail holds ids and pseudonyms only, no personal data in clear, so it is plain text that an
 * auditor can read; retention drops whole months and leaves a signed anchor to verify from.
 */
import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { AppError, errnoCode } from '../errors.js';
import { ensureDirectory, fsyncDirectory, removeDurable, writeFileDurable } from '../storage/durable-file.js';
import { entryHash, GENESIS_HASH, signedPosition, type AuditEventInput, type AuditOutcome, type AuditRecord } from './audit-entry.js';

/** `empty`: there is no trail at all yet (no audit directory, or nothing in it): nothing to check. */
export type AuditVerifyResult =
  | { ok: true; entries: number; lastSeq: number; empty?: true }
  | { ok: false; entries: number; firstBadSeq: number | null; problem: string };

interface SignedPosition {
  seq: number;
  hash: string;
  time: string;
  /**
   * Checkpoint lines written up to this position (a checkpoint line counts itself). Absent in
   * positions signed before the count existed (signature version 1).
   */
  checkpoints?: number;
  keyId: string;
  signature: string;
}

interface CheckpointLine {
  checkpoint: SignedPosition;
}

const SEGMENT = /^audit-(\d{4}-\d{2})\.jsonl$/;
const HEAD_FILE = 'head.json';
/** Held by the one process that writes the trail (docs/audit-trail.md, "One writer"). */
const WRITER_LOCK_FILE = 'writer.lock';
const ANCHOR_FILE = 'anchor.json';
/**
 * Entries written without anyone waiting are committed (fdatasync and a signed head) at most
 * this much later. Not sooner: under a player's seeks a commit every few milliseconds held the
 * segment's pages under writeback and cost each next range more than all its other work.
 */
const WRITTEN_COMMIT_DELAY_MS = 250;

/** The actions that read the trail itself. */
const TRAIL_READS: ReadonlySet<string> = new Set(['audit.search', 'audit.verify']);

export interface AuditSearch {
  fromMs?: number;
  toMs?: number;
  action?: string;
  actorId?: string;
  /** Entries of any of these actors (the people a name search found); empty finds nothing. */
  actorIds?: ReadonlySet<string>;
  /** Leaves out this actor's own reading of the trail (audit.search, audit.verify): a registrar's visits. */
  hideReadsBy?: string;
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
  /** Told once per fault, with the error code: access is refused until the trail recovers. */
  readonly onFault?: (code: string) => void;
  /**
   * The folder under dataDir (default `audit`). The door events are a log of their own with the
   * same chain and signatures (src/doors/door-event-log.ts), in `door-events`.
   */
  readonly directory?: string;
}

/** Adds to an entry before it is chained (door presence on hands-on actions); must be synchronous. */
export type AuditAnnotator = (event: AuditEventInput) => AuditEventInput;

/**
 * How far an append must get before it resolves. `synced`: its entry is fdatasync'd and covered
 * by the signed head (the default, and what every access decision waits for). `written`: its
 * entry is in the segment file (ordered in the chain, in the page cache) and is committed by
 * a group commit at most 250 ms later. Only what lets nothing new out uses it: the later parts
 * of a playback whose opening entry was `synced`, and refused sign-ins (docs/audit-trail.md,
 * "Durability").
 */
export type AuditDurability = 'synced' | 'written';

/** Someone waiting for the commit that covers entry `seq`: told null when it is done, or why not. */
interface SyncWaiter {
  readonly seq: number;
  readonly done: (failure: AppError | null) => void;
}

export class AuditTrail {
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private entries = 0;
  /** Checkpoint lines written so far (since the trail began): signed into every head. */
  private checkpoints = 0;
  /** The last entry known to be fdatasync'd and covered by the signed head. */
  private syncedSeq = 0;
  private segment: { month: string; fd: number } | null = null;
  /** Segments of earlier months: synced once more by the next commit, then closed. */
  private retired: Array<{ month: string; fd: number }> = [];
  private directoryDirty = false;
  private waiters: SyncWaiter[] = [];
  private syncing: Promise<void> | null = null;
  private commitTimer: NodeJS.Timeout | null = null;
  private closing = false;
  /** Set when a write or a sync failed: the next append re-reads the chain from disk first. */
  private fault: Error | null = null;
  private recovering: Promise<void> | null = null;
  private lastVerified: AuditVerifyResult | undefined;
  private annotator: AuditAnnotator | undefined;
  private readonly dir: string;
  private readonly checkpointEvery: number;
  private readonly retentionDays: number;

  private constructor(private readonly options: AuditTrailOptions) {
    this.dir = join(options.dataDir, options.directory ?? 'audit');
    this.checkpointEvery = options.checkpointEvery ?? 100;
    this.retentionDays = options.retentionDays ?? 730;
  }

  static async open(options: AuditTrailOptions): Promise<AuditTrail> {
    const trail = new AuditTrail(options);
    await ensureDirectory(trail.dir);
    await acquireWriterLock(join(trail.dir, WRITER_LOCK_FILE));
    await trail.loadState();
    trail.syncedSeq = trail.lastSeq;
    return trail;
  }

  /** Verifies the files as they are, changing nothing (for `tallennin audit verify`). */
  static async verifyDirectory(options: AuditTrailOptions): Promise<AuditVerifyResult> {
    return new AuditTrail(options).verifyFiles();
  }

  /**
   * Every entry as the files hold it, oldest first, without taking the writer lock: for an
   * offline report while the service may run (`tallennin register`). No trail yet: none.
   */
  static async readDirectory(options: AuditTrailOptions): Promise<AuditRecord[]> {
    try {
      return (await new AuditTrail(options).readSegments()).flatMap((segment) => segment.records);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
  }

  /**
   * Appends an entry. The write itself is synchronous, so the order of the chain is the order of
   * the file whatever the callers do in between; entries that arrive while a commit runs share
   * the next one (group commit). Rejects with AUDIT_UNAVAILABLE when the entry cannot be
   * written or synced: the caller must then refuse the request (fail closed).
   */
  async append(event: AuditEventInput, durability: AuditDurability = 'synced'): Promise<AuditRecord> {
    if (this.closing) throw unavailable(new Error('the audit trail is closed'));
    while (this.fault !== null) await this.recover();
    const record = this.writeEntry(event);
    // The waiter goes in before the commit starts: the commit decides by it whether to sign a head.
    const committed = durability === 'written' ? undefined : this.committed(record.seq);
    this.requestSync();
    if (committed !== undefined) await committed;
    return record;
  }

  /** Sets the one annotator every later entry passes through before it is chained. */
  annotate(annotator: AuditAnnotator | undefined): void {
    this.annotator = annotator;
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
        if (query.actorIds !== undefined && (record.actorId === null || !query.actorIds.has(record.actorId))) continue;
        if (query.hideReadsBy !== undefined && record.actorId === query.hideReadsBy && TRAIL_READS.has(record.action)) continue;
        if (query.targetId !== undefined && record.target?.id !== query.targetId) continue;
        if (query.outcome !== undefined && record.outcome !== query.outcome) continue;
        matches.push(record);
      }
    }
    matches.reverse();
    return { total: matches.length, records: matches.slice(offset, offset + limit) };
  }

  /** Every entry, oldest first (a log that rebuilds its state at start: the door events). */
  async records(): Promise<AuditRecord[]> {
    await this.idle();
    return (await this.readSegments()).flatMap((segment) => segment.records);
  }

  /** Checks the whole chain, every checkpoint's and the head's signature, and the anchor. */
  async verify(): Promise<AuditVerifyResult> {
    await this.idle();
    const result = await this.verifyFiles();
    this.lastVerified = result;
    return result;
  }

  /** The last entry fdatasync'd and covered by the signed head. */
  get committedSeq(): number {
    return this.syncedSeq;
  }

  status(): { entries: number; lastSeq: number; lastVerified?: AuditVerifyResult } {
    return { entries: this.entries, lastSeq: this.lastSeq, ...(this.lastVerified === undefined ? {} : { lastVerified: this.lastVerified }) };
  }

  /** Drops whole months older than the retention, leaving a signed anchor where the chain goes on. */
  async prune(retentionDays = this.retentionDays): Promise<{ removedEntries: number }> {
    await this.idle();
    const cutoff = this.options.clock.now() - retentionDays * 24 * 3600_000;
    const current = monthOf(new Date(this.options.clock.now()).toISOString());
    let removed = 0;
    // The remaining chain's first checkpoint must follow the anchor's count.
    let anchorCheckpoints = (await this.readSigned(ANCHOR_FILE))?.checkpoints ?? 0;
    for (const segment of await this.readSegments()) {
      const last = segment.records.at(-1);
      if (segment.month === current || last === undefined || Date.parse(last.time) >= cutoff) break;
      anchorCheckpoints = segment.checkpoints ?? anchorCheckpoints;
      await this.writeSigned(ANCHOR_FILE, last.seq, last.hash, last.time, anchorCheckpoints);
      await removeDurable(join(this.dir, `audit-${segment.month}.jsonl`));
      removed += segment.records.length;
      this.entries -= segment.records.length;
    }
    return { removedEntries: removed };
  }

  /**
   * Refuses further appends, commits what is written, adds a closing checkpoint and head, and
   * closes the segment. An append still waiting then is refused, never left hanging.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle();
    while (this.syncing !== null) await this.syncing.catch(() => undefined);
    if (this.commitTimer !== null) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    if (this.lastSeq > 0 && this.fault === null && this.segment !== null) {
      const seq = this.lastSeq;
      const hash = this.lastHash;
      const time = new Date(this.options.clock.now()).toISOString();
      const fd = this.segmentFd(monthOf(time));
      writeFully(fd, Buffer.from(JSON.stringify(this.checkpointOf(seq, hash, time, this.checkpoints + 1)) + '\n'));
      this.checkpoints++;
      await fdatasyncAsync(fd);
      await this.writeSigned(HEAD_FILE, seq, hash, time, this.checkpoints);
    }
    this.settle(Infinity, unavailable(new Error('the audit trail is closed')));
    this.closeFiles();
    await releaseWriterLock(join(this.dir, WRITER_LOCK_FILE));
  }

  /**
   * Resolves when everything written before the call is committed (or a fault stopped that):
   * not when appends stop arriving, which under a flood of refused sign-ins may be never.
   */
  async idle(): Promise<void> {
    while (this.recovering !== null) await this.recovering.catch(() => undefined);
    if (this.fault !== null || this.syncedSeq >= this.lastSeq || this.segment === null) return;
    const covered = this.committed(this.lastSeq).catch(() => undefined);
    if (this.commitTimer !== null) {
      clearTimeout(this.commitTimer);
      this.commitTimer = null;
    }
    this.startSync();
    await covered;
  }

  /** Resolves when the commit covering entry `seq` is done; rejects with AUDIT_UNAVAILABLE if it fails. */
  private committed(seq: number): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ seq, done: (failure) => (failure === null ? resolve() : reject(failure)) }));
  }

  /** Chains and writes one entry (and a checkpoint line when one is due) in a single write. */
  private writeEntry(input: AuditEventInput): AuditRecord {
    const event = this.annotator === undefined ? input : this.annotator(input);
    const time = new Date(this.options.clock.now()).toISOString();
    const unsigned = { ...event, seq: this.lastSeq + 1, time, prevHash: this.lastHash };
    const record: AuditRecord = { ...unsigned, hash: entryHash(unsigned) };
    let text = JSON.stringify(record) + '\n';
    const checkpoint = record.seq % this.checkpointEvery === 0;
    if (checkpoint) text += JSON.stringify(this.checkpointOf(record.seq, record.hash, time, this.checkpoints + 1)) + '\n';
    try {
      writeFully(this.segmentFd(monthOf(time)), Buffer.from(text));
    } catch (err) {
      throw this.markFault(err);
    }
    if (checkpoint) this.checkpoints++;
    this.lastSeq = record.seq;
    this.lastHash = record.hash;
    this.entries++;
    return record;
  }

  private segmentFd(month: string): number {
    if (this.segment?.month === month) return this.segment.fd;
    const fd = openSync(join(this.dir, `audit-${month}.jsonl`), 'a', 0o600);
    if (this.segment !== null) this.retired.push(this.segment);
    this.segment = { month, fd };
    this.directoryDirty = true;
    return fd;
  }

  private requestSync(): void {
    if (this.syncing !== null) return;
    if (this.waiters.length === 0) {
      // Only entries nobody waits for: one commit for all that arrive within the delay, rather
      // than an fdatasync, a journal commit and a signature for every range a player fetches.
      this.commitTimer ??= setTimeout(() => {
        this.commitTimer = null;
        if (this.commitPending()) this.startSync();
      }, WRITTEN_COMMIT_DELAY_MS);
      return;
    }
    this.startSync();
  }

  private startSync(): void {
    if (this.syncing !== null) return;
    this.syncing = this.syncLoop().finally(() => {
      this.syncing = null;
      // An entry written between the loop's last check and this point still needs its commit.
      if (this.commitPending()) this.requestSync();
    });
  }

  private commitPending(): boolean {
    return this.fault === null && this.segment !== null && this.syncedSeq < this.lastSeq;
  }

  /**
   * The group commit: fdatasync of everything written so far, then a new signed head. It goes
   * on while appends wait for a later commit; entries nobody waits for are left to the commit
   * timer, so that a player's seeks share one commit instead of costing one each.
   */
  private async syncLoop(): Promise<void> {
    let first = true;
    while (this.commitPending() && this.segment !== null && (first || this.waiters.length > 0)) {
      first = false;
      const seq = this.lastSeq;
      const hash = this.lastHash;
      const checkpoints = this.checkpoints;
      const retired = this.retired.splice(0);
      try {
        for (const { fd } of [...retired, this.segment]) await fdatasyncAsync(fd);
        if (this.directoryDirty) {
          this.directoryDirty = false;
          await fsyncDirectory(this.dir);
        }
        await this.writeHead(seq, hash, new Date(this.options.clock.now()).toISOString(), checkpoints);
      } catch (err) {
        // Still open: closeFiles() closes them, once, when the fault is recovered from.
        this.retired.unshift(...retired);
        this.markFault(err);
        break;
      }
      // Closed only now that nothing can put them back in `retired`: a number closed twice
      // could by then belong to another file of the service.
      for (const { fd } of retired) closeSync(fd);
      this.syncedSeq = seq;
      this.settle(seq, null);
    }
    if (this.fault !== null) this.settle(Infinity, unavailable(this.fault));
  }

  /** Tells every waiter for an entry up to `seq` that its commit is done (failure null) or failed. */
  private settle(seq: number, failure: AppError | null): void {
    const still: SyncWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.seq <= seq) waiter.done(failure);
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private markFault(err: unknown): AppError {
    if (this.fault === null) {
      const code = errnoCode(err) ?? (err instanceof Error ? err.name : 'unknown');
      this.options.logger.error('audit entry not written: refusing the requests that needed it', { error: code });
      this.options.onFault?.(code);
    }
    this.fault = err instanceof Error ? err : new Error(String(err));
    return unavailable(err);
  }

  /**
   * After a fault: waits for the commit in flight, closes the files, re-reads the chain's end
   * from disk (loadState: a torn line moved aside, what the head did not cover written afresh),
   * and commits it. Until that works every append is refused.
   */
  private recover(): Promise<void> {
    this.recovering ??= (async () => {
      try {
        while (this.syncing !== null) await this.syncing;
        this.closeFiles();
        await this.loadState();
        const last = (await this.segmentNames()).at(-1);
        if (last !== undefined) await fdatasyncAsync(this.segmentFd(SEGMENT.exec(last)![1]!));
        // The same head write every commit makes: recovered only when commits can work again.
        if (this.lastSeq > 0) await this.writeHead(this.lastSeq, this.lastHash, new Date(this.options.clock.now()).toISOString(), this.checkpoints);
        this.syncedSeq = this.lastSeq;
        this.fault = null;
      } catch (err) {
        this.closeFiles();
        throw this.markFault(err);
      } finally {
        this.recovering = null;
      }
    })();
    return this.recovering;
  }

  private closeFiles(): void {
    for (const { fd } of [...this.retired, ...(this.segment === null ? [] : [this.segment])]) {
      try {
        closeSync(fd);
      } catch {
        // Already unusable: the fault that got us here is what is reported.
      }
    }
    this.retired = [];
    this.segment = null;
  }

  private checkpointOf(seq: number, hash: string, time: string, checkpoints: number): CheckpointLine {
    return { checkpoint: this.signPosition(seq, hash, time, checkpoints) };
  }

  private signPosition(seq: number, hash: string, time: string, checkpoints: number): SignedPosition {
    const signature = sign(null, signedPosition(seq, hash, time, checkpoints), this.options.signingKey.privateKey).toString('base64');
    return { seq, hash, time, checkpoints, keyId: this.options.signingKey.keyId, signature };
  }

  private async writeSigned(name: string, seq: number, hash: string, time: string, checkpoints: number): Promise<void> {
    await writeFileDurable(join(this.dir, name), JSON.stringify(this.signPosition(seq, hash, time, checkpoints)));
  }

  /**
   * The head after every commit: replaced atomically (temp file, rename) but not fsync'd. The
   * entries themselves are fdatasync'd before anyone is answered; a head that a power cut left
   * behind or torn only lags the chain, and open() signs a new one at the last whole entry. A
   * head that is ahead of the chain (entries cut off) is what verify() reports.
   */
  private async writeHead(seq: number, hash: string, time: string, checkpoints: number): Promise<void> {
    const temp = join(this.dir, `${HEAD_FILE}.next`);
    await writeFile(temp, JSON.stringify(this.signPosition(seq, hash, time, checkpoints)), { mode: 0o600 });
    await rename(temp, join(this.dir, HEAD_FILE));
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
    const head = await this.readSigned(HEAD_FILE);
    const covered = head?.seq ?? anchor?.seq ?? 0;
    // Never below what a signed head or the anchor already counted: checkpoints cut off the end
    // then leave a gap in the numbering that verify() keeps reporting, instead of being replaced.
    let checkpoints = Math.max(head?.checkpoints ?? 0, anchor?.checkpoints ?? 0);
    const segments = await this.segmentNames();
    for (const [index, name] of segments.entries()) {
      const path = join(this.dir, name);
      const text = await readFile(path, 'utf8');
      const lines = text.split('\n');
      const tail = lines.pop();
      const torn = tail !== undefined && tail !== '' && index === segments.length - 1;
      let pastHead = false;
      for (const line of lines) {
        if (line === '') continue;
        const parsed = JSON.parse(line) as AuditRecord | CheckpointLine;
        if ('checkpoint' in parsed) {
          checkpoints = Math.max(checkpoints, parsed.checkpoint.checkpoints ?? 0);
          continue;
        }
        this.lastSeq = parsed.seq;
        this.lastHash = parsed.hash;
        this.entries++;
        pastHead ||= parsed.seq > covered;
      }
      if (torn) {
        const quarantined = `${path}.torn-${Date.now()}`;
        await writeFileDurable(quarantined, tail);
        this.options.logger.error('audit trail: a torn last line (crash mid-write) was moved aside', { file: quarantined });
      }
      // Entries past the head were never confirmed committed. After a failed fdatasync the
      // kernel may have marked their pages clean unwritten, and a new descriptor's fdatasync
      // would not say so: only a segment written afresh and synced surely holds what the new
      // head is about to cover (after a crash or a power cut too, where it costs one copy).
      if (torn || pastHead) await writeFileDurable(path, lines.length > 0 ? lines.join('\n') + '\n' : '');
    }
    this.checkpoints = checkpoints;
    if (this.lastSeq > covered) await this.writeSigned(HEAD_FILE, this.lastSeq, this.lastHash, new Date(this.options.clock.now()).toISOString(), this.checkpoints);
  }


  private async verifyFiles(): Promise<AuditVerifyResult> {
    const publicKey = this.options.signingKey.publicKey;
    const checkSignature = (position: SignedPosition): boolean => {
      try {
        return verifySignature(null, signedPosition(position.seq, position.hash, position.time, position.checkpoints), publicKey, Buffer.from(position.signature, 'base64'));
      } catch {
        return false;
      }
    };
    let segments: string[];
    try {
      segments = await this.segmentNames();
    } catch (err) {
      // A data directory the service never started in: an empty trail, not a failure.
      if (errnoCode(err) === 'ENOENT') return { ok: true, entries: 0, lastSeq: 0, empty: true };
      throw err;
    }
    const anchor = await this.readSigned(ANCHOR_FILE);
    if (anchor !== undefined && !checkSignature(anchor)) return { ok: false, entries: 0, firstBadSeq: null, problem: 'the retention anchor’s signature is not valid' };
    let expectedSeq = (anchor?.seq ?? 0) + 1;
    let prevHash = anchor?.hash ?? GENESIS_HASH;
    let entries = 0;
    const hashes = new Map<number, string>();
    // Checkpoint lines are numbered 1, 2, 3... from the start of the trail; the anchor says where
    // the remaining ones go on. Lines signed before the numbering existed are not counted.
    let checkpoints: number | undefined = anchor === undefined ? 0 : anchor.checkpoints;
    for (const name of segments) {
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
          if (cp.checkpoints !== undefined) {
            if (checkpoints !== undefined && cp.checkpoints !== checkpoints + 1) {
              return { ok: false, entries, firstBadSeq: cp.seq, problem: `checkpoint ${checkpoints + 1} is missing before the checkpoint at entry ${cp.seq} (found checkpoint ${cp.checkpoints})` };
            }
            checkpoints = cp.checkpoints;
          }
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
    if (segments.length === 0 && head === undefined && anchor === undefined) return { ok: true, entries: 0, lastSeq: 0, empty: true };
    if (head === undefined) {
      if (lastSeq > (anchor?.seq ?? 0)) return { ok: false, entries, firstBadSeq: null, problem: 'the signed head is missing' };
    } else {
      if (!checkSignature(head)) return { ok: false, entries, firstBadSeq: null, problem: 'the signed head’s signature is not valid' };
      if (head.seq > lastSeq) return { ok: false, entries, firstBadSeq: lastSeq + 1, problem: `entries ${lastSeq + 1}-${head.seq} were cut off the end` };
      if (hashes.has(head.seq) && hashes.get(head.seq) !== head.hash) return { ok: false, entries, firstBadSeq: head.seq, problem: `entry ${head.seq} differs from the signed head` };
      if (head.checkpoints !== undefined && (checkpoints ?? 0) < head.checkpoints) {
        return { ok: false, entries, firstBadSeq: head.seq, problem: `checkpoint ${(checkpoints ?? 0) + 1} (up to entry ${head.seq}) was cut off the end` };
      }
    }
    return { ok: true, entries, lastSeq };
  }

  /** Each segment's entries, and the number of its last checkpoint line (when it has a numbered one). */
  private async readSegments(): Promise<Array<{ month: string; records: AuditRecord[]; checkpoints?: number }>> {
    const segments: Array<{ month: string; records: AuditRecord[]; checkpoints?: number }> = [];
    for (const name of await this.segmentNames()) {
      const records: AuditRecord[] = [];
      let checkpoints: number | undefined;
      for (const line of (await readFile(join(this.dir, name), 'utf8')).split('\n')) {
        if (line === '') continue;
        try {
          const parsed = JSON.parse(line) as AuditRecord | CheckpointLine;
          if (!('checkpoint' in parsed)) records.push(parsed);
          else checkpoints = parsed.checkpoint.checkpoints ?? checkpoints;
        } catch {
          // A damaged line is verify()'s to report; search shows what can be read.
        }
      }
      segments.push({ month: SEGMENT.exec(name)![1]!, records, ...(checkpoints === undefined ? {} : { checkpoints }) });
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

const fdatasyncAsync = promisify(fdatasync);

function unavailable(cause: unknown): AppError {
  return new AppError('AUDIT_UNAVAILABLE', 'the audit trail cannot be written: the request is refused', { cause });
}

/** writeSync until every byte is in (a regular file may take a write in parts). */
function writeFully(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * Two processes appending to one trail would both write the same next seq and fork the chain,
 * which verify() would then rightly call tampering. So one process writes it: the service, or
 * an offline command (the purge) while the service is stopped. The lock file names its holder;
 * a holder that is gone (a crash, kill -9) is recognised by its pid and the process's start
 * time (a pid reused by another process does not count) and its lock taken over. A lock held by
 * this very process is an earlier trail object left open (a test's simulated crash): taken over.
 */
async function acquireWriterLock(path: string): Promise<void> {
  const me = { pid: process.pid, start: await processStart(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw unavailable(err);
    }
    const holder = await readLockHolder(path);
    if (holder !== undefined && holder.pid !== process.pid && (await isRunning(holder))) {
      throw new AppError('AUDIT_LOCKED', `the audit trail is in use by another process (pid ${holder.pid}, the service?): stop it first`, {
        details: { pid: holder.pid },
      });
    }
    await rm(path, { force: true });
  }
  throw new AppError('AUDIT_LOCKED', 'the audit trail’s writer lock could not be taken');
}

async function releaseWriterLock(path: string): Promise<void> {
  const holder = await readLockHolder(path);
  if (holder?.pid === process.pid) await rm(path, { force: true });
}

async function readLockHolder(path: string): Promise<{ pid: number; start: string | null } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; start?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return { pid: parsed.pid, start: typeof parsed.start === 'string' ? parsed.start : null };
  } catch {
    // Unreadable or half-written (a crash while taking it): nobody holds it.
    return undefined;
  }
}

async function isRunning(holder: { pid: number; start: string | null }): Promise<boolean> {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return false;
  }
  if (holder.start === null) return true;
  const start = await processStart(holder.pid);
  return start === null || start === holder.start;
}

/** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), with the boot id; null where unknown. */
async function processStart(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootId = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    return `${bootId}:${fields[19] ?? ''}`;
  } catch {
    return null;
  }
}
