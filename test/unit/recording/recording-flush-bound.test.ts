/**
 * The bound on audio lost at a kill -9: every sample is handed to the disk (sealed into a chunk,
 * appended and fdatasynced) no later than the first frame that arrives FLUSH_AFTER_MS after it,
 * whatever the frames' arrival pattern. Checked with an injected clock by counting, after each
 * frame, the samples that the durable part file holds; no timing is involved.
 */
import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { CHUNK_PREFIX_BYTES, decodeHeader, parseChunkPrefix, SAMPLES_PER_MS, SAMPLES_PER_TICK } from '../../../src/recording/recording-format.js';
import { FLUSH_AFTER_MS } from '../../../src/recording/recording-writer.js';
import { frame, meta, prng, storeFixture } from './helpers.js';

/** Samples held by the chunks of a part file (what a crash at this moment would keep). */
async function durableSamples(path: string): Promise<number> {
  const bytes = await readFile(path);
  let at = decodeHeader(bytes).headerBytes;
  let samples = 0;
  while (at + CHUNK_PREFIX_BYTES <= bytes.length) {
    const prefix = parseChunkPrefix(bytes.subarray(at, at + CHUNK_PREFIX_BYTES));
    if (at + prefix.recordBytes > bytes.length) break;
    samples += prefix.sampleCount;
    at += prefix.recordBytes;
  }
  return samples;
}

/** Feeds frames arriving at the given gaps (ms between frames) and checks the bound after each. */
async function checkBound(t: Test, arrivalGapsMs: number[]): Promise<void> {
  const fixture = await storeFixture(t);
  const m = meta();
  const writer = await fixture.store.create(m);
  const random = prng(17);
  const arrivals: number[] = [];
  const audio: Buffer[] = [];
  let worstLagMs = 0;
  for (const [i, gapMs] of arrivalGapsMs.entries()) {
    fixture.clock.advance(gapMs);
    const samples = frame(random);
    writer.writeTick(m.startTick + i, samples);
    arrivals.push(fixture.clock.now());
    audio.push(samples);
    await writer.flushed();
    const durable = await durableSamples(fixture.store.partPath(m.recordingId));
    // Every frame that arrived FLUSH_AFTER_MS ago or earlier must be on disk.
    const due = arrivals.filter((at) => at <= fixture.clock.now() - FLUSH_AFTER_MS).length * SAMPLES_PER_TICK;
    if (durable < due) {
      t.fail(`frame ${i}: ${durable} samples on disk, ${due} due`);
      return;
    }
    const firstUnflushed = arrivals[durable / SAMPLES_PER_TICK];
    if (firstUnflushed !== undefined) worstLagMs = Math.max(worstLagMs, fixture.clock.now() - firstUnflushed);
  }
  t.ok(worstLagMs < FLUSH_AFTER_MS, `no sample waited ${FLUSH_AFTER_MS} ms for the disk (worst ${worstLagMs} ms)`);
  t.ok(FLUSH_AFTER_MS + 20 <= 1000 * 0.6, 'the bound leaves the disk room within the promised second');
  await writer.close('completed');
  const reader = await fixture.store.openReader(m.recordingId);
  t.teardown(() => reader.close());
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(Buffer.concat(audio)), 'chunks flushed on time read back as the same audio');
  t.same(await fixture.store.verify(m.recordingId), { ok: true, recordingId: m.recordingId, problems: [], codes: [] });
  t.equal(reader.durationMs, (arrivalGapsMs.length * SAMPLES_PER_TICK) / SAMPLES_PER_MS);
}

t.test('when frames arrive in real time, then no sample waits FLUSH_AFTER_MS for the disk', async (t) => {
  await checkBound(t, new Array<number>(260).fill(20));
});

t.test('when frames arrive late and in bursts (a busy machine), then the bound still holds', async (t) => {
  const gaps: number[] = [];
  const random = prng(5);
  for (let burst = 0; burst < 20; burst++) {
    gaps.push(100 + Math.floor(random() * 500)); // the loop was busy
    for (let i = 0; i < 5 + Math.floor(random() * 30); i++) gaps.push(random() < 0.5 ? 0 : 1);
  }
  await checkBound(t, gaps);
});

t.test('when the caller asks for the partial chunk (the link went quiet), then it is on disk at once', async (t) => {
  const fixture = await storeFixture(t);
  const m = meta();
  const writer = await fixture.store.create(m);
  for (let i = 0; i < 10; i++) writer.writeTick(m.startTick + i, frame(prng(i)));
  writer.flushPartial();
  writer.flushPartial(); // nothing more to flush: no empty chunk
  await writer.flushed();
  t.equal(await durableSamples(fixture.store.partPath(m.recordingId)), 10 * SAMPLES_PER_TICK);
  t.equal(writer.stats.chunksFlushed, 1);
  await writer.close('completed');
  t.equal((await fixture.store.verify(m.recordingId)).ok, true);
});
