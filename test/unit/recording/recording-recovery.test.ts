import t from 'tap';
import { appendFile, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../src/log.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { SAMPLES_PER_CHUNK } from '../../../src/recording/recording-format.js';
import { meta, prng, sealedRecording, storeFixture, writeTicks, type StoreFixture } from './helpers.js';

/** Writes `ticks` ticks, waits until the queue is on disk, and abandons the writer (a crash). */
async function crashedRecording(fixture: StoreFixture, ticks: number, seed: number): Promise<{ id: string; audio: Buffer }> {
  const m = meta();
  const writer = await fixture.store.create(m);
  const audio = writeTicks(writer, ticks, prng(seed));
  await writer.flushed();
  return { id: m.recordingId, audio };
}

/** A new process: a fresh store on the same data directory. */
function restart(fixture: StoreFixture): Promise<RecordingStore> {
  return RecordingStore.open({ dataDir: fixture.dataDir, keys: fixture.keys, clock: fixture.clock, logger: silentLogger });
}

void t.test('when a writer is abandoned after flushing chunks, then recovery seals them as interrupted and they verify', async (t) => {
  const fixture = await storeFixture(t);
  const { id, audio } = await crashedRecording(fixture, 175, 1); // 3 full chunks + 25 ticks still in memory
  t.same(await readdir(fixture.store.recordingsDir), [`${id}.tlr.part`]);
  const store = await restart(fixture);
  fixture.clock.advance(60_000);
  const report = await store.recoverOpen();
  t.same(report.recovered, [
    { recordingId: id, durationMs: 3000, sampleCount: 3 * SAMPLES_PER_CHUNK, chunkCount: 4, bytesCut: 0, alreadySealed: false },
  ]);
  t.same(report.quarantined, []);
  t.same(report.failed, []);
  t.same(await readdir(store.recordingsDir), [`${id}.tlr`]);
  t.same(await store.verify(id), { ok: true, recordingId: id, problems: [], codes: [] });
  const reader = await store.openReader(id);
  t.teardown(() => reader.close());
  t.equal(reader.outcome, 'interrupted');
  t.equal(reader.sealedAtMs, fixture.clock.now());
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(audio.subarray(0, 3 * SAMPLES_PER_CHUNK)), 'all flushed audio kept');
  t.same(await store.recoverOpen(), { recovered: [], quarantined: [], failed: [], orphanKeys: [] }, 'nothing left to do');
});

void t.test('when garbage follows the last good chunk, then recovery cuts it off there', async (t) => {
  const fixture = await storeFixture(t);
  const { id, audio } = await crashedRecording(fixture, 100, 2);
  const part = fixture.store.partPath(id);
  await appendFile(part, Buffer.alloc(5000, 0x43)); // looks like chunk records ('C') but is not
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.recovered, [{ recordingId: id, sampleCount: 2 * SAMPLES_PER_CHUNK, bytesCut: 5000 }]);
  const store = await restart(fixture);
  t.equal((await store.verify(id)).ok, true);
  const reader = await store.openReader(id);
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(audio));
  await reader.close();
});

void t.test('when the last chunk was torn by the crash, then recovery keeps the chunks before it', async (t) => {
  const fixture = await storeFixture(t);
  const { id, audio } = await crashedRecording(fixture, 150, 3);
  const part = fixture.store.partPath(id);
  const size = (await stat(part)).size;
  const bytes = await readFile(part);
  await writeFile(part, bytes.subarray(0, size - 4000)); // the third chunk is half on disk
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.recovered, [{ recordingId: id, sampleCount: 2 * SAMPLES_PER_CHUNK, durationMs: 2000 }]);
  const reader = await fixture.store.openReader(id);
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(audio.subarray(0, 2 * SAMPLES_PER_CHUNK)));
  await reader.close();
});

