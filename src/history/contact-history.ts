/**
 * The contact history: one encrypted document per UTC day (`history/2026-11-28`), so a write
 * rewrites one small document and the 3-month purge (P7) drops whole days.
 */
import type { Low } from 'lowdb';
import { AppError } from '../errors.js';
import { dayKeyOf, type ContactRecord } from './contact-record.js';

/** What the contact history needs of the document store (src/storage/document-store.ts). */
export interface HistoryDocuments {
  /** One shared Low instance per name, with serialised writes (src/storage/document-store.ts). */
  openDocument<T>(name: string, defaultData: T): Promise<Low<T>>;
  list(prefix: string): Promise<string[]>;
  remove(name: string): Promise<unknown>;
}

export interface HistoryDay {
  version: 1;
  day: string;
  records: ContactRecord[];
}

const DOCUMENT_PREFIX = 'history/';

export interface HistorySearch {
  /** Inclusive lower bound on startedAt, ms UTC. */
  readonly fromMs?: number;
  /** Exclusive upper bound on startedAt, ms UTC. */
  readonly toMs?: number;
  /** Only this caller (E.164, as stored): answered from the caller index, not by a scan. */
  readonly callerNumber?: string;
  readonly predicate?: (record: ContactRecord) => boolean;
}

/**
 * Every record by call id, and the call ids of every caller: built on first use from the day
 * documents (which are in memory anyway) and kept current by add, update and purge. Looking a
 * call up for each range a player asks for, and a search for one caller over 90 days, then
 * touch only the records concerned instead of all 180,000.
 */
interface HistoryIndex {
  readonly byId: Map<string, ContactRecord>;
  readonly byCaller: Map<string, Set<string>>;
}

export class ContactHistory {
  private built: HistoryIndex | null = null;
  /** Moved by every change: an index build that saw it move starts over. */
  private generation = 0;

  constructor(private readonly documents: HistoryDocuments) {}

  /** Adds the record of a call that has just started (endedAt still null). */
  async add(record: ContactRecord): Promise<void> {
    const doc = await this.dayDocument(dayKeyOf(record.startedAt));
    if (doc.data.records.some((existing) => existing.callId === record.callId)) {
      throw new AppError('CALL_EXISTS', `call ${record.callId} is already in the contact history`);
    }
    doc.data.records.push(record);
    this.generation++;
    await doc.write();
    this.generation++;
    if (this.built !== null) indexRecord(this.built, record);
  }

  /** Changes a record in place; the day is found from startedAt, which never changes. */
  async update(callId: string, startedAt: string, patch: Partial<Omit<ContactRecord, 'callId' | 'startedAt'>>): Promise<ContactRecord> {
    const doc = await this.dayDocument(dayKeyOf(startedAt));
    const index = doc.data.records.findIndex((record) => record.callId === callId);
    const current = doc.data.records[index];
    if (current === undefined) throw new AppError('CALL_NOT_FOUND', `call ${callId} is not in the contact history`);
    const updated: ContactRecord = { ...current, ...patch };
    doc.data.records[index] = updated;
    this.generation++;
    await doc.write();
    this.generation++;
    if (this.built !== null) {
      unindexRecord(this.built, current);
      indexRecord(this.built, updated);
    }
    return updated;
  }

  /** The days that have a document, oldest first (YYYY-MM-DD). */
  async days(): Promise<string[]> {
    const names = await this.documents.list(DOCUMENT_PREFIX);
    return names.map((name) => name.slice(DOCUMENT_PREFIX.length)).sort();
  }

  async day(day: string): Promise<readonly ContactRecord[]> {
    const days = await this.days();
    if (!days.includes(day)) return [];
    return (await this.readDay(day)).records;
  }

