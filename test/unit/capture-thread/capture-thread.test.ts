/**
 * The main thread's handle on the capture thread, where it refuses: a thread that cannot start
 * fails the start with a clear code (the service then does not start), and the test hooks say
 * which mode they belong to. The real thread is started (node:worker_threads).
 */
import t, { type Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureThread } from '../../../src/capture-thread/capture-thread.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { AlarmLog } from '../../../src/health/alarms.js';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { ttyBinding } from '../../../src/capture/tty-binding.js';

async function handle(t: Test, masterKey: Uint8Array, inline: boolean): Promise<CaptureThread> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-capture-thread-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
  const history = new ContactHistory(await DocumentStore.open({ dataDir, key: Buffer.alloc(32, 7), logger: silentLogger }));
  return new CaptureThread({
    start: {
      dataDir,
      masterKey,
      bridge: { path: join(dataDir, 'no-bridge'), baudRate: 921600 },
      defaultRegion: 'FI',
      logLevel: 'error',
      settings: { agents: [], recordedServiceNumbers: ['0201234567'] },
    },
    history,
    alarms: new AlarmLog(clock, silentLogger),
    logger: silentLogger,
    now: () => clock.now(),
    recover: async () => undefined,
    ...(inline ? { inline: { clock } } : {}),
  });
}

t.test('when the capture thread cannot start (a master key of the wrong size), then the start fails with CAPTURE_START_FAILED', async (t) => {
  const capture = await handle(t, new Uint8Array(3), false);
  await t.rejects(capture.start(), { code: 'CAPTURE_START_FAILED' });
  t.equal(capture.health().running, false);
});

t.test('when the thread runs, then its tracker is not reachable from here, and kill() ends it and another starts', async (t) => {
  const capture = await handle(t, new Uint8Array(32).fill(1), false);
  await capture.start();
  t.teardown(() => capture.stop());
  t.throws(() => capture.inlineTracker, { code: 'CAPTURE_NOT_INLINE' });
  const restarted = new Promise<{ restarts: number; callsHeld: number }>((resolve) => capture.once('restarted', resolve));
  await capture.kill();
  t.same(await restarted, { restarts: 1, callsHeld: 0 });
  t.equal(capture.health().restarts, 1);
  capture.updateSettings({ agents: [], recordedServiceNumbers: ['0201234568'] });
});

t.test('when the engine runs on this thread, then there is no thread to kill', async (t) => {
  const capture = await handle(t, new Uint8Array(32).fill(1), true);
  await capture.start();
  t.teardown(() => capture.stop());
  await t.rejects(capture.kill(), { code: 'CAPTURE_INLINE' });
  t.ok(capture.inlineTracker, 'its tracker is reachable');
});

t.test('when the tty binding opens something that is not a serial line, then it refuses', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-tty-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'not-a-tty');
  await (await import('node:fs/promises')).writeFile(file, 'x');
  await t.rejects(ttyBinding.open({ path: file, baudRate: 921600 }), /not a serial line/);
  t.same(await ttyBinding.list(), []);
});