void t.test('when a chunk in the middle of a part file is damaged, then recovery cuts before it', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await crashedRecording(fixture, 200, 4);
  const part = fixture.store.partPath(id);
  const bytes = await readFile(part);
  const headerBytes = bytes.readUInt16BE(10);
  bytes.writeUInt8(bytes.readUInt8(headerBytes + 8044 + 500) ^ 0xff, headerBytes + 8044 + 500); // inside chunk 1
  await writeFile(part, bytes);
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.recovered, [{ recordingId: id, sampleCount: SAMPLES_PER_CHUNK }]);
  t.equal((await fixture.store.verify(id)).ok, true);
});

void t.test('when the crash came after sealing but before the rename, then recovery keeps the seal and its outcome', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 80, 5);
  await rename(fixture.store.sealedPath(id), fixture.store.partPath(id));
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.recovered, [{ recordingId: id, alreadySealed: true, bytesCut: 0, sampleCount: 80 * 160 }]);
  const reader = await fixture.store.openReader(id);
  t.equal(reader.outcome, 'completed');
  await reader.close();
});

void t.test('when a part file has no data key, then it is quarantined and reported, not deleted', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await crashedRecording(fixture, 60, 6);
  await unlink(fixture.store.keyPath(id));
  const original = await readFile(fixture.store.partPath(id));
  const report = await (await restart(fixture)).recoverOpen();
  t.same(report.recovered, []);
  t.match(report.quarantined, [{ recordingId: id, reason: 'data key missing' }]);
  t.ok((await readFile(report.quarantined[0]?.quarantinePath as string)).equals(original), 'bytes kept in quarantine');
  t.same(await readdir(fixture.store.recordingsDir), []);
});

void t.test('when a part file header is corrupt, then it is quarantined and its key is reported as orphan', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await crashedRecording(fixture, 60, 7);
  const bytes = await readFile(fixture.store.partPath(id));
  bytes.writeUInt8(bytes.readUInt8(0) ^ 0xff, 0);
  await writeFile(fixture.store.partPath(id), bytes);
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.quarantined, [{ recordingId: id, reason: /header corrupt/ }]);
  t.same(report.orphanKeys, [id]);
  t.equal((await readdir(join(fixture.dataDir, 'quarantine', 'recordings'))).length, 1);
});

void t.test('when a part file header names another recording, then it is quarantined', async (t) => {
  const fixture = await storeFixture(t);
  const a = await crashedRecording(fixture, 60, 8);
  const b = await crashedRecording(fixture, 60, 9);
  const bytesA = await readFile(fixture.store.partPath(a.id));
  await writeFile(fixture.store.partPath(b.id), bytesA);
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.recovered, [{ recordingId: a.id }]);
  t.match(report.quarantined, [{ recordingId: b.id, reason: /names recording/ }]);
});

void t.test('when a part file key does not unwrap, then it is quarantined', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await crashedRecording(fixture, 60, 10);
  await writeFile(fixture.store.keyPath(id), Buffer.alloc(88));
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.quarantined, [{ recordingId: id, reason: /data key unusable/ }]);
});

void t.test('when both a sealed file and a part file exist for one id, then the part is quarantined and the sealed one kept', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 60, 11);
  await writeFile(fixture.store.partPath(id), await readFile(fixture.store.sealedPath(id)));
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.quarantined, [{ recordingId: id, reason: /sealed recording with the same id/ }]);
  t.equal((await fixture.store.verify(id)).ok, true);
});

void t.test('when the store that owns an open writer runs recovery, then the open recording is left alone', async (t) => {
  const fixture = await storeFixture(t);
  const writer = await fixture.store.create(meta());
  writeTicks(writer, 60, prng(12));
  await writer.flushed();
  t.same((await fixture.store.recoverOpen()).recovered, []);
  const summary = await writer.close('completed');
  t.equal(summary.outcome, 'completed');
});

void t.test('when a part file has only its header, then it is sealed as an empty interrupted recording', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await crashedRecording(fixture, 10, 13);
  const report = await (await restart(fixture)).recoverOpen();
  t.match(report.recovered, [{ recordingId: id, sampleCount: 0, durationMs: 0, chunkCount: 1 }]);
  t.equal((await fixture.store.verify(id)).ok, true);
});
