import t from 'tap';
import { copyFile, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { CHUNK_PREFIX_BYTES, SAMPLES_PER_CHUNK, TAG_BYTES, TRAILER_BYTES } from '../../../src/recording/recording-format.js';
import { silentLogger } from '../../../src/log.js';
import { prng, sealedRecording, storeFixture } from './helpers.js';

/** A full chunk without gaps: prefix + 2-byte gap count + samples + tag. */
const FULL_CHUNK_BYTES = CHUNK_PREFIX_BYTES + 2 + SAMPLES_PER_CHUNK + TAG_BYTES;

void t.test('when one byte is flipped anywhere in a sealed recording, then verify fails naming the recording', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 130, 5); // 2 full chunks + a last chunk of 30 ticks
  const file = fixture.store.sealedPath(id);
  const original = await readFile(file);
  const headerBytes = original.readUInt16BE(10);
  const positions = new Set<number>();
  for (let i = 0; i < headerBytes; i += 1) positions.add(i);
  for (let i = original.length - TRAILER_BYTES; i < original.length; i += 1) positions.add(i);
  for (let chunk = 0; chunk < 3; chunk += 1) {
    const start = headerBytes + chunk * FULL_CHUNK_BYTES;
    for (let i = 0; i < CHUNK_PREFIX_BYTES + 2; i += 1) positions.add(start + i);
  }
  for (let i = 1; i <= TAG_BYTES; i += 1) positions.add(original.length - TRAILER_BYTES - i);
  const random = prng(11);
  for (let i = 0; i < 150; i += 1) positions.add(Math.floor(random() * original.length));
  const undetected: number[] = [];
  for (const position of positions) {
    const flipped = Buffer.from(original);
    flipped[position] = (flipped[position] as number) ^ (1 << (position % 8));
    await writeFile(file, flipped);
    const result = await fixture.store.verify(id);
    if (result.ok || result.recordingId !== id || result.problems.length === 0) undetected.push(position);
  }
  t.same(undetected, [], `all ${positions.size} flipped positions detected`);
  await writeFile(file, original);
  t.equal((await fixture.store.verify(id)).ok, true, 'the original verifies again');
});

void t.test('when an audio byte is flipped, then verify names the chunk and opening for playback is refused', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 130, 5);
  const file = fixture.store.sealedPath(id);
  const bytes = await readFile(file);
  const headerBytes = bytes.readUInt16BE(10);
  const position = headerBytes + FULL_CHUNK_BYTES + CHUNK_PREFIX_BYTES + 100; // chunk 1, audio
  bytes[position] = (bytes[position] as number) ^ 0x80;
  await writeFile(file, bytes);
  const result = await fixture.store.verify(id);
  t.same(result.codes, ['CHUNK_AUTH_FAILED', 'CONTENT_HASH_MISMATCH']);
  t.match(result.problems[0], /chunk 1 failed authentication/);
  await t.rejects(fixture.store.openReader(id), { code: 'RECORDING_CORRUPT', details: { recordingId: id } });
});

void t.test('when a sealed recording is truncated, then verify reports it truncated', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 130, 6);
  const file = fixture.store.sealedPath(id);
  const original = await readFile(file);
  const headerBytes = original.readUInt16BE(10);
  for (const length of [original.length - 1, original.length - TRAILER_BYTES, headerBytes + FULL_CHUNK_BYTES, headerBytes + 10, headerBytes, 30, 0]) {
    await writeFile(file, original.subarray(0, length));
    const result = await fixture.store.verify(id);
    t.equal(result.ok, false, `cut at ${length}`);
    t.ok(result.codes.includes('TRUNCATED') || result.codes.includes('HEADER_CORRUPT'), `cut at ${length}: ${result.codes.join(',')}`);
    await t.rejects(fixture.store.openReader(id), { code: 'RECORDING_CORRUPT' });
  }
});

void t.test('when the last chunks are cut out but the trailer is kept, then the seal does not match', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 130, 6);
  const file = fixture.store.sealedPath(id);
  const original = await readFile(file);
  const headerBytes = original.readUInt16BE(10);
  const trailer = original.subarray(original.length - TRAILER_BYTES);
  await writeFile(file, Buffer.concat([original.subarray(0, headerBytes + 2 * FULL_CHUNK_BYTES), trailer]));
  const result = await fixture.store.verify(id);
  t.same(result.codes, ['TRUNCATED', 'CONTENT_HASH_MISMATCH', 'TRAILER_MISMATCH']);
});

void t.test('when two chunks are swapped inside a recording, then verify reports the order', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 130, 8);
  const file = fixture.store.sealedPath(id);
  const bytes = await readFile(file);
  const headerBytes = bytes.readUInt16BE(10);
  const first = Buffer.from(bytes.subarray(headerBytes, headerBytes + FULL_CHUNK_BYTES));
  bytes.copy(bytes, headerBytes, headerBytes + FULL_CHUNK_BYTES, headerBytes + 2 * FULL_CHUNK_BYTES);
  first.copy(bytes, headerBytes + FULL_CHUNK_BYTES);
  await writeFile(file, bytes);
  t.match((await fixture.store.verify(id)).codes, ['CHUNK_ORDER']);
});

