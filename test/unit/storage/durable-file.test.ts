import t from 'tap';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '../../../src/errors.js';
import {
  DurableFileWriter,
  fsyncDirectory,
  moveDurable,
  nodeFileOps,
  removeDurable,
  removeStaleTempFiles,
  writeFileDurable,
  type FileOps,
} from '../../../src/storage/durable-file.js';
import { enospc, tempDir } from './helpers.js';

/** File ops whose writes fail with ENOSPC, as on a full disk. */
const fullDiskOps: FileOps = {
  ...nodeFileOps,
  open: async (path, flags, mode) => {
    const handle = await nodeFileOps.open(path, flags, mode);
    handle.write = (async () => {
      throw enospc();
    }) as typeof handle.write;
    return handle;
  },
};

void t.test('when a file is written durably, then it holds the data with mode 0600 and no temp file remains', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'doc.bin');
  await writeFileDurable(target, Buffer.from('first'));
  await writeFileDurable(target, 'second');
  t.equal(await readFile(target, 'utf8'), 'second');
  t.equal((await stat(target)).mode & 0o777, 0o600);
  t.same(await readdir(dir), ['doc.bin']);
});

void t.test('when a mode is given, then the file gets exactly that mode', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'public.txt');
  await writeFileDurable(target, 'x', 0o644);
  t.equal((await stat(target)).mode & 0o777, 0o644);
});

void t.test('when the disk is full during a write, then DISK_FULL is raised with its cause and the old file is intact', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'doc.bin');
  await writeFileDurable(target, 'old content');
  const err = await writeFileDurable(target, 'new content that does not fit', undefined, fullDiskOps).catch((e: unknown) => e);
  t.ok(isAppError(err, 'DISK_FULL'), 'DISK_FULL');
  t.equal((err as Error & { cause?: { code?: string } }).cause?.code, 'ENOSPC');
  t.equal(await readFile(target, 'utf8'), 'old content');
  t.same(await readdir(dir), ['doc.bin'], 'the temp file was removed');
});

void t.test('when the target directory does not exist, then STORAGE_IO_ERROR names ENOENT and nothing is left', async (t) => {
  const dir = await tempDir(t);
  const err = await writeFileDurable(join(dir, 'missing', 'doc.bin'), 'x').catch((e: unknown) => e);
  t.ok(isAppError(err, 'STORAGE_IO_ERROR'));
  t.equal((err as { details: { errno: string } }).details.errno, 'ENOENT');
  t.same(await readdir(dir), []);
});

void t.test('when the rename fails, then the temp file is removed and the old file kept', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'doc.bin');
  await writeFileDurable(target, 'old');
  const ops: FileOps = { ...nodeFileOps, rename: async () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })) };
  const err = await writeFileDurable(target, 'new', undefined, ops).catch((e: unknown) => e);
  t.ok(isAppError(err, 'STORAGE_IO_ERROR'));
  t.equal(await readFile(target, 'utf8'), 'old');
  t.same(await readdir(dir), ['doc.bin']);
});

void t.test('when a streamed durable file is aborted, then neither target nor temp file exist', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'export.wav');
  const writer = await DurableFileWriter.create(target);
  await writer.write(Buffer.from('part'));
  t.equal(writer.bytesWritten, 4);
  await writer.abort();
  await writer.abort();
  t.same(await readdir(dir), []);
  await t.rejects(writer.write(Buffer.from('x')), { code: 'STORAGE_IO_ERROR' });
  await t.rejects(writer.commit(), { code: 'STORAGE_IO_ERROR' });
});

void t.test('when a streamed write hits a full disk, then DISK_FULL and the temp file is gone', async (t) => {
  const dir = await tempDir(t);
  const writer = await DurableFileWriter.create(join(dir, 'big.bin'), { ops: fullDiskOps });
  await t.rejects(writer.write(Buffer.alloc(10)), { code: 'DISK_FULL' });
  t.same(await readdir(dir), []);
});

void t.test('when a file is removed durably, then it is gone and a second removal reports false', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'key');
  await writeFile(target, 'k');
  t.equal(await removeDurable(target), true);
  t.equal(await removeDurable(target), false);
  t.same(await readdir(dir), []);
  await mkdir(join(dir, 'sub'));
  await t.rejects(removeDurable(join(dir, 'sub')), { code: 'STORAGE_IO_ERROR' });
});

void t.test('when a file is moved durably into a new directory, then it arrives there', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a'), 'content');
  await moveDurable(join(dir, 'a'), join(dir, 'q', 'sub', 'a.corrupt'));
  t.equal(await readFile(join(dir, 'q', 'sub', 'a.corrupt'), 'utf8'), 'content');
  await t.rejects(moveDurable(join(dir, 'a'), join(dir, 'q', 'b')), { code: 'STORAGE_IO_ERROR' });
});

void t.test('when stale temp files exist, then they are removed and other files are kept', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.doc.tdoc.abcdef.tmp'), 'half');
  await writeFile(join(dir, 'doc.tdoc'), 'whole');
  t.equal(await removeStaleTempFiles(dir), 1);
  t.same(await readdir(dir), ['doc.tdoc']);
  t.equal(await removeStaleTempFiles(join(dir, 'none')), 0);
});

void t.test('when a directory cannot be opened for fsync, then STORAGE_IO_ERROR', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(fsyncDirectory(join(dir, 'missing')), { code: 'STORAGE_IO_ERROR' });
});
