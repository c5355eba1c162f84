/**
 * The use cases that show contact records and recordings to a person. Each one asks the policy
 * first (agents see only their own calls, P12) and writes the audit entry before any personal
 * data leaves; if the audit entry cannot be written the request fails (fail closed). A call the
 * viewer may not see is reported exactly like a call that does not exist, and costs the same:
 * both are audited as denied and wait for that entry's commit.
 */
import { AppError, isAppError } from '../errors.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { ContactRecord } from '../history/contact-record.js';
import { normalizePhoneNumber } from '../calls/phone-number.js';
import type { ReaderCache } from '../recording/reader-cache.js';
import type { RecordingReader } from '../recording/recording-reader.js';
import type { WaveformStore } from '../recording/waveform.js';
import type { GapCause } from '../recording/recording-format.js';
import { can, canPlayCall, canSeeCall, type AuthStrength, type Role } from './policy.js';
import type { AuditDurability, AuditTrail } from './audit-trail.js';
import type { AuditPseudonyms } from './audit-pseudonyms.js';

export interface Viewer {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly extensions: readonly string[];
  /** How the viewer's session was signed in: some permissions need the second factor (policy.ts). */
  readonly strength: AuthStrength;
}

export interface CallSearch {
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Caller number in any form; compared in E.164. */
  readonly caller?: string;
  readonly service?: string;
  /** An extension, or part of an agent's name (case-insensitive). */
  readonly agent?: string;
  readonly recordedOnly?: boolean;
  /** Bounds on the call's length, inclusive; calls without an end yet are left out. */
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  /** A tag of the call (notes and tags, call-notes.ts); compared in lower case. */
  readonly tag?: string;
  readonly order: 'asc' | 'desc';
  readonly page: number;
  readonly pageSize: number;
}

export interface CallPage {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly items: readonly ContactRecord[];
}

/** What the player shows of a recording: its seal (checked when it was opened), length, gaps and waveform. */
export interface RecordingView {
  readonly recordingId: string;
  readonly seal: 'verified';
  readonly sealedAt: string;
  readonly outcome: 'completed' | 'interrupted';
  readonly durationMs: number;
  /** Stretches filled with silence because their audio never arrived (lost frames, link breaks). */
  /** Stretches of lost audio and why: 'frames-lost', 'link-lost', 'service-restart', 'bridge-restart'. */
  readonly gaps: ReadonlyArray<{ readonly fromMs: number; readonly toMs: number; readonly cause: GapCause }>;
  readonly peaks: readonly number[];
}

/** Without a range, a search covers the retention period. */
const DEFAULT_SEARCH_DAYS = 93;
/**
 * A playback stays open this long after its last committed entry: the parts a player fetches
 * within it (seeks, the next range) are written before they are sent and committed by a group
 * commit within milliseconds, instead of each waiting for its own fdatasync.
 */
export const PLAYBACK_COMMIT_INTERVAL_MS = 5 * 60_000;
/** Open playbacks remembered at most (least recently committed forgotten first). */
const MAX_OPEN_PLAYBACKS = 1000;

export class CallAccess {
  /** `${userId} ${recordingId}` -> when its last playback entry was committed. */
  private readonly openPlaybacks = new Map<string, number>();

  constructor(
    private readonly deps: {
      readonly history: ContactHistory;
      readonly readers: ReaderCache;
      readonly waveforms: WaveformStore;
      readonly audit: AuditTrail;
      readonly pseudonyms: AuditPseudonyms;
      readonly defaultRegion: string;
      readonly now: () => number;
    },
  ) {}

