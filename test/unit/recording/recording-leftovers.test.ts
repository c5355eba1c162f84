/**
 * RecordingStore.shredLeftovers and verifyAll around a destroy() cut short: a recording whose key
 * is being written (its file not created yet) is never taken for an orphan, and a file whose key
 * the purge shredded on purpose is told from a lost key and removed at the next start.
 */
import t from 'tap';
import { copyFile, readdir, access } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeFileOps, type FileOps } from '../../../src/storage/durable-file.js';
import { silentLogger } from '../../../src/log.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { meta, prng, sealedRecording, storeFixture, writeTicks } from './helpers.js';

t.test('when a recording is being created (key written, file not yet), then a clean-up that would shred every orphan leaves its key', async (t) => {
  const fixture = await storeFixture(t);
  let releaseOpen!: () => void;
  let openReached!: () => void;
  const reached = new Promise<void>((resolve) => (openReached = resolve));
  const gate = new Promise<void>((resolve) => (releaseOpen = resolve));
  const fileOps: FileOps = {
    ...nodeFileOps,
    open: async (path, flags, mode) => {
      if (path.endsWith('.tlr.part')) {
        openReached();
        await gate;
      }
      return nodeFileOps.open(path, flags, mode);
    },
  };
  const store = await RecordingStore.open({ ...fixture, logger: silentLogger, fileOps });
  const recording = meta();
  const creating = store.create(recording);
  await reached;
  await access(store.keyPath(recording.recordingId));
  const report = await store.shredLeftovers(async (ids) => new Set(ids));
  t.same(report.shreddedKeys, [], 'the key of the recording being created is not shredded');
  releaseOpen();
  const writer = await creating;
  writeTicks(writer, 60, prng(1));
  await writer.close('completed');
  t.match(await store.verify(recording.recordingId), { ok: true });
});

t.test('when the purge shredded a key and died before removing the file, then verifyAll says so and the next start removes the file', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 60, 3);
  const file = fixture.store.sealedPath(id);
  await copyFile(file, file + '.copy');
  await fixture.store.destroy(id);
  t.same(await readdir(fixture.store.keysDir), [], 'destroy leaves no mark once done');
  // The state a crash between the key and the file leaves: mark, file, no key.
  await copyFile(file + '.copy', file);
  await (await import('node:fs/promises')).writeFile(join(fixture.store.keysDir, `${id}.shredded`), '{}');
  t.match(await fixture.store.verifyAll(), [{ recordingId: id, ok: true, shredded: true }]);
  const report = await fixture.store.shredLeftovers(async () => new Set());
  t.same(report.finishedShreds, [id]);
  t.same(await readdir(fixture.store.keysDir), []);
  await t.rejects(access(file));
});
