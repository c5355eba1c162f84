import t from 'tap';
import { readdir } from 'node:fs/promises';
import type { AppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { nodeFileOps, type FileOps } from '../../../src/storage/durable-file.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { SAMPLES_PER_CHUNK } from '../../../src/recording/recording-format.js';
import { frame, meta, prng, storeFixture, writeTicks } from './helpers.js';

/** File ops whose part-file writes fail with ENOSPC after `okWrites` successful writes. */
function diskFillsAfter(okWrites: number, errno = 'ENOSPC'): FileOps {
  return {
    ...nodeFileOps,
    open: async (path, flags, mode) => {
      const handle = await nodeFileOps.open(path, flags, mode);
      if (path.endsWith('.tlr.part')) {
        const write = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>;
        let count = 0;
        handle.write = (async (...args: unknown[]) => {
          count += 1;
          if (count > okWrites) throw Object.assign(new Error(`${errno}: write`), { code: errno });
          return write(...args);
        }) as typeof handle.write;
      }
      return handle;
    },
  };
}

void t.test('when the disk fills during a call, then the caller learns it and close seals what reached the disk', async (t) => {
  const fixture = await storeFixture(t);
  // Write 1 is the header, 2 and 3 the first two chunks; the third chunk hits the full disk.
  const store = await RecordingStore.open({ ...fixture, logger: silentLogger, fileOps: diskFillsAfter(3) });
  const errors: AppError[] = [];
  const m = meta();
  const writer = await store.create(m, { onError: (err) => errors.push(err) });
  const audio = writeTicks(writer, 160, prng(1));
  await writer.flushed();
  t.equal(writer.state, 'error');
  t.equal(errors.length, 1, 'onError called once');
  t.equal(errors[0]?.code, 'DISK_FULL');
  t.equal(writer.error?.code, 'DISK_FULL');
  t.equal(writer.writeTick(1160, frame(prng(2))), 'failed', 'later ticks are refused visibly');
  const summary = await writer.close('completed');
  t.equal(summary.outcome, 'interrupted');
  t.equal(summary.salvaged, true);
  t.equal(summary.sampleCount, 2 * SAMPLES_PER_CHUNK);
  t.equal(summary.counters.ticksAfterFailure, 1);
  t.equal(writer.state, 'closed');
  t.same(store.activeIds(), []);
  t.equal((await store.verify(m.recordingId)).ok, true);
  const reader = await store.openReader(m.recordingId);
  t.ok((await reader.readAlaw(0, reader.sampleCount)).equals(audio.subarray(0, 2 * SAMPLES_PER_CHUNK)));
  await reader.close();
});

void t.test('when the disk fills while sealing, then close still seals the chunks on disk as interrupted', async (t) => {
  const fixture = await storeFixture(t);
  const store = await RecordingStore.open({ ...fixture, logger: silentLogger, fileOps: diskFillsAfter(3) });
  const m = meta();
  const writer = await store.create(m);
  writeTicks(writer, 120, prng(3)); // two chunks written; the last chunk will fail
  const summary = await writer.close('completed');
  t.match(summary, { outcome: 'interrupted', salvaged: true, sampleCount: 2 * SAMPLES_PER_CHUNK });
  t.equal(writer.error?.code, 'DISK_FULL');
});

void t.test('when the part file vanishes after a failure, then close rejects with the original error', async (t) => {
  const fixture = await storeFixture(t);
  const store = await RecordingStore.open({ ...fixture, logger: silentLogger, fileOps: diskFillsAfter(1, 'EIO') });
  const m = meta();
  const writer = await store.create(m);
  writeTicks(writer, 60, prng(4));
  await writer.flushed();
  t.equal(writer.error?.code, 'STORAGE_IO_ERROR');
  const { unlink } = await import('node:fs/promises');
  await unlink(store.partPath(m.recordingId));
  await t.rejects(writer.close('completed'), { code: 'STORAGE_IO_ERROR' });
  t.same(store.activeIds(), []);
});

void t.test('when the tick jumps further than the limit, then the writer fails with RECORDING_TICK_JUMP', async (t) => {
  const fixture = await storeFixture(t);
  const errors: string[] = [];
  const writer = await fixture.store.create(meta({ startTick: 0 }), { maxGapTicks: 100, onError: (err) => errors.push(err.code) });
  writeTicks(writer, 60, prng(5), 0);
  t.equal(writer.writeTick(60 + 100, frame(prng(6))), 'written', 'a gap at the limit is filled');
  t.equal(writer.writeTick(161 + 101, frame(prng(7))), 'failed');
  t.same(errors, ['RECORDING_TICK_JUMP']);
  const summary = await writer.close('completed');
  t.match(summary, { outcome: 'interrupted', salvaged: false, sampleCount: 161 * 160 }, 'every sample taken before the jump is kept');
  t.match(summary.gaps, [{ tickFrom: 60, tickTo: 160 }]);
  t.equal((await fixture.store.verify(writer.recordingId)).ok, true);
});

void t.test('when chunks pile up faster than the disk takes them, then RECORDING_WRITE_STALLED', async (t) => {
  const fixture = await storeFixture(t);
  const errors: string[] = [];
  const writer = await fixture.store.create(meta(), { maxPendingChunks: 2, onError: (err) => errors.push(err.code) });
  writeTicks(writer, 200, prng(8)); // four chunks queued synchronously
  t.same(errors, ['RECORDING_WRITE_STALLED']);
  t.equal(writer.state, 'error');
  const summary = await writer.close('completed');
  t.match(summary, { outcome: 'interrupted', salvaged: false, sampleCount: 3 * SAMPLES_PER_CHUNK }, 'queued chunks still reach the disk');
  t.equal(summary.counters.ticksAfterFailure, 50, 'ticks after the stall are refused and counted');
});

void t.test('when an onError listener throws, then the writer still reaches the error state', async (t) => {
  const fixture = await storeFixture(t);
  const writer = await fixture.store.create(meta({ startTick: 0 }), {
    maxGapTicks: 1,
    onError: () => {
      throw new Error('listener bug');
    },
  });
  t.equal(writer.writeTick(5, frame(prng(9))), 'failed');
  t.equal(writer.state, 'error');
  t.equal((await writer.close('completed')).outcome, 'interrupted');
});

void t.test('when the header cannot be written, then create fails with DISK_FULL and leaves no files', async (t) => {
  const fixture = await storeFixture(t);
  const store = await RecordingStore.open({ ...fixture, logger: silentLogger, fileOps: diskFillsAfter(0) });
  await t.rejects(store.create(meta()), { code: 'DISK_FULL' });
  t.same(await readdir(store.recordingsDir), []);
  t.same(await readdir(store.keysDir), []);
});

void t.test('when a writer is running, then its stats count samples and pending chunks', async (t) => {
  const fixture = await storeFixture(t);
  const writer = await fixture.store.create(meta());
  writeTicks(writer, 75, prng(10));
  t.match(writer.stats, { samples: 75 * 160, durationMs: 1500, ticksWritten: 75 });
  await writer.flushed();
  t.match(writer.stats, { pendingChunks: 0, chunksFlushed: 1 });
  await writer.close('completed');
});