  async search(viewer: Viewer, query: CallSearch, clientAddress: string): Promise<CallPage> {
    if (!can(viewer, 'calls:read-all') && !can(viewer, 'calls:read-own')) {
      await this.audit(viewer, 'calls.search', 'denied', clientAddress);
      throw new AppError('FORBIDDEN', 'this account may not read the contact history');
    }
    const toMs = query.toMs ?? this.deps.now() + 60_000;
    const fromMs = query.fromMs ?? toMs - DEFAULT_SEARCH_DAYS * 24 * 3600_000;
    const caller = query.caller === undefined ? undefined : normalizePhoneNumber(query.caller, this.deps.defaultRegion);
    const service = query.service === undefined ? undefined : normalizePhoneNumber(query.service, this.deps.defaultRegion);
    const agent = query.agent?.trim().toLowerCase();
    const tag = query.tag?.trim().toLowerCase();
    // Answered by the history's index; only the days holding this page's records are read.
    const seesAll = can(viewer, 'calls:read-all');
    const { total, records: items } = await this.deps.history.page(
      {
        fromMs,
        toMs,
        ...(caller === undefined ? {} : { callerNumber: caller }),
        ...(service === undefined ? {} : { serviceNumber: service }),
        ...(seesAll ? {} : { extensions: new Set(viewer.extensions) }),
        ...(agent === undefined ? {} : { agent }),
        ...(tag === undefined ? {} : { tag }),
        recordedOnly: query.recordedOnly === true,
        ...(query.minDurationMs === undefined ? {} : { minDurationMs: query.minDurationMs }),
        ...(query.maxDurationMs === undefined ? {} : { maxDurationMs: query.maxDurationMs }),
      },
      { order: query.order, offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
    );
    // The filters are on record, the phone numbers only as pseudonyms.
    await this.audit(viewer, 'calls.search', 'success', clientAddress, undefined, {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      caller: caller == null ? null : this.deps.pseudonyms.of('phone', caller),
      service: service ?? null,
      agent: query.agent === undefined ? null : 'filtered',
      // A tag is free text a supervisor wrote: the trail says a tag narrowed the search, not which.
      tag: tag === undefined ? null : 'filtered',
      recordedOnly: query.recordedOnly === true,
      minDurationMs: query.minDurationMs ?? null,
      maxDurationMs: query.maxDurationMs ?? null,
      results: total,
      shown: items.length,
    });
    return { total, page: query.page, pageSize: query.pageSize, items };
  }

  async view(viewer: Viewer, callId: string, clientAddress: string): Promise<ContactRecord> {
    const record = await this.visibleCall(viewer, callId, clientAddress, 'call.view', canSeeCall);
    await this.audit(viewer, 'call.view', 'success', clientAddress, { type: 'call', id: callId });
    return record;
  }

  /**
   * The recording behind a call as the player shows it. Opening the reader checks the seal (the
   * signature over the content hash), so a recording that does not verify is reported as such.
   */
  async recordingView(viewer: Viewer, callId: string, clientAddress: string): Promise<RecordingView> {
    const { record, reader } = await this.openRecording(viewer, callId, clientAddress);
    const peaks = await this.deps.waveforms.peaks(reader);
    const msOf = (sample: number): number => Math.round(sample / 8);
    const gaps = (await reader.gaps()).map((gap) => ({ fromMs: msOf(gap.startSample), toMs: msOf(gap.endSample), cause: gap.cause }));
    await this.audit(viewer, 'recording.view', 'success', clientAddress, { type: 'recording', id: reader.recordingId }, { callId: record.callId });
    return { recordingId: reader.recordingId, seal: 'verified', sealedAt: new Date(reader.sealedAtMs).toISOString(), outcome: reader.outcome, durationMs: reader.durationMs, gaps, peaks };
  }

  /**
   * Opens a call's recording for playback (seal checked) without writing the audit entry: the
   * caller audits each part actually sent with `auditPlayback`, since a player fetches ranges.
   */
  async openRecording(viewer: Viewer, callId: string, clientAddress: string): Promise<{ record: ContactRecord; reader: RecordingReader }> {
    const record = await this.visibleCall(viewer, callId, clientAddress, 'recording.play', canPlayCall);
    const reader = await this.openReader(record);
    return { record, reader };
  }

  /**
   * The audit entry of one played part (which recording, which part), in the trail before the
   * part is sent. The first part of a playback waits until its entry is committed (fdatasync'd
   * and under the signed head): who opened which recording is always durable before any audio
   * leaves. The following parts of the same playback only wait for their entry to be written.
   */
  async auditPlayback(viewer: Viewer, record: ContactRecord, part: { startMs: number; endMs: number; bytes: string }, clientAddress: string): Promise<void> {
    const recordingId = record.recordingId ?? 'none';
    const key = `${viewer.id} ${recordingId}`;
    const now = this.deps.now();
    const committedAt = this.openPlaybacks.get(key);
    const continuing = committedAt !== undefined && now - committedAt < PLAYBACK_COMMIT_INTERVAL_MS && now >= committedAt;
    const details = { callId: record.callId, fromMs: part.startMs, toMs: part.endMs, bytes: part.bytes };
    await this.audit(viewer, 'recording.play', 'success', clientAddress, { type: 'recording', id: recordingId }, details, continuing ? 'written' : 'synced');
    if (continuing) return;
    this.openPlaybacks.delete(key);
    this.openPlaybacks.set(key, now);
    if (this.openPlaybacks.size > MAX_OPEN_PLAYBACKS) this.openPlaybacks.delete(this.openPlaybacks.keys().next().value!);
  }

  /**
   * A recording leaving the box as a file: needs recordings:export, then a fresh re-authentication
   * of the session (`reauthenticated`, from the session store). The permission is asked first: an
   * account that may not export is not sent through a re-authentication for nothing. Both
   * refusals are audited.
   */
  async openExport(viewer: Viewer, callId: string, clientAddress: string, purpose: string, reauthenticated: boolean): Promise<{ record: ContactRecord; reader: RecordingReader }> {
    if (!can(viewer, 'recordings:export')) {
      await this.audit(viewer, 'recording.export', 'denied', clientAddress, { type: 'call', id: callId });
      throw new AppError('FORBIDDEN', 'this account may not export recordings');
    }
    if (!reauthenticated) {
      await this.audit(viewer, 'recording.export', 'denied', clientAddress, { type: 'call', id: callId }, { reason: 'REAUTH_REQUIRED' });
      throw new AppError('REAUTH_REQUIRED', 'confirm your password before an export');
    }
    const record = await this.visibleCall(viewer, callId, clientAddress, 'recording.export', canPlayCall);
    const reader = await this.openReader(record);
    await this.audit(viewer, 'recording.export', 'success', clientAddress, { type: 'recording', id: reader.recordingId }, { callId, purpose });
    return { record, reader };
  }

  /**
   * The reader of a call's recording (seal checked). A recording not sealed yet is one still being
   * written (leftovers of a crash are sealed at start): the call is in progress, a normal state
   * that is answered as such, not as a fault.
   */
  private async openReader(record: ContactRecord): Promise<RecordingReader> {
    if (record.recordingId === null) throw new AppError('RECORDING_NOT_FOUND', 'this call has no recording');
    try {
      return await this.deps.readers.get(record.recordingId);
    } catch (err) {
      if (isAppError(err, 'RECORDING_UNSEALED')) throw new AppError('RECORDING_IN_PROGRESS', 'the call is still being recorded; its recording plays once the call has ended');
      throw err;
    }
  }

  private async visibleCall(
    viewer: Viewer,
    callId: string,
    clientAddress: string,
    action: string,
    allowed: (viewer: Viewer, record: ContactRecord) => boolean,
  ): Promise<ContactRecord> {
    const record = await this.deps.history.find(callId);
    if (record === undefined || !allowed(viewer, record)) {
      // A missing id does the same work as a denied one (the same entry, the same synced commit):
      // otherwise the time of the answer would tell whether another agent's call exists.
      await this.audit(viewer, action, 'denied', clientAddress, { type: 'call', id: callId });
      throw new AppError('CALL_NOT_FOUND', 'no such call');
    }
    return record;
  }

  private async audit(
    viewer: Viewer,
    action: string,
    outcome: 'success' | 'denied',
    clientAddress: string,
    target?: { type: 'call' | 'recording'; id: string },
    details?: Record<string, string | number | boolean | null>,
    durability: AuditDurability = 'synced',
  ): Promise<void> {
    await this.deps.audit.append(
      {
        action,
        outcome,
        actorId: viewer.id,
        clientAddress,
        ...(target === undefined ? {} : { target }),
        ...(details === undefined ? {} : { details }),
      },
      durability,
    );
  }
}
