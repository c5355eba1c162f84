import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../src/log.js';
import { DocumentStore, validateDocumentName } from '../../../src/storage/document-store.js';
import { nodeFileOps, type FileOps } from '../../../src/storage/durable-file.js';
import { enospc, tempDir } from './helpers.js';

interface Day {
  calls: string[];
}

void t.test('when documents are opened by name, then files appear under documents/ and list(prefix) finds them', async (t) => {
  const dataDir = await tempDir(t);
  const store = await DocumentStore.open({ dataDir, key: randomBytes(32), logger: silentLogger });
  for (const day of ['2026-11-27', '2026-11-28']) {
    const doc = await store.openDocument<Day>(`history/${day}`, { calls: [] });
    await doc.update((data) => data.calls.push(`call on ${day}`));
  }
  const users = await store.openDocument('users', { users: [] as string[] });
  await users.write();
  t.same(await store.list('history/'), ['history/2026-11-27', 'history/2026-11-28']);
  t.same(await store.list(), ['history/2026-11-27', 'history/2026-11-28', 'users']);
  t.ok((await readFile(join(dataDir, 'documents', 'history', '2026-11-28.tdoc'))).length > 0);
});

void t.test('when a store is reopened with the same key, then the documents read back', async (t) => {
  const dataDir = await tempDir(t);
  const key = randomBytes(32);
  const first = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  const doc = await first.openDocument<Day>('history/2026-11-28', { calls: [] });
  await doc.update((data) => data.calls.push('a', 'b'));
  const second = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  t.same((await second.openDocument<Day>('history/2026-11-28', { calls: [] })).data, { calls: ['a', 'b'] });
});

void t.test('when a document is opened twice, then both callers share one instance', async (t) => {
  const store = await DocumentStore.open({ dataDir: await tempDir(t), key: randomBytes(32), logger: silentLogger });
  const [a, b] = await Promise.all([store.openDocument('x', { n: 0 }), store.openDocument('x', { n: 0 })]);
  t.equal(a, b);
});

void t.test('when many writes of one document are started at once, then they are serialised and the last state wins', async (t) => {
  const dataDir = await tempDir(t);
  const key = randomBytes(32);
  let concurrent = 0;
  let maxConcurrent = 0;
  const ops: FileOps = {
    ...nodeFileOps,
    open: async (path, flags, mode) => {
      if (flags === 'wx') {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
      }
      return nodeFileOps.open(path, flags, mode);
    },
    rename: async (from, to) => {
      concurrent -= 1;
      return nodeFileOps.rename(from, to);
    },
  };
  const store = await DocumentStore.open({ dataDir, key, logger: silentLogger, fileOps: ops });
  const doc = await store.openDocument<Day>('history/2026-11-28', { calls: [] });
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 20; i += 1) writes.push(doc.update((data) => data.calls.push(`c${i}`)));
  await Promise.all(writes);
  t.equal(maxConcurrent, 1, 'never two writes of one document at once');
  const reread = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  t.equal((await reread.openDocument<Day>('history/2026-11-28', { calls: [] })).data.calls.length, 20);
});

void t.test('when a write fails with a full disk, then the error reaches the caller and the stored document is the old one', async (t) => {
  const dataDir = await tempDir(t);
  const key = randomBytes(32);
  let full = false;
  const ops: FileOps = {
    ...nodeFileOps,
    open: async (path, flags, mode) => {
      const handle = await nodeFileOps.open(path, flags, mode);
      if (full && flags === 'wx') {
        handle.write = (async () => {
          throw enospc();
        }) as typeof handle.write;
      }
      return handle;
    },
  };
  const store = await DocumentStore.open({ dataDir, key, logger: silentLogger, fileOps: ops });
  const doc = await store.openDocument<Day>('history/2026-11-28', { calls: [] });
  await doc.update((data) => data.calls.push('kept'));
  full = true;
  await t.rejects(doc.update((data) => data.calls.push('lost')), { code: 'DISK_FULL' });
  full = false;
  const reread = await DocumentStore.open({ dataDir, key, logger: silentLogger });
  t.same((await reread.openDocument<Day>('history/2026-11-28', { calls: [] })).data, { calls: ['kept'] });
  t.same(await readdir(join(dataDir, 'documents', 'history')), ['2026-11-28.tdoc']);
  await doc.update((data) => data.calls.push('after'));
  t.pass('writes continue after a failed one');
});

