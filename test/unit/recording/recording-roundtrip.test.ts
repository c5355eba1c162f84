import t from 'tap';
import { readdir, stat } from 'node:fs/promises';
import { ALAW_TO_LINEAR } from '../../../src/recording/alaw.js';
import { createCipheriv, randomBytes } from 'node:crypto';
import { CHUNK_PREFIX_BYTES, derivedNonce, FLAG_GAP_CAUSES, FLAG_LAST, GAP_CAUSE_CODES, openChunk, parseChunkPrefix, SAMPLES_PER_CHUNK, SAMPLES_PER_TICK } from '../../../src/recording/recording-format.js';
import { RecordingReader } from '../../../src/recording/recording-reader.js';
import { frame, meta, prng, sealedRecording, silence, storeFixture } from './helpers.js';

void t.test('when ticks with gaps, duplicates, early and bad frames are written and sealed, then the read-back audio is exact', async (t) => {
  const fixture = await storeFixture(t);
  const m = meta({ startTick: 1000 });
  const writer = await fixture.store.create(m);
  const random = prng(42);
  const expected: Buffer[] = [];
  const write = (tick: number): void => {
    const audio = frame(random);
    t.equal(writer.writeTick(tick, audio), 'written');
    expected.push(audio);
  };
  t.equal(writer.writeTick(990, frame(random)), 'before-start');
  for (let tick = 1000; tick <= 1120; tick += 1) write(tick);
  t.equal(writer.writeTick(1050, frame(random)), 'duplicate');
  t.equal(writer.writeTick(1120, frame(random)), 'duplicate');
  write(1130); // ticks 1121..1129 lost
  expected.splice(expected.length - 1, 0, silence(9));
  t.equal(writer.writeTick(1131, Buffer.alloc(100)), 'invalid-frame');
  write(1132); // 1131 becomes a gap
  expected.splice(expected.length - 1, 0, silence(1));
  for (let tick = 1133; tick <= 1300; tick += 1) write(tick);
  write(1700); // a gap spanning several chunks
  expected.splice(expected.length - 1, 0, silence(399));
  const audio = Buffer.concat(expected);
  t.equal(writer.state, 'open');
  const summary = await writer.close('completed');
  t.equal(writer.state, 'closed');

  t.equal(summary.sampleCount, audio.length);
  t.equal(summary.durationMs, audio.length / 8);
  t.equal(summary.outcome, 'completed');
  t.equal(summary.salvaged, false);
  t.equal(summary.chunkCount, Math.floor(audio.length / SAMPLES_PER_CHUNK) + 1);
  t.match(summary.counters, { duplicateTicks: 2, beforeStartTicks: 1, invalidFrames: 1, gapTicks: 409, ticksWritten: 292 });
  const expectedGaps = [
    { tickFrom: 1121, tickTo: 1130, startSample: 121 * SAMPLES_PER_TICK, endSample: 130 * SAMPLES_PER_TICK, cause: 'frames-lost' },
    { tickFrom: 1131, tickTo: 1132, startSample: 131 * SAMPLES_PER_TICK, endSample: 132 * SAMPLES_PER_TICK, cause: 'frames-lost' },
    { tickFrom: 1301, tickTo: 1700, startSample: 301 * SAMPLES_PER_TICK, endSample: 700 * SAMPLES_PER_TICK, cause: 'frames-lost' },
  ];
  t.same(summary.gaps, expectedGaps);
  t.same(await readdir(fixture.store.recordingsDir), [`${m.recordingId}.tlr`], 'renamed from .tlr.part when sealed');
  t.equal((await stat(fixture.store.sealedPath(m.recordingId))).mode & 0o777, 0o600);

  const reader = await fixture.store.openReader(m.recordingId);
  t.teardown(() => reader.close());
  t.equal(reader.sampleCount, audio.length);
  t.equal(reader.durationMs, audio.length / 8);
  t.equal(reader.outcome, 'completed');
  t.equal(reader.startedAtMs, m.startedAtMs);
  t.equal(reader.callId, m.callId);
  t.equal(reader.channel, m.channel);
  t.equal(reader.sealedAtMs, fixture.clock.now());
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(audio), 'A-law identical, silence in the gaps');
  const pcm = await reader.readPcm16(0, reader.sampleCount);
  let pcmMismatch = -1;
  for (let i = 0; i < audio.length && pcmMismatch < 0; i += 1) {
    if (pcm.readInt16LE(i * 2) !== ALAW_TO_LINEAR[audio[i] as number]) pcmMismatch = i;
  }
  t.equal(pcmMismatch, -1, 'PCM is the decoded A-law');
  t.same(await reader.gaps(), expectedGaps, 'gaps from the encrypted chunk metadata');
  t.same(await fixture.store.verify(m.recordingId), { ok: true, recordingId: m.recordingId, problems: [], codes: [] });
});

