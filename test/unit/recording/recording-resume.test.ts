import t from 'tap';
import { appendFile } from 'node:fs/promises';
import { silentLogger } from '../../../src/log.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { SAMPLES_PER_CHUNK, SAMPLES_PER_TICK } from '../../../src/recording/recording-format.js';
import { meta, prng, silence, storeFixture, writeTicks, type StoreFixture } from './helpers.js';

function restart(fixture: StoreFixture): Promise<RecordingStore> {
  return RecordingStore.open({ dataDir: fixture.dataDir, keys: fixture.keys, clock: fixture.clock, logger: silentLogger });
}

void t.test('when a part file left by a crash is reopened, then the recording goes on after a service-restart gap and seals as one verified file', async (t) => {
  const fixture = await storeFixture(t);
  const m = meta();
  const first = await fixture.store.create(m);
  const before = writeTicks(first, 120, prng(1)); // 2 full chunks on disk, 20 ticks lost with the crash
  await first.flushed();
  await appendFile(fixture.store.partPath(m.recordingId), Buffer.alloc(700, 0x43)); // a torn chunk
  const store = await restart(fixture);
  const writer = await store.reopen(m.recordingId);
  t.equal(writer.expectedTick, m.startTick + 100, 'goes on after the last good chunk');
  await t.rejects(store.reopen(m.recordingId), { code: 'RECORDING_EXISTS' });
  writer.markNextGap('service-restart');
  const after = writeTicks(writer, 30, prng(2), m.startTick + 150);
  const summary = await writer.close('completed');
  t.match(summary, { outcome: 'completed', sampleCount: 180 * SAMPLES_PER_TICK, gaps: [{ tickFrom: m.startTick + 100, tickTo: m.startTick + 150, cause: 'service-restart' }] });
  t.same(await store.verify(m.recordingId), { ok: true, recordingId: m.recordingId, problems: [], codes: [] });
  const reader = await store.openReader(m.recordingId);
  t.teardown(() => reader.close());
  const expected = Buffer.concat([before.subarray(0, 2 * SAMPLES_PER_CHUNK), silence(50), after]);
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(expected), 'the kept audio, the gap as silence, the audio after');
  t.same(await reader.gaps(), [{ tickFrom: m.startTick + 100, tickTo: m.startTick + 150, startSample: 100 * SAMPLES_PER_TICK, endSample: 150 * SAMPLES_PER_TICK, cause: 'service-restart' }]);
});

void t.test('when a part file was already being sealed (its last chunk is on disk), then it cannot go on and recovery seals it', async (t) => {
  const fixture = await storeFixture(t);
  const m = meta();
  const writer = await fixture.store.create(m);
  writeTicks(writer, 10, prng(3));
  await writer.close('completed');
  // A part file whose LAST chunk is on disk: the sealed file renamed back (a crash before the rename).
  const { rename } = await import('node:fs/promises');
  await rename(fixture.store.sealedPath(m.recordingId), fixture.store.partPath(m.recordingId));
  const store = await restart(fixture);
  await t.rejects(store.reopen(m.recordingId), { code: 'RECORDING_NOT_RESUMABLE' });
  const report = await store.recoverOpen();
  t.match(report.recovered, [{ recordingId: m.recordingId, alreadySealed: true }]);
  await t.rejects(store.reopen('not-a-uuid'), { code: 'RECORDING_ID_INVALID' });
});
