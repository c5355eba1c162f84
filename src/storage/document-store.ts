/**
 * Named lowdb documents under `<dataDir>/documents/`, each one file encrypted by
 * EncryptedJsonAdapter: `history/2026-11-28` lives in `documents/history/2026-11-28.tdoc`.
 *
 * One `Low<T>` per name per store: every caller that opens a name gets the same instance, so two
 * parts of the service never hold diverging copies. Writes of one document are serialised (lowdb
 * would otherwise interleave two writes of the same file); each write takes a snapshot of the data
 * when it is requested, so the file always ends with the latest state.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { systemClock, type Clock } from '../clock.js';
import { AppError, errnoCode } from '../errors.js';
import type { Logger } from '../log.js';
import { ensureDirectory, nodeFileOps, removeDurable, removeStaleTempFiles, storageError, type FileOps } from './durable-file.js';
import { EncryptedJsonAdapter } from './encrypted-json-adapter.js';

export const DOCUMENT_EXTENSION = '.tdoc';
const NAME_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_NAME_LENGTH = 200;

export interface DocumentStoreOptions {
  dataDir: string;
  /** 32-byte document-encryption subkey (KeyHierarchy.documentKey). */
  key: Buffer;
  logger: Logger;
  clock?: Clock;
  fileOps?: FileOps;
}

/** Throws AppError('DOCUMENT_NAME_INVALID') unless `name` is segments of [A-Za-z0-9._-] joined by '/'. */
export function validateDocumentName(name: string): void {
  const segments = name.split('/');
  const ok =
    name.length > 0 &&
    name.length <= MAX_NAME_LENGTH &&
    segments.every((segment) => NAME_SEGMENT.test(segment) && segment !== '.' && segment !== '..');
  if (!ok) throw new AppError('DOCUMENT_NAME_INVALID', `invalid document name ${JSON.stringify(name)}`, { details: { name } });
}

/** Serialises writes of one document; the data is snapshotted when write() is called. */
class SerialisedAdapter<T> implements Adapter<T> {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly inner: EncryptedJsonAdapter<T>) {}

  read(): Promise<T | null> {
    return this.inner.read();
  }

  write(data: T): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(data)) as T;
    const result = this.tail.then(() => this.inner.write(snapshot));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every write requested so far has finished (successfully or not). */
  idle(): Promise<void> {
    return this.tail;
  }
}

interface OpenDocument {
  low: Low<unknown>;
  adapter: SerialisedAdapter<unknown>;
}

export class DocumentStore {
  readonly root: string;
  readonly quarantineDir: string;
  private readonly open = new Map<string, Promise<OpenDocument>>();
  /** Documents being closed: the pending writes they are waiting for. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly clock: Clock;
  private readonly fileOps: FileOps;

  private constructor(private readonly options: DocumentStoreOptions) {
    this.root = join(options.dataDir, 'documents');
    this.quarantineDir = join(options.dataDir, 'quarantine', 'documents');
    this.clock = options.clock ?? systemClock;
    this.fileOps = options.fileOps ?? nodeFileOps;
  }

  /** Creates the directories and removes temp files a crash left behind. */
  static async open(options: DocumentStoreOptions): Promise<DocumentStore> {
    if (options.key.length !== 32) throw new AppError('KEY_INVALID', 'the document key must be 32 bytes');
    const store = new DocumentStore(options);
    await ensureDirectory(store.root);
    for (const dir of await store.directories()) {
      const removed = await removeStaleTempFiles(dir);
      if (removed > 0) options.logger.warn('removed temp files left by an interrupted write', { dir, removed });
    }
    return store;
  }

  /** The file that holds a document. */
  pathOf(name: string): string {
    validateDocumentName(name);
    return join(this.root, ...name.split('/')) + DOCUMENT_EXTENSION;
  }

  /**
   * Opens (and reads) a document; `defaultData` is used when the file does not exist yet.
   * Throws AppError('DOCUMENT_CORRUPT') when the file is unreadable (it is then quarantined).
   */
  async openDocument<T>(name: string, defaultData: T): Promise<Low<T>> {
    const file = this.pathOf(name);
    let entry = this.open.get(name);
    if (entry === undefined) {
      // A document being closed is read again only once its last write is in the file.
      const closing = this.closing.get(name);
      entry = (async () => {
        await closing;
        await ensureDirectory(dirname(file));
        const adapter = new SerialisedAdapter<unknown>(this.adapterFor<unknown>(name, file));
        const low = new Low<unknown>(adapter, defaultData);
        await low.read();
        return { low, adapter };
      })();
      this.open.set(name, entry);
      // A failed open must not stay cached: the next caller gets a fresh attempt.
      entry.catch(() => this.open.delete(name));
    }
    return (await entry).low as Low<T>;
  }

  /**
   * Reads a document once without keeping it open (null when it does not exist): the contact
   * history's index is built from every day this way, with one day in memory at a time. A
   * document open in this store is answered from memory, so the read never misses a write.
   */
  async readDocument<T>(name: string): Promise<T | null> {
    const file = this.pathOf(name);
    const entry = this.open.get(name);
    if (entry !== undefined) return (await entry).low.data as T;
    await this.closing.get(name);
    return this.adapterFor<T>(name, file).read();
  }

  /**
   * Forgets an open document after its pending writes, so its data can be collected; the next
   * openDocument reads it again from the file. The contact history keeps only a few days open.
   */
  async close(name: string): Promise<void> {
    const entry = this.open.get(name);
    if (entry === undefined) return;
    this.open.delete(name);
    const done = (async () => {
      const opened = await entry.catch(() => undefined);
      if (opened !== undefined) await opened.adapter.idle();
    })();
    this.closing.set(name, done);
    try {
      await done;
    } finally {
      if (this.closing.get(name) === done) this.closing.delete(name);
    }
  }

  /** Names of existing documents starting with `prefix` (e.g. "history/"), sorted. */
  async list(prefix = ''): Promise<string[]> {
    const names: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return;
        throw storageError(err, 'list', dir);
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && entry.name.endsWith(DOCUMENT_EXTENSION)) {
          const name = relative(this.root, full).slice(0, -DOCUMENT_EXTENSION.length).split(sep).join('/');
          if (name.startsWith(prefix)) names.push(name);
        }
      }
    };
    await walk(this.root);
    return names.sort();
  }

  /** Removes a document durably (after its pending writes). False when it did not exist. */
  async remove(name: string): Promise<boolean> {
    const file = this.pathOf(name);
    const entry = this.open.get(name);
    if (entry !== undefined) {
      this.open.delete(name);
      const opened = await entry.catch(() => undefined);
      if (opened !== undefined) await opened.adapter.idle();
    }
    return removeDurable(file, this.fileOps);
  }

  private adapterFor<T>(name: string, file: string): EncryptedJsonAdapter<T> {
    return new EncryptedJsonAdapter<T>({
      file,
      name,
      key: this.options.key,
      quarantineDir: this.quarantineDir,
      logger: this.options.logger,
      clock: this.clock,
      fileOps: this.fileOps,
    });
  }

  private async directories(): Promise<string[]> {
    const dirs = [this.root];
    for (let i = 0; i < dirs.length; i += 1) {
      const entries = await readdir(dirs[i] as string, { withFileTypes: true });
      for (const entry of entries) if (entry.isDirectory()) dirs.push(join(dirs[i] as string, entry.name));
    }
    return dirs;
  }
}