void t.test('when a document is removed, then its file is gone and list no longer has it', async (t) => {
  const store = await DocumentStore.open({ dataDir: await tempDir(t), key: randomBytes(32), logger: silentLogger });
  const doc = await store.openDocument<Day>('history/2026-08-01', { calls: [] });
  await doc.write();
  t.equal(await store.remove('history/2026-08-01'), true);
  t.same(await store.list('history/'), []);
  t.equal(await store.remove('history/2026-08-01'), false);
});

void t.test('when a document file is corrupt, then opening it fails with DOCUMENT_CORRUPT and a retry starts empty', async (t) => {
  const dataDir = await tempDir(t);
  const store = await DocumentStore.open({ dataDir, key: randomBytes(32), logger: silentLogger });
  await mkdir(join(dataDir, 'documents', 'history'), { recursive: true });
  await writeFile(join(dataDir, 'documents', 'history', '2026-11-28.tdoc'), 'garbage');
  await t.rejects(store.openDocument<Day>('history/2026-11-28', { calls: [] }), { code: 'DOCUMENT_CORRUPT' });
  t.same((await readdir(join(dataDir, 'quarantine', 'documents', 'history'))).length, 1);
  t.same((await store.openDocument<Day>('history/2026-11-28', { calls: [] })).data, { calls: [] });
});

void t.test('when a store opens, then temp files left by a crash are removed', async (t) => {
  const dataDir = await tempDir(t);
  await mkdir(join(dataDir, 'documents', 'history'), { recursive: true });
  await writeFile(join(dataDir, 'documents', 'history', '.2026-11-28.tdoc.a1b2c3.tmp'), 'half');
  const store = await DocumentStore.open({ dataDir, key: randomBytes(32), logger: silentLogger });
  t.same(await readdir(join(dataDir, 'documents', 'history')), []);
  t.same(await store.list(), []);
});

void t.test('when a document name is unsafe, then DOCUMENT_NAME_INVALID before any file access', async (t) => {
  for (const name of ['', '../etc/passwd', 'history/../../x', '/abs', 'a//b', 'history/', '.hidden', 'a b', 'x'.repeat(201)]) {
    t.throws(() => validateDocumentName(name), { code: 'DOCUMENT_NAME_INVALID' }, JSON.stringify(name));
  }
  validateDocumentName('history/2026-11-28');
  const store = await DocumentStore.open({ dataDir: await tempDir(t), key: randomBytes(32), logger: silentLogger });
  await t.rejects(store.openDocument('../x', {}), { code: 'DOCUMENT_NAME_INVALID' });
  await t.rejects(DocumentStore.open({ dataDir: await tempDir(t), key: randomBytes(16), logger: silentLogger }), { code: 'KEY_INVALID' });
});

void t.test('when a document is closed with a write pending, then the write lands, the next open reads it from the file, and readDocument answers without opening', async (t) => {
  const dataDir = await tempDir(t);
  const store = await DocumentStore.open({ dataDir, key: randomBytes(32), logger: silentLogger });
  t.equal(await store.readDocument('history/2026-11-28'), null, 'a document that does not exist reads as null');
  const doc = await store.openDocument<Day>('history/2026-11-28', { calls: [] });
  doc.data.calls.push('a');
  const written = doc.write();
  t.same(await store.readDocument<Day>('history/2026-11-28'), { calls: ['a'] }, 'an open document is answered from memory');
  const closed = store.close('history/2026-11-28');
  // Opened again while the close still waits for the write: it must read the written file.
  const reopened = store.openDocument<Day>('history/2026-11-28', { calls: [] });
  await Promise.all([written, closed]);
  const again = await reopened;
  t.not(again, doc, 'a new instance');
  t.same(again.data, { calls: ['a'] });
  await store.close('history/2026-11-28');
  await store.close('history/2026-11-28');
  t.same(await store.readDocument<Day>('history/2026-11-28'), { calls: ['a'] }, 'read from the file once closed');
});