void t.test('when a chunk is copied from another recording at the same index, then it fails authentication', async (t) => {
  const fixture = await storeFixture(t);
  const a = await sealedRecording(fixture, 130, 9);
  const b = await sealedRecording(fixture, 130, 10);
  const bytesA = await readFile(fixture.store.sealedPath(a.id));
  const bytesB = await readFile(fixture.store.sealedPath(b.id));
  const headerBytes = bytesA.readUInt16BE(10);
  bytesB.copy(bytesA, headerBytes, headerBytes, headerBytes + FULL_CHUNK_BYTES);
  await writeFile(fixture.store.sealedPath(a.id), bytesA);
  t.same((await fixture.store.verify(a.id)).codes, ['CHUNK_AUTH_FAILED', 'CONTENT_HASH_MISMATCH']);
});

void t.test('when two recordings swap file names, then both are detected as swapped', async (t) => {
  const fixture = await storeFixture(t);
  const a = await sealedRecording(fixture, 80, 12);
  const b = await sealedRecording(fixture, 80, 13);
  const fileA = fixture.store.sealedPath(a.id);
  const fileB = fixture.store.sealedPath(b.id);
  await rename(fileA, fileA + '.x');
  await rename(fileB, fileA);
  await rename(fileA + '.x', fileB);
  for (const id of [a.id, b.id]) {
    const result = await fixture.store.verify(id);
    t.equal(result.ok, false);
    t.equal(result.recordingId, id);
    t.ok(result.codes.includes('ID_MISMATCH'), result.codes.join(','));
    t.ok(result.codes.includes('SIGNATURE_INVALID'));
    await t.rejects(fixture.store.openReader(id), { code: 'RECORDING_CORRUPT' });
  }
  t.same(
    (await fixture.store.verifyAll()).map((r) => r.ok),
    [false, false],
  );
});

void t.test('when two recordings swap key files, then the keys are refused', async (t) => {
  const fixture = await storeFixture(t);
  const a = await sealedRecording(fixture, 60, 14);
  const b = await sealedRecording(fixture, 60, 15);
  await copyFile(fixture.store.keyPath(a.id), fixture.store.keyPath(b.id) + '.a');
  await copyFile(fixture.store.keyPath(b.id), fixture.store.keyPath(a.id));
  await rename(fixture.store.keyPath(b.id) + '.a', fixture.store.keyPath(b.id));
  t.same((await fixture.store.verify(a.id)).codes, ['KEY_INVALID']);
  await t.rejects(fixture.store.openReader(b.id), { code: 'RECORDING_CORRUPT' });
});

void t.test('when the store is opened with another master key, then keys do not unwrap and seals do not verify', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 60, 16);
  const other = await RecordingStore.open({ dataDir: fixture.dataDir, keys: createKeyHierarchy(randomBytes(32)), clock: fixture.clock, logger: silentLogger });
  t.same((await other.verify(id)).codes, ['KEY_INVALID', 'SIGNATURE_INVALID']);
});

void t.test('when a recording is destroyed, then its key and file are gone and verify says shredded', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 60, 17);
  const kept = await sealedRecording(fixture, 60, 18);
  const result = await fixture.store.destroy(id);
  t.same(result, { recordingId: id, keyRemoved: true, filesRemoved: 1 });
  await t.rejects(stat(fixture.store.keyPath(id)), { code: 'ENOENT' });
  await t.rejects(stat(fixture.store.sealedPath(id)), { code: 'ENOENT' });
  const verdict = await fixture.store.verify(id);
  t.equal(verdict.ok, false);
  t.ok(verdict.codes.includes('KEY_MISSING'));
  t.match(verdict.problems.join('\n'), /shredded/);
  t.same(await fixture.store.destroy(id), { recordingId: id, keyRemoved: false, filesRemoved: 0 });
  t.equal((await fixture.store.verify(kept.id)).ok, true, 'other recordings untouched');
});

void t.test('when only the key is gone (shredding interrupted before the file), then playback says the key is missing', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 60, 19);
  await unlink(fixture.store.keyPath(id));
  t.same((await fixture.store.verify(id)).codes, ['KEY_MISSING']);
  await t.rejects(fixture.store.openReader(id), { code: 'RECORDING_KEY_MISSING' });
  t.match(await fixture.store.list(), [{ recordingId: id, sealed: true, keyPresent: false }]);
});

void t.test('when a file in the recordings directory has a broken header, then list reports the problem', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 60, 20);
  await writeFile(fixture.store.sealedPath(id), Buffer.from('not a recording'));
  await writeFile(`${fixture.store.recordingsDir}/notes.txt`, 'ignored');
  const list = await fixture.store.list();
  t.equal(list.length, 1);
  t.match(list[0], { recordingId: id, problem: /header corrupt/ });
  t.same((await fixture.store.verify(id)).codes, ['HEADER_CORRUPT']);
});