void t.test('when a recording is read in random ranges, then each range equals the slice of the full read', async (t) => {
  const fixture = await storeFixture(t);
  const { id, audio } = await sealedRecording(fixture, 1234, 7);
  const reader = await fixture.store.openReader(id);
  t.teardown(() => reader.close());
  const random = prng(99);
  const ranges: [number, number][] = [
    [0, 0],
    [0, 1],
    [SAMPLES_PER_CHUNK - 1, SAMPLES_PER_CHUNK + 1],
    [SAMPLES_PER_CHUNK, 2 * SAMPLES_PER_CHUNK],
    [audio.length - 1, audio.length],
    [0, audio.length],
  ];
  for (let i = 0; i < 200; i += 1) {
    const a = Math.floor(random() * (audio.length + 1));
    const b = Math.floor(random() * (audio.length + 1));
    ranges.push([Math.min(a, b), Math.max(a, b)]);
  }
  for (const [start, end] of ranges) {
    if (!(await reader.readAlaw(start, end)).equals(audio.subarray(start, end))) t.fail(`A-law range ${start}-${end}`);
    const pcm = await reader.readPcm16(start, end);
    if (pcm.length !== (end - start) * 2 || (end > start && pcm.readInt16LE(0) !== ALAW_TO_LINEAR[audio[start] as number])) t.fail(`PCM range ${start}-${end}`);
  }
  t.pass(`${ranges.length} ranges compared`);
  await t.rejects(reader.readAlaw(-1, 5), { code: 'RANGE_INVALID' });
  await t.rejects(reader.readAlaw(5, 4), { code: 'RANGE_INVALID' });
  await t.rejects(reader.readAlaw(0, audio.length + 1), { code: 'RANGE_INVALID' });
  await t.rejects(reader.readAlaw(0.5, 4), { code: 'RANGE_INVALID' });
});

void t.test('when a recording ends exactly on a chunk boundary or is empty, then it seals and reads back', async (t) => {
  const fixture = await storeFixture(t);
  const exact = await sealedRecording(fixture, 100, 1);
  const empty = await sealedRecording(fixture, 0, 2);
  for (const { id, audio } of [exact, empty]) {
    const reader = await fixture.store.openReader(id);
    t.equal(reader.sampleCount, audio.length);
    t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(audio));
    await reader.close();
    await reader.close();
    await t.rejects(reader.readAlaw(0, 0), { code: 'RECORDING_CLOSED' });
    t.equal((await fixture.store.verify(id)).ok, true);
  }
});

void t.test('when recordings are listed, then header and trailer facts appear without decrypting', async (t) => {
  const fixture = await storeFixture(t);
  const sealed = await sealedRecording(fixture, 60, 3, { channel: 7, callId: 'call-x' });
  const open = await fixture.store.create(meta({ channel: 2 }));
  const list = await fixture.store.list();
  t.equal(list.length, 2);
  const sealedEntry = list.find((entry) => entry.recordingId === sealed.id);
  t.match(sealedEntry, {
    sealed: true,
    keyPresent: true,
    header: { callId: 'call-x', channel: 7 },
    trailer: { outcome: 'completed', sampleCount: 60 * SAMPLES_PER_TICK, durationMs: 1200 },
  });
  t.match(list.find((entry) => entry.recordingId === open.recordingId), { sealed: false, keyPresent: true, header: { channel: 2 } });
  t.same(fixture.store.activeIds(), [open.recordingId]);
  await t.rejects(fixture.store.openReader(open.recordingId), { code: 'RECORDING_UNSEALED' });
  t.match(await fixture.store.verify(open.recordingId), { ok: false, codes: ['UNSEALED'] });
  await t.rejects(fixture.store.destroy(open.recordingId), { code: 'RECORDING_BUSY' });
  t.same((await fixture.store.verifyAll()).map((r) => r.recordingId), [sealed.id], 'active recordings are skipped');
  await open.close('completed');
  t.same(fixture.store.activeIds(), []);
});

void t.test('when ids or metadata are invalid, then clear errors come before any file is touched', async (t) => {
  const fixture = await storeFixture(t);
  for (const id of ['../../etc/passwd', 'ABCDEF00-0000-0000-0000-000000000000', '', 'x']) {
    await t.rejects(fixture.store.openReader(id), { code: 'RECORDING_ID_INVALID' });
    await t.rejects(fixture.store.verify(id), { code: 'RECORDING_ID_INVALID' });
    await t.rejects(fixture.store.destroy(id), { code: 'RECORDING_ID_INVALID' });
    await t.rejects(fixture.store.create(meta({ recordingId: id })), { code: 'RECORDING_ID_INVALID' });
  }
  await t.rejects(fixture.store.create(meta({ callId: '' })), { code: 'RECORDING_META_INVALID' });
  await t.rejects(fixture.store.create(meta({ callId: 'x'.repeat(129) })), { code: 'RECORDING_META_INVALID' });
  await t.rejects(fixture.store.create(meta({ channel: 70000, startTick: -1 })), { code: 'RECORDING_META_INVALID' });
  t.same(await readdir(fixture.store.recordingsDir), []);
  t.same(await readdir(fixture.store.keysDir), []);
});

