/**
 * The contact history: one encrypted document per UTC day (`history/2026-11-28`), so a write
 * rewrites one small document and the 3-month purge (P7) drops whole days.
 *
 * Memory does not grow with the history's age: a compact index of every record
 * (history-index.ts) answers searches and rebuilds the records it finds, so searches and
 * lookups read no day document; days are read for writes and the purge, a few kept in memory
 * at a time (day-cache.ts). The index is built at start
 * from the documents one day at a time, yielding to the event loop between days, and is kept
 * current by every add, update and purge.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { dayKeyOf, type ContactRecord } from './contact-record.js';
import { NO_ANNOTATIONS, type CallAnnotations } from './call-annotations.js';
import { DayCache, DOCUMENT_PREFIX, type HistoryDay, type HistoryDocuments } from './day-cache.js';
import { HistoryIndex, type IndexQuery } from './history-index.js';

export type { HistoryDay, HistoryDocuments } from './day-cache.js';

/** Day documents kept in memory: today, yesterday and a few a search or a player just used. */
export const DEFAULT_CACHED_DAYS = 4;
/** Days of records the index has room for beyond those on disk at start. */
const SPARE_DAYS = 2;

export interface HistorySearch extends IndexQuery {
  /**
   * A test run on every record the index found: it reads each of their days, so it is for tools
   * and tests; the service's searches use the indexed fields only.
   */
  readonly predicate?: (record: ContactRecord) => boolean;
}

export interface HistoryPage {
  readonly total: number;
  readonly records: readonly ContactRecord[];
}

export interface HistoryStats {
  readonly records: number;
  readonly openCalls: number;
  readonly daysInMemory: number;
  readonly peakDaysInMemory: number;
  /** Day documents read into memory (searches, players, writes) since the start. */
  readonly dayLoads: number;
  /** Day documents read once to build the index. */
  readonly indexScans: number;
  readonly indexTypedBytes: number;
  /** Records the index's arrays have room for. */
  readonly indexSlots: number;
}

export class ContactHistory {
  private readonly index = new HistoryIndex();
  private readonly cache: DayCache;
  private listing: Promise<void> | null = null;
  private building: Promise<void> | null = null;
  /** Days that were on disk when the build listed them and are not in the index yet. */
  private readonly pending = new Set<string>();
  private indexScans = 0;

  constructor(
    private readonly documents: HistoryDocuments,
    options: { readonly cachedDays?: number } = {},
  ) {
    this.cache = new DayCache(documents, Math.max(1, options.cachedDays ?? DEFAULT_CACHED_DAYS));
  }

  /** Builds the index (once; again after a failure); resolves when every day is in it. */
  ready(): Promise<void> {
    this.building ??= this.build().catch((err: unknown) => {
      this.building = null;
      throw err;
    });
    return this.building;
  }

  stats(): HistoryStats {
    return {
      records: this.index.size,
      openCalls: this.index.openCalls,
      daysInMemory: this.cache.size,
      peakDaysInMemory: this.cache.peakLoaded,
      dayLoads: this.cache.loads,
      indexScans: this.indexScans,
      indexTypedBytes: this.index.typedBytes,
      indexSlots: this.index.slotCapacity,
    };
  }

  /** Adds the record of a call that has just started (endedAt still null). */
  async add(record: ContactRecord): Promise<void> {
    await this.listed();
    const day = dayKeyOf(record.startedAt);
    await this.cache.use(day, async (loaded) => {
      if (DayCache.find(loaded, record.callId) !== undefined) {
        throw new AppError('CALL_EXISTS', `call ${record.callId} is already in the contact history`);
      }
      const records = loaded.doc.data.records;
      records.push(record);
      loaded.positions?.set(record.callId, records.length - 1);
      try {
        await loaded.doc.write();
      } catch (err) {
        // Memory stays what the file holds.
        records.pop();
        loaded.positions?.delete(record.callId);
        throw err;
      }
      // A day the build has still to read gets the record from its document.
      if (!this.pending.has(day)) this.index.add(record);
    });
  }

  /** Changes a record in place; the day is found from startedAt, which never changes. */
  async update(callId: string, startedAt: string, patch: Partial<Omit<ContactRecord, 'callId' | 'startedAt'>>): Promise<ContactRecord> {
    await this.listed();
    const day = dayKeyOf(startedAt);
    return this.cache.use(day, async (loaded) => {
      const found = DayCache.find(loaded, callId);
      if (found === undefined) throw new AppError('CALL_NOT_FOUND', `call ${callId} is not in the contact history`);
      const updated: ContactRecord = { ...found.record, ...patch };
      loaded.doc.data.records[found.at] = updated;
      try {
        await loaded.doc.write();
      } catch (err) {
        loaded.doc.data.records[found.at] = found.record;
        throw err;
      }
      const slot = this.pending.has(day) ? -1 : this.index.slotOf(callId);
      if (slot >= 0) this.index.update(slot, updated);
      return updated;
    });
  }

