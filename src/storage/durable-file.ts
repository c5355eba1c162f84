/**
 * Durable file writes: the target is either the old content or the complete new content, even
 * across a power cut. The recipe is the classic one (write a temp file in the same directory,
 * fsync it, rename it over the target, fsync the directory so the rename itself is on disk);
 * lowdb's own writer renames without any fsync, which is why every document goes through here.
 *
 * Failures never leave a half-written target: the temp file is removed and the error surfaces as
 * an AppError with the errno kept as `cause` (ENOSPC and EDQUOT become 'DISK_FULL', everything
 * else 'STORAGE_IO_ERROR').
 *
 * The file operations are injectable so tests can make a disk "fill up" on demand.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError, errnoCode, isAppError } from '../errors.js';

/** The subset of node:fs/promises these helpers use; replace parts of it in tests. */
export interface FileOps {
  open: (path: string, flags: string, mode?: number) => Promise<FileHandle>;
  rename: (from: string, to: string) => Promise<void>;
  unlink: (path: string) => Promise<void>;
}

export const nodeFileOps: FileOps = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
};

/** Default mode of everything this appliance writes: readable by the service user only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Suffix of temp files; stores clean up stale ones (left by a crash) when they open. */
export const TEMP_FILE_SUFFIX = '.tmp';

/**
 * Wraps a file-system error in an AppError with a stable code. AppErrors pass through unchanged.
 * ENOSPC/EDQUOT -> 'DISK_FULL'; anything else -> 'STORAGE_IO_ERROR'. `errno` is in details.
 */
export function storageError(err: unknown, operation: string, path: string): AppError {
  if (isAppError(err)) return err;
  const errno = errnoCode(err);
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    return new AppError('DISK_FULL', `disk full while trying to ${operation} ${path}`, {
      cause: err,
      details: { path, errno, operation },
    });
  }
  return new AppError('STORAGE_IO_ERROR', `cannot ${operation} ${path}: ${errno ?? String(err)}`, {
    cause: err,
    details: { path, errno: errno ?? null, operation },
  });
}

/** Creates a directory (and parents) with private permissions. */
export async function ensureDirectory(path: string): Promise<void> {
  try {
    await fsp.mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (err) {
    throw storageError(err, 'create directory', path);
  }
}

/** fsyncs a directory so that renames, creations and unlinks inside it survive a power cut. */
export async function fsyncDirectory(dir: string, ops: FileOps = nodeFileOps): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await ops.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // A few file systems refuse fsync on a directory; there is nothing more to do on them.
    if (errnoCode(err) !== 'EINVAL') throw storageError(err, 'fsync directory', dir);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Writes all of `data` at `position` (short writes are continued). */
export async function writeAllAt(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    if (bytesWritten <= 0) throw new AppError('STORAGE_IO_ERROR', 'write made no progress');
    done += bytesWritten;
  }
}

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}${TEMP_FILE_SUFFIX}`);
}

/**
 * A file written in pieces that appears at `target` only when committed (same guarantees as
 * writeFileDurable). Used for large outputs such as WAV exports that should not sit in memory.
 */
export class DurableFileWriter {
  private position = 0;
  private finished = false;

  private constructor(
    readonly target: string,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
    private readonly ops: FileOps,
  ) {}

  static async create(target: string, options: { mode?: number; ops?: FileOps } = {}): Promise<DurableFileWriter> {
    const ops = options.ops ?? nodeFileOps;
    const mode = options.mode ?? PRIVATE_FILE_MODE;
    const tempPath = tempPathFor(target);
    let handle: FileHandle;
    try {
      handle = await ops.open(tempPath, 'wx', mode);
    } catch (err) {
      throw storageError(err, 'create', tempPath);
    }
    const writer = new DurableFileWriter(target, tempPath, handle, ops);
    try {
      // The umask may have narrowed the mode given to open(); state it exactly.
      await handle.chmod(mode);
    } catch (err) {
      await writer.abort();
      throw storageError(err, 'chmod', tempPath);
    }
    return writer;
  }

  /** Appends bytes. On failure the temp file is removed and the writer cannot be used again. */
  async write(data: Uint8Array): Promise<void> {
    if (this.finished) throw new AppError('STORAGE_IO_ERROR', `write after commit/abort of ${this.target}`);
    try {
      await writeAllAt(this.handle, data, this.position);
      this.position += data.length;
    } catch (err) {
      await this.abort();
      throw storageError(err, 'write', this.target);
    }
  }

  get bytesWritten(): number {
    return this.position;
  }

  /** fsync, rename over the target, fsync the directory. */
  async commit(): Promise<void> {
    if (this.finished) throw new AppError('STORAGE_IO_ERROR', `commit after commit/abort of ${this.target}`);
    try {
      await this.handle.sync();
      await this.handle.close();
    } catch (err) {
      await this.abort();
      throw storageError(err, 'fsync', this.target);
    }
    this.finished = true;
    try {
      await this.ops.rename(this.tempPath, this.target);
    } catch (err) {
      await this.ops.unlink(this.tempPath).catch(() => undefined);
      throw storageError(err, 'rename into place', this.target);
    }
    await fsyncDirectory(dirname(this.target), this.ops);
  }

  /** Drops the temp file; the target is untouched. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.handle.close().catch(() => undefined);
    await this.ops.unlink(this.tempPath).catch(() => undefined);
  }
}

/**
 * Writes `data` to `path` durably and atomically: temp file in the same directory, fsync, rename,
 * fsync of the directory. The file mode defaults to 0600.
 */
export async function writeFileDurable(
  path: string,
  data: Uint8Array | string,
  mode: number = PRIVATE_FILE_MODE,
  ops: FileOps = nodeFileOps,
): Promise<void> {
  const writer = await DurableFileWriter.create(path, { mode, ops });
  await writer.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  await writer.commit();
}

/**
 * Removes a file and fsyncs its directory so the removal survives a power cut.
 * Returns false when the file did not exist.
 */
export async function removeDurable(path: string, ops: FileOps = nodeFileOps): Promise<boolean> {
  try {
    await ops.unlink(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw storageError(err, 'remove', path);
  }
  await fsyncDirectory(dirname(path), ops);
  return true;
}

/**
 * Moves a file to another directory on the same file system durably (both directories fsynced).
 */
export async function moveDurable(from: string, to: string, ops: FileOps = nodeFileOps): Promise<void> {
  await ensureDirectory(dirname(to));
  try {
    await ops.rename(from, to);
  } catch (err) {
    throw storageError(err, 'move', from);
  }
  await fsyncDirectory(dirname(to), ops);
  if (dirname(to) !== dirname(from)) await fsyncDirectory(dirname(from), ops);
}

/** Removes temp files left by a crash in `dir` (not recursive). Returns how many were removed. */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0;
    throw storageError(err, 'list', dir);
  }
  let removed = 0;
  for (const name of names) {
    if (name.startsWith('.') && name.endsWith(TEMP_FILE_SUFFIX)) {
      if (await removeDurable(join(dir, name))) removed += 1;
    }
  }
  return removed;
}

/** A timestamp usable in a file name (UTC, no colons). */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}
