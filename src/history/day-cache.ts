/**
 * The day documents of the contact history that are in memory: a few, least recently used
 * closed first, so memory does not grow with the history's age (the index, history-index.ts,
 * answers searches; a day is read only for the records a page shows).
 *
 * Everything done to one day runs in turn (a per-day queue): a write, the index build's read
 * of that day and the closing of its document never interleave. A day in use is never closed;
 * the cap is exceeded only while more days than the cap are in use at the same moment.
 */
import type { CallAnnotations } from './call-annotations.js';
import type { Low } from 'lowdb';
import type { ContactRecord } from './contact-record.js';

/** One UTC day of the contact history as stored. */
export interface HistoryDay {
  version: 1;
  day: string;
  records: ContactRecord[];
  /** Notes and tags by call id; absent on a day without any. */
  annotations?: Record<string, CallAnnotations>;
}

/** What the contact history needs of the document store (src/storage/document-store.ts). */
export interface HistoryDocuments {
  /** One shared Low instance per name, with serialised writes (src/storage/document-store.ts). */
  openDocument<T>(name: string, defaultData: T): Promise<Low<T>>;
  /** One read without keeping the document open; null when it does not exist. */
  readDocument<T>(name: string): Promise<T | null>;
  /** Forgets an open document once its writes are done. */
  close(name: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  remove(name: string): Promise<unknown>;
}

export const DOCUMENT_PREFIX = 'history/';

export interface LoadedDay {
  readonly doc: Low<HistoryDay>;
  /** Position of each call in doc.data.records; null until needed, and after a rewrite. */
  positions: Map<string, number> | null;
}

export class DayCache {
  private readonly loaded = new Map<string, LoadedDay>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly busy = new Map<string, number>();
  private loading = 0;
  /** Day documents read into memory since the start (each a decryption of a whole day). */
  loads = 0;
  /** The most day documents ever in memory at once. */
  peakLoaded = 0;

  constructor(
    private readonly documents: HistoryDocuments,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.loaded.size;
  }

  /** Runs `work` on the day's document (loaded if needed), after everything queued on that day. */
  use<T>(day: string, work: (loaded: LoadedDay) => Promise<T> | T): Promise<T> {
    return this.exclusive(day, async () => {
      let entry = this.loaded.get(day);
      if (entry === undefined) {
        this.trim(this.capacity - 1 - this.loading);
        this.loading++;
        try {
          entry = { doc: await this.documents.openDocument<HistoryDay>(DOCUMENT_PREFIX + day, emptyDay(day)), positions: null };
        } finally {
          this.loading--;
        }
        this.loads++;
      } else {
        this.loaded.delete(day);
      }
      this.loaded.set(day, entry);
      this.peakLoaded = Math.max(this.peakLoaded, this.loaded.size);
      try {
        return await work(entry);
      } finally {
        // This day is still busy here; the others beyond the cap are closed.
        this.trim(this.capacity);
      }
    });
  }

  /** Runs `work` after everything queued on the day, without loading it. */
  exclusive<T>(day: string, work: () => Promise<T>): Promise<T> {
    this.busy.set(day, (this.busy.get(day) ?? 0) + 1);
    const run = (this.queues.get(day) ?? Promise.resolve()).then(work);
    const tail: Promise<void> = run.then(
      () => this.release(day, tail),
      () => this.release(day, tail),
    );
    this.queues.set(day, tail);
    return run;
  }

  /** The day's document when it is in memory (the index build reads it from there, not the file). */
  peek(day: string): LoadedDay | undefined {
    return this.loaded.get(day);
  }

  /** Drops a day whose document has just been removed. */
  forget(day: string): void {
    this.loaded.delete(day);
  }

  /** The call's record within a loaded day. */
  static find(loaded: LoadedDay, callId: string): { at: number; record: ContactRecord } | undefined {
    if (loaded.positions === null) {
      loaded.positions = new Map();
      loaded.doc.data.records.forEach((record, at) => loaded.positions?.set(record.callId, at));
    }
    const at = loaded.positions.get(callId);
    const record = at === undefined ? undefined : loaded.doc.data.records[at];
    return at === undefined || record === undefined ? undefined : { at, record };
  }

  private release(day: string, tail: Promise<void>): void {
    const left = (this.busy.get(day) ?? 1) - 1;
    if (left > 0) this.busy.set(day, left);
    else this.busy.delete(day);
    if (this.queues.get(day) === tail) this.queues.delete(day);
  }

  /** Closes least recently used days not in use until at most `limit` are in memory. */
  private trim(limit: number): void {
    for (const day of this.loaded.keys()) {
      if (this.loaded.size <= Math.max(0, limit)) return;
      if (this.busy.has(day)) continue;
      this.loaded.delete(day);
      // Closing waits for the day's pending writes; a new open of the day waits for the close
      // (document-store.ts), so nothing is read from the file before the last write reached it.
      this.documents.close(DOCUMENT_PREFIX + day).catch(() => undefined);
    }
  }
}

export function emptyDay(day: string): HistoryDay {
  return { version: 1, day, records: [] };
}