  /** A call's notes and tags, from its day document. */
  async annotations(callId: string, startedAt: string): Promise<CallAnnotations> {
    await this.listed();
    return this.cache.use(dayKeyOf(startedAt), (loaded) => {
      if (DayCache.find(loaded, callId) === undefined) throw new AppError('CALL_NOT_FOUND', `call ${callId} is not in the contact history`);
      return loaded.doc.data.annotations?.[callId] ?? NO_ANNOTATIONS;
    });
  }

  /** Changes a call's notes and tags in its day document (durably, before it answers). */
  async annotate(callId: string, startedAt: string, change: (current: CallAnnotations) => CallAnnotations): Promise<CallAnnotations> {
    await this.listed();
    const day = dayKeyOf(startedAt);
    return this.cache.use(day, async (loaded) => {
      if (DayCache.find(loaded, callId) === undefined) throw new AppError('CALL_NOT_FOUND', `call ${callId} is not in the contact history`);
      const data = loaded.doc.data;
      const before = data.annotations;
      const next = change(before?.[callId] ?? NO_ANNOTATIONS);
      data.annotations = { ...before, [callId]: next };
      try {
        await loaded.doc.write();
      } catch (err) {
        // Memory stays what the file holds.
        if (before === undefined) delete data.annotations;
        else data.annotations = before;
        throw err;
      }
      // The index knows the tags, so a search by tag reads no day document.
      const slot = this.pending.has(day) ? -1 : this.index.slotOf(callId);
      if (slot >= 0) this.index.setTags(slot, next.tags);
      return next;
    });
  }

  /** The days that have a document, oldest first (YYYY-MM-DD). */
  async days(): Promise<string[]> {
    const names = await this.documents.list(DOCUMENT_PREFIX);
    return names.map((name) => name.slice(DOCUMENT_PREFIX.length)).sort();
  }

  async day(day: string): Promise<readonly ContactRecord[]> {
    const days = await this.days();
    if (!days.includes(day)) return [];
    return this.cache.use(day, (loaded) => [...loaded.doc.data.records]);
  }

  /** Every record matching, by start time, oldest first. Reads the days of the records found. */
  async search(query: HistorySearch = {}): Promise<ContactRecord[]> {
    await this.ready();
    const records = await this.recordsOf(this.index.search(query).slots);
    return query.predicate === undefined ? records : records.filter(query.predicate);
  }

  /**
   * One page of the records matching, in the order asked for, and how many match in all:
   * answered by the index, then only the days holding the page's records are read.
   */
  async page(query: IndexQuery, options: { readonly order: 'asc' | 'desc'; readonly offset: number; readonly limit: number }): Promise<HistoryPage> {
    await this.ready();
    const { total, slots } = this.index.search(query, options.order, options.offset, options.limit);
    return { total, records: await this.recordsOf(slots) };
  }

  /** One call by id; played recordings look their call up on every range request. */
  async find(callId: string): Promise<ContactRecord | undefined> {
    await this.ready();
    const slot = this.index.slotOf(callId);
    return slot < 0 ? undefined : (await this.recordsOf([slot]))[0];
  }

  /** Calls without an end: after a crash these are the calls that were in progress. Reads only their days. */
  async unfinished(): Promise<ContactRecord[]> {
    return this.search({ openOnly: true });
  }

  /**
   * Of these recording ids, those for which no recording can exist by the contact history: no
   * record names them (the purge removed it), or the record names them but is closed saying the
   * recording failed (a crash came between the key and the file). Start-up shreds such keys.
   */
  async provablyUnrecorded(recordingIds: readonly string[]): Promise<Set<string>> {
    const unrecorded = new Set(recordingIds);
    await this.search({
      predicate: (record) => {
        if (record.recordingId !== null && unrecorded.has(record.recordingId) && !(record.endedAt !== null && record.recordingState === 'failed')) {
          unrecorded.delete(record.recordingId);
        }
        return false;
      },
    });
    return unrecorded;
  }

