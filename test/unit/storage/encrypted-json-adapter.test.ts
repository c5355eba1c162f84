import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { isAppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { EncryptedJsonAdapter, decryptDocument, encryptDocument } from '../../../src/storage/encrypted-json-adapter.js';
import { capturingLogger, tempDir } from './helpers.js';

interface Day {
  calls: { callId: string; caller: string }[];
}
const sample: Day = { calls: [{ callId: 'c-1', caller: '+358401234567' }] };

async function setup(t: { teardown(fn: () => unknown): void }, logger = silentLogger) {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'documents'), { recursive: true });
  const key = randomBytes(32);
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 12, 0, 0));
  const make = (name: string, file = join(dir, 'documents', name.replace('/', '_') + '.tdoc')) =>
    new EncryptedJsonAdapter<Day>({ file, name, key, quarantineDir: join(dir, 'quarantine', 'documents'), logger, clock });
  return { dir, key, make };
}

void t.test('when a document is written and read back, then it is equal and the file does not hold the plaintext', async (t) => {
  const { dir, make } = await setup(t);
  const adapter = make('history/2026-11-28');
  t.equal(await adapter.read(), null, 'a missing file reads as null');
  await adapter.write(sample);
  t.same(await adapter.read(), sample);
  const raw = await readFile(join(dir, 'documents', 'history_2026-11-28.tdoc'));
  t.equal(raw.subarray(0, 8).toString('latin1'), 'TLNDOC\r\n');
  t.notOk(raw.includes(Buffer.from('+358401234567')), 'no phone number in the file');
  t.notOk(raw.includes(Buffer.from('callId')), 'no JSON keys in the file');
});

void t.test('when the same document is written twice, then the nonces differ', async (t) => {
  const { key } = await setup(t);
  const a = encryptDocument(Buffer.from('{}'), 'x', key);
  const b = encryptDocument(Buffer.from('{}'), 'x', key);
  t.notOk(a.subarray(12, 24).equals(b.subarray(12, 24)));
  t.equal(decryptDocument(a, 'x', key).toString(), '{}');
});

void t.test('when any byte of the file is flipped, then the document is quarantined and DOCUMENT_CORRUPT names it', async (t) => {
  const { dir, make } = await setup(t);
  const file = join(dir, 'documents', 'history_2026-11-28.tdoc');
  await make('history/2026-11-28').write(sample);
  const original = await readFile(file);
  for (const position of [0, 8, 9, 12, 23, 24, Math.floor(original.length / 2), original.length - 1]) {
    const flipped = Buffer.from(original);
    flipped[position] = (flipped[position] as number) ^ 0x01;
    await writeFile(file, flipped);
    const err = await make('history/2026-11-28').read().catch((e: unknown) => e);
    t.ok(isAppError(err, 'DOCUMENT_CORRUPT'), `byte ${position}`);
    const details = (err as { details: { document: string; quarantinePath: string } }).details;
    t.equal(details.document, 'history/2026-11-28');
    t.ok((await readFile(details.quarantinePath)).equals(flipped), 'the corrupt bytes are kept in quarantine');
    await t.rejects(readFile(file), { code: 'ENOENT' }, 'moved away, not replaced by an empty document');
  }
  t.equal((await readdir(join(dir, 'quarantine', 'documents', 'history'))).length, 8, 'every corrupt copy is kept');
});

void t.test('when a corrupt document is read, then an error line is logged with name and quarantine path', async (t) => {
  const { logger, lines } = capturingLogger();
  const { dir, make } = await setup(t, logger);
  const adapter = make('users');
  await adapter.write(sample);
  await writeFile(join(dir, 'documents', 'users.tdoc'), 'this is not an encrypted document at all');
  await t.rejects(adapter.read(), { code: 'DOCUMENT_CORRUPT' });
  const line = lines.find((l) => l.level === 'error');
  t.match(line, { msg: 'corrupt document quarantined', document: 'users', reason: 'bad magic' });
  t.match(String(line?.quarantinePath), /quarantine\/documents\/users\..*\.corrupt$/);
});

void t.test('when two documents swap files, then both are detected as corrupt', async (t) => {
  const { dir, make } = await setup(t);
  const a = make('history/2026-11-27');
  const b = make('history/2026-11-28');
  await a.write({ calls: [{ callId: 'a', caller: 'x' }] });
  await b.write({ calls: [{ callId: 'b', caller: 'y' }] });
  const fileA = join(dir, 'documents', 'history_2026-11-27.tdoc');
  const fileB = join(dir, 'documents', 'history_2026-11-28.tdoc');
  await rename(fileA, join(dir, 'tmp'));
  await rename(fileB, fileA);
  await rename(join(dir, 'tmp'), fileB);
  await t.rejects(a.read(), { code: 'DOCUMENT_CORRUPT' });
  await t.rejects(b.read(), { code: 'DOCUMENT_CORRUPT' });
});

void t.test('when the document is encrypted under another key, then it is reported corrupt, not read as empty', async (t) => {
  const { dir, make } = await setup(t);
  const file = join(dir, 'documents', 'x.tdoc');
  await writeFile(file, encryptDocument(Buffer.from('{"calls":[]}'), 'x', randomBytes(32)));
  await t.rejects(make('x', file).read(), { code: 'DOCUMENT_CORRUPT' });
});

void t.test('when the ciphertext is valid but not JSON, then DOCUMENT_CORRUPT', async (t) => {
  const { dir, key, make } = await setup(t);
  const file = join(dir, 'documents', 'x.tdoc');
  await writeFile(file, encryptDocument(Buffer.from('{not json'), 'x', key));
  await t.rejects(make('x', file).read(), { code: 'DOCUMENT_CORRUPT' });
});

void t.test('when the quarantine directory cannot be created, then DOCUMENT_CORRUPT says so and the file stays', async (t) => {
  const { dir, key } = await setup(t);
  const file = join(dir, 'documents', 'x.tdoc');
  await writeFile(file, 'garbage');
  await writeFile(join(dir, 'blocker'), 'a file where a directory should be');
  const adapter = new EncryptedJsonAdapter<Day>({ file, name: 'x', key, quarantineDir: join(dir, 'blocker', 'q'), logger: silentLogger });
  const err = await adapter.read().catch((e: unknown) => e);
  t.ok(isAppError(err, 'DOCUMENT_CORRUPT'));
  t.equal((err as { details: { quarantinePath: null } }).details.quarantinePath, null);
  t.equal(await readFile(file, 'utf8'), 'garbage');
});

void t.test('when the file cannot be read for another reason, then STORAGE_IO_ERROR', async (t) => {
  const { dir, make } = await setup(t);
  await mkdir(join(dir, 'documents', 'dir.tdoc'));
  await t.rejects(make('dir', join(dir, 'documents', 'dir.tdoc')).read(), { code: 'STORAGE_IO_ERROR' });
});