  /** Records by start time, oldest first. Reads only the days the range touches. */
  async search(query: HistorySearch = {}): Promise<ContactRecord[]> {
    // Stored times are all Date#toISOString() (same length, UTC), so they compare as strings:
    // this loop runs over up to 180,000 records per search and must not parse dates.
    const from = query.fromMs === undefined ? undefined : new Date(query.fromMs).toISOString();
    const to = query.toMs === undefined ? undefined : new Date(query.toMs).toISOString();
    const wanted = (record: ContactRecord): boolean =>
      (from === undefined || record.startedAt >= from) && (to === undefined || record.startedAt < to) && (query.predicate === undefined || query.predicate(record));
    const found: ContactRecord[] = [];
    if (query.callerNumber !== undefined) {
      const index = await this.index();
      for (const callId of index.byCaller.get(query.callerNumber) ?? []) {
        const record = index.byId.get(callId);
        if (record !== undefined && wanted(record)) found.push(record);
      }
    } else {
      const fromDay = from === undefined ? undefined : dayKeyOf(from);
      const toDay = to === undefined ? undefined : dayKeyOf(to);
      for (const day of await this.days()) {
        if ((fromDay !== undefined && day < fromDay) || (toDay !== undefined && day > toDay)) continue;
        for (const record of (await this.readDay(day)).records) if (wanted(record)) found.push(record);
      }
    }
    return found.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  }

  /** One call by id; played recordings look their call up on every range request, so this is indexed. */
  async find(callId: string): Promise<ContactRecord | undefined> {
    return (await this.index()).byId.get(callId);
  }

  /** Calls without an end: after a crash these are the calls that were in progress. */
  async unfinished(): Promise<ContactRecord[]> {
    return this.search({ predicate: (record) => record.endedAt === null });
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
   * removed so the caller can destroy the matching recordings.
   */
  async purgeBefore(cutoffMs: number, dryRun: boolean): Promise<{ records: ContactRecord[]; daysRemoved: string[] }> {
    const cutoffDay = dayKeyOf(new Date(cutoffMs).toISOString());
    const removed: ContactRecord[] = [];
    const daysRemoved: string[] = [];
    for (const day of await this.days()) {
      if (day > cutoffDay) break;
      const doc = await this.dayDocument(day);
      const [old, kept] = partition(doc.data.records, (record) => Date.parse(record.startedAt) < cutoffMs);
      if (old.length === 0) continue;
      removed.push(...old);
      if (dryRun) continue;
      this.generation++;
      if (this.built !== null) for (const record of old) unindexRecord(this.built, record);
      if (kept.length === 0) {
        await this.documents.remove(DOCUMENT_PREFIX + day);
        daysRemoved.push(day);
      } else {
        doc.data.records = kept;
        await doc.write();
      }
      // Again once the change is on disk: a build that listed the days meanwhile starts over.
      this.generation++;
    }
    return { records: removed, daysRemoved };
  }

  private async index(): Promise<HistoryIndex> {
    while (this.built === null) {
      // The documents are loaded first (awaiting), then indexed in one synchronous pass. A change
      // made while they loaded (it could not update an index not yet there) moves the
      // generation, and the build starts over, so the index never misses a change.
      const generation = this.generation;
      const days = await Promise.all((await this.days()).map((day) => this.readDay(day)));
      if (generation !== this.generation || this.built !== null) continue;
      const index: HistoryIndex = { byId: new Map(), byCaller: new Map() };
      for (const day of days) for (const record of day.records) indexRecord(index, record);
      this.built = index;
    }
    return this.built;
  }

  private async readDay(day: string): Promise<HistoryDay> {
    return (await this.dayDocument(day)).data;
  }

  private dayDocument(day: string): Promise<Low<HistoryDay>> {
    return this.documents.openDocument<HistoryDay>(DOCUMENT_PREFIX + day, emptyDay(day));
  }
}

function indexRecord(index: HistoryIndex, record: ContactRecord): void {
  index.byId.set(record.callId, record);
  if (record.callerNumber === null) return;
  let calls = index.byCaller.get(record.callerNumber);
  if (calls === undefined) index.byCaller.set(record.callerNumber, (calls = new Set()));
  calls.add(record.callId);
}

function unindexRecord(index: HistoryIndex, record: ContactRecord): void {
  index.byId.delete(record.callId);
  if (record.callerNumber === null) return;
  const calls = index.byCaller.get(record.callerNumber);
  calls?.delete(record.callId);
  if (calls?.size === 0) index.byCaller.delete(record.callerNumber);
}

function emptyDay(day: string): HistoryDay {
  return { version: 1, day, records: [] };
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