void t.test('when a recording id is created twice, then RECORDING_EXISTS', async (t) => {
  const fixture = await storeFixture(t);
  const m = meta();
  const [first, second] = await Promise.allSettled([fixture.store.create(m), fixture.store.create(m)]);
  t.equal(first.status, 'fulfilled');
  t.match(second, { status: 'rejected', reason: { code: 'RECORDING_EXISTS' } });
  if (first.status === 'fulfilled') await first.value.close('completed');
  await t.rejects(fixture.store.create(m), { code: 'RECORDING_EXISTS' });
});

void t.test('when a missing recording is opened, then RECORDING_NOT_FOUND', async (t) => {
  const fixture = await storeFixture(t);
  const id = meta().recordingId;
  await t.rejects(fixture.store.openReader(id), { code: 'RECORDING_NOT_FOUND' });
  t.match(await fixture.store.verify(id), { ok: false, codes: ['KEY_MISSING', 'NOT_FOUND'] });
  await t.rejects(
    RecordingReader.open(
      { recordingId: id, file: fixture.store.sealedPath(id), keyFile: fixture.store.keyPath(id) },
      { wrapKey: fixture.keys.recordingWrapKey, sealPublicKey: fixture.keys.recordingSealKey.publicKey },
    ),
    { code: 'RECORDING_NOT_FOUND' },
  );
});

void t.test('when close is called twice, then both calls get the same summary and later ticks are refused', async (t) => {
  const fixture = await storeFixture(t);
  const writer = await fixture.store.create(meta());
  writer.writeTick(1000, frame(prng(1)));
  const [a, b] = await Promise.all([writer.close('interrupted'), writer.close('completed')]);
  t.equal(a, b);
  t.equal(a.outcome, 'interrupted');
  t.equal(writer.writeTick(1001, frame(prng(2))), 'failed');
  t.equal(writer.stats.ticksAfterFailure, 1);
});

/** A chunk record built by hand, as a writer of another version would have: flags and gap entries chosen freely. */
function handmadeChunk(flags: number, gapEntries: Buffer, samples: Buffer): { record: Buffer; key: Buffer; headerHash: Buffer } {
  const key = randomBytes(32);
  const headerHash = randomBytes(32);
  const plaintext = Buffer.concat([Buffer.from([0, gapEntries.length === 0 ? 0 : 1]), gapEntries, samples]);
  const prefix = Buffer.alloc(CHUNK_PREFIX_BYTES);
  prefix.writeUInt8(0x43, 0);
  prefix.writeUInt8(flags, 1);
  prefix.writeUInt32BE(0, 2);
  prefix.writeUInt32BE(samples.length, 6);
  prefix.writeUInt32BE(plaintext.length, 10);
  derivedNonce(0).copy(prefix, 14);
  const cipher = createCipheriv('aes-256-gcm', key, derivedNonce(0));
  cipher.setAAD(Buffer.concat([headerHash, prefix]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { record: Buffer.concat([prefix, body, cipher.getAuthTag()]), key, headerHash };
}

void t.test('when a chunk from before gap causes is read (8-byte gap entries), then its gaps read as frames-lost; an unknown cause is refused', async (t) => {
  const entry = Buffer.alloc(8);
  entry.writeUInt32BE(3, 0);
  entry.writeUInt32BE(5, 4);
  const legacy = handmadeChunk(FLAG_LAST, entry, Buffer.alloc(160, 0x55));
  const prefix = parseChunkPrefix(legacy.record.subarray(0, CHUNK_PREFIX_BYTES));
  t.equal(prefix.gapCauses, false);
  t.same(openChunk(legacy.record, prefix, legacy.key, legacy.headerHash).gaps, [{ fromOffset: 3, toOffset: 5, cause: 'frames-lost' }]);
  const unknown = handmadeChunk(FLAG_LAST | FLAG_GAP_CAUSES, Buffer.concat([entry, Buffer.from([9])]), Buffer.alloc(160, 0x55));
  const unknownPrefix = parseChunkPrefix(unknown.record.subarray(0, CHUNK_PREFIX_BYTES));
  t.throws(() => openChunk(unknown.record, unknownPrefix, unknown.key, unknown.headerHash), { name: 'FormatError', problem: 'STRUCTURE_CORRUPT' });
  const causes = handmadeChunk(FLAG_LAST | FLAG_GAP_CAUSES, Buffer.concat([entry, Buffer.from([GAP_CAUSE_CODES['service-restart']])]), Buffer.alloc(0));
  const causesPrefix = parseChunkPrefix(causes.record.subarray(0, CHUNK_PREFIX_BYTES));
  t.same(openChunk(causes.record, causesPrefix, causes.key, causes.headerHash).gaps, [{ fromOffset: 3, toOffset: 5, cause: 'service-restart' }]);
});