  /**
   * Removes every record that started before `cutoffMs`: whole days by deleting their document,
   * the day the cutoff falls in by rewriting it. Returns what was (or, with dryRun, would be)
   * removed so the caller can destroy the matching recordings. Records `keep` names (the calls
   * under a legal hold) stay, and so does their day.
   */
  async purgeBefore(cutoffMs: number, dryRun: boolean, keep: (record: ContactRecord) => boolean = () => false): Promise<{ records: ContactRecord[]; daysRemoved: string[] }> {
    await this.ready();
    const cutoffDay = dayKeyOf(new Date(cutoffMs).toISOString());
    const removed: ContactRecord[] = [];
    const daysRemoved: string[] = [];
    for (const day of await this.days()) {
      if (day > cutoffDay) break;
      await this.cache.use(day, async (loaded) => {
        const [old, kept] = partition(loaded.doc.data.records, (record) => Date.parse(record.startedAt) < cutoffMs && !keep(record));
        if (old.length === 0) return;
        removed.push(...old);
        if (dryRun) return;
        if (kept.length === 0) {
          this.cache.forget(day);
          await this.documents.remove(DOCUMENT_PREFIX + day);
          daysRemoved.push(day);
        } else {
          const before = loaded.doc.data.records;
          const annotationsBefore = loaded.doc.data.annotations;
          loaded.doc.data.records = kept;
          // The notes and tags of the calls removed go with them.
          if (annotationsBefore !== undefined) {
            const annotations = { ...annotationsBefore };
            for (const record of old) delete annotations[record.callId];
            loaded.doc.data.annotations = annotations;
          }
          loaded.positions = null;
          try {
            await loaded.doc.write();
          } catch (err) {
            loaded.doc.data.records = before;
            if (annotationsBefore !== undefined) loaded.doc.data.annotations = annotationsBefore;
            throw err;
          }
        }
        for (const record of old) {
          const slot = this.index.slotOf(record.callId);
          if (slot >= 0) this.index.remove(slot);
        }
      });
    }
    return { records: removed, daysRemoved };
  }

  /** The days on disk when the history is first used; a write to one of them waits for this. */
  private listed(): Promise<void> {
    this.listing ??= this.days().then(
      (days) => {
        for (const day of days) this.pending.add(day);
      },
      (err: unknown) => {
        this.listing = null;
        throw err;
      },
    );
    return this.listing;
  }

  private async build(): Promise<void> {
    await this.listed();
    const days = [...this.pending].sort();
    let busiestDay = 0;
    for (const [read, day] of days.entries()) {
      await this.cache.exclusive(day, async () => {
        if (!this.pending.has(day)) return;
        // A day in memory may hold writes the build must not miss; it is the newest copy.
        const data = this.cache.peek(day)?.doc.data ?? (await this.documents.readDocument<HistoryDay>(DOCUMENT_PREFIX + day));
        const records = data?.records ?? [];
        // Room for the days still to read as busy as the busiest so far, and two more (today's
        // calls and tomorrow's before the purge frees a day's slots): the index is sized in one
        // step or two rather than grown by half a dozen times (history-index.ts, reserve).
        busiestDay = Math.max(busiestDay, records.length);
        this.index.reserve(this.index.size + records.length + busiestDay * (days.length - read - 1 + SPARE_DAYS));
        for (const record of records) this.index.add(record);
        for (const [callId, annotations] of Object.entries(data?.annotations ?? {})) {
          const slot = this.index.slotOf(callId);
          if (slot >= 0 && annotations.tags.length > 0) this.index.setTags(slot, annotations.tags);
        }
        this.pending.delete(day);
        this.indexScans++;
      });
      // One day at a time: HTTP, purge and every other task run between two days.
      await nextTurn();
    }
  }

  /**
   * The records of index slots, in the same order: rebuilt from the index, which holds every
   * field; a record it cannot rebuild exactly is read from its day (each such day read once).
   */
  private async recordsOf(slots: readonly number[]): Promise<ContactRecord[]> {
    const byDay = new Map<string, string[]>();
    const found = new Map<string, ContactRecord>();
    const callIds = slots.map((slot) => {
      const callId = this.index.callIdOf(slot);
      const rebuilt = this.index.record(slot);
      if (rebuilt !== undefined) {
        found.set(callId, rebuilt);
        return callId;
      }
      const day = this.index.dayOf(slot);
      const list = byDay.get(day);
      if (list === undefined) byDay.set(day, [callId]);
      else list.push(callId);
      return callId;
    });
    for (const [day, ids] of byDay) {
      await this.cache.use(day, (loaded) => {
        for (const callId of ids) {
          const record = DayCache.find(loaded, callId)?.record;
          if (record !== undefined) found.set(callId, record);
        }
      });
    }
    // A record purged between the index answer and the read is left out.
    return callIds.map((callId) => found.get(callId)).filter((record): record is ContactRecord => record !== undefined);
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
