/**
 * Open recording readers kept for a short while: opening a reader checks the seal over the whole
 * file (about 100 ms for an hour of audio), and a browser playing a call sends many Range
 * requests. Readers stay open while used and close after a quiet minute or when evicted.
 */
import type { Clock } from '../clock.js';
import type { RecordingReader } from './recording-reader.js';

const MAX_OPEN_READERS = 16;
const IDLE_CLOSE_MS = 60_000;

interface Entry {
  reader: Promise<RecordingReader>;
  lastUsedMs: number;
}

export class ReaderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly open: (recordingId: string) => Promise<RecordingReader>, private readonly clock: Clock) {
    this.sweeper = setInterval(() => this.closeIdle(), IDLE_CLOSE_MS / 2);
    this.sweeper.unref();
  }

  /** A reader of the recording, opened (and its seal checked) at most once while cached. */
  async get(recordingId: string): Promise<RecordingReader> {
    let entry = this.entries.get(recordingId);
    if (entry === undefined) {
      const reader = this.open(recordingId);
      entry = { reader, lastUsedMs: this.clock.now() };
      this.entries.set(recordingId, entry);
      // A failed open is not cached: the next request reports the problem afresh.
      reader.catch(() => this.entries.delete(recordingId));
      this.evictOverflow();
    } else {
      this.entries.delete(recordingId);
      this.entries.set(recordingId, entry);
      entry.lastUsedMs = this.clock.now();
    }
    return entry.reader;
  }

  /** Closes a recording's reader (before the recording is destroyed). */
  async forget(recordingId: string): Promise<void> {
    const entry = this.entries.get(recordingId);
    if (entry === undefined) return;
    this.entries.delete(recordingId);
    await close(entry);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map(close));
  }

  private evictOverflow(): void {
    while (this.entries.size > MAX_OPEN_READERS) {
      const [oldestId, oldest] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldestId);
      void close(oldest);
    }
  }

  private closeIdle(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.entries) {
      if (now - entry.lastUsedMs >= IDLE_CLOSE_MS) {
        this.entries.delete(id);
        void close(entry);
      }
    }
  }
}

async function close(entry: Entry): Promise<void> {
  try {
    await (await entry.reader).close();
  } catch {
    // A reader that failed to open has nothing to close.
  }
}
