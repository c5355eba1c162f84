/**
 * The capture path in its own thread, tested with the firmware's host build on a real
 * pseudo-terminal and the service started in this process (so this process's main thread is
 * the service's main thread):
 * - a main thread blocked for 200 ms at a time, over and over, while 8 channels are live over a
 *   history of 20,000 contact records, costs no audio: every recording has no gap;
 * - the capture thread dies mid-call: the service starts another, the calls go on in the same
 *   recordings after one gap marked 'capture-restart', and an alarm says so.
 * No assertion depends on timing: the blocking is the load, the events are waited for.
 */
import t, { type Test } from 'tap';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridgeSim } from './support/bridge-sim.js';
import { RECORDED_NUMBER, SPEECH_DIR, SPEECH_FILES } from './support/appliance-fixture.js';
import { parseConfig } from '../../src/config/load-config.js';
import { startAppliance, type Appliance } from '../../src/main.js';
import { PasswordHasher } from '../../src/access/password-hasher.js';
import { createLogger } from '../../src/log.js';
import { systemClock } from '../../src/clock.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { seedHistory } from '../../src/history/seed-history.js';
import type { CallChange } from '../../src/calls/call-tracker.js';
import type { Gap } from '../../src/recording/recording-format.js';
import type { CaptureStats } from '../../src/capture-thread/capture-messages.js';

interface Box {
  readonly dir: string;
  readonly linkPath: string;
  readonly appliance: Appliance;
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves when `count` calls have ended (as the capture thread tells them). */
  ended(count: number): Promise<CallChange[]>;
  /** Resolves when `count` calls have started. */
  started(count: number): Promise<CallChange[]>;
}

async function startBox(t: Test, options: { historyDays: number; callsPerDay: number; scenario: string[]; simArgs?: string[] }): Promise<Box & { sim: ReturnType<typeof startBridgeSim> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-thread-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const file of SPEECH_FILES) await copyFile(join(SPEECH_DIR, file), join(dir, file));
  const dataDir = join(dir, 'data');
  const linkPath = join(dir, 'bridge-link');
  if (options.historyDays > 0) {
    // A box months into its life: the history the main thread searches and keeps its index of.
    const storage = await openStorage({ dataDir, mode: 'demo', clock: systemClock, logger: createLogger({ sink: { write: () => undefined } }) });
    await seedHistory(storage.documents, {
      days: options.historyDays,
      callsPerDay: options.callsPerDay,
      nowMs: Date.now(),
      serviceNumbers: ['+358912345678'],
      agents: [{ extension: '2001', name: 'Aino Asiakaspalvelija', phone: '+358501002001' }],
    });
  }
  const scenarioPath = join(dir, 'test.scenario');
  await writeFile(scenarioPath, options.scenario.join('\n') + '\n');
  const sim = startBridgeSim(['--scenario', scenarioPath, '--link', linkPath, '--wait-hello', ...(options.simArgs ?? [])]);
  t.teardown(() => sim.stop());
  await sim.waitFor('PTY ');

  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', sink: { write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const config = parseConfig({
    mode: 'demo',
    dataDir,
    bridge: { path: linkPath },
    http: { host: '127.0.0.1', port: 0 },
    recording: { recordedServiceNumbers: [RECORDED_NUMBER] },
    agents: [{ extension: '2001', name: 'Aino Asiakaspalvelija', phone: '0501002001' }],
  });
  const appliance = await startAppliance(config, { logger, hasher: new PasswordHasher({ params: { memoryCost: 19456, timeCost: 2, parallelism: 1 } }) });
  t.teardown(() => appliance.stop());
  const changes: CallChange[] = [];
  const waiters: Array<() => void> = [];
  appliance.capture.on('call', (change) => {
    changes.push(change);
    for (const wake of waiters.splice(0)) wake();
  });
  const count = (kind: CallChange['kind'], n: number): Promise<CallChange[]> =>
    new Promise((resolve) => {
      const check = (): void => {
        const matching = changes.filter((change) => change.kind === kind);
        if (matching.length >= n) resolve(matching);
        else waiters.push(check);
      };
      check();
    });
  return { dir, linkPath, appliance, logs, sim, ended: (n) => count('ended', n), started: (n) => count('started', n) };
}

/** The gaps of every recording, by call id, read after the service stopped. */
async function gapsByCall(appliance: Appliance): Promise<Map<string, Gap[]>> {
  const gaps = new Map<string, Gap[]>();
  for (const entry of await appliance.storage.recordings.list()) {
    const reader = await appliance.storage.recordings.openReader(entry.recordingId);
    gaps.set(reader.callId, await reader.gaps());
    await reader.close();
  }
  return gaps;
}

/** Holds this thread (the service's main thread) for `ms`: a slow search, a long GC, a busy CPU. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

t.test('when the main thread is blocked 200 ms at a time (2 s in a row) while 8 channels are live over a history of 20,000 records, then every recording has no gap', async (t) => {
  const calls = Array.from({ length: 8 }, (_, channel) => `call ${200 + channel * 50} ${channel} 04012345${60 + channel} ${RECORDED_NUMBER} 2001 ${SPEECH_FILES[channel % SPEECH_FILES.length]} 12000`);
  // A bridge with a small buffer, as the hardware has: with the pty's own buffer about 1.5 s of
  // audio waits for the reader, less than one stall of the main thread (10 blocks of 200 ms in
  // a row, no I/O between them), so a capture path on the main thread loses frames at every
  // stall, while the capture thread has 1.5 s to spare even on a loaded machine.
  const box = await startBox(t, { historyDays: 10, callsPerDay: 2000, scenario: ['channels 8', ...calls], simArgs: ['--tx-buffer', '81920'] });
  t.equal(box.appliance.history.stats().records, 20_000, 'the history holds 20,000 records');
  await box.started(8);
  let done = false;
  void box.sim.waitFor('DONE', 120_000).then(() => (done = true));
  let blocks = 0;
  while (!done) {
    for (let i = 0; i < 10; i++) {
      block(200);
      blocks++;
      await Promise.resolve();
    }
    // A search and a page between the blocks, on this thread, as the calls view asks them.
    await box.appliance.history.page({ callerNumber: `+3584012345${60 + (blocks % 8)}` }, { order: 'desc', offset: 0, limit: 50 });
    await box.appliance.history.page({}, { order: 'desc', offset: 50 * (blocks % 20), limit: 50 });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ended = await box.ended(8);
  t.ok(blocks > 1, `the main thread was blocked ${blocks} times while the calls ran`);
  t.same(ended.map((change) => change.detail), Array(8).fill('completed'), 'every call completed');
  await box.appliance.stop();

  const gaps = await gapsByCall(box.appliance);
  t.equal(gaps.size, 8, 'one recording per call');
  for (const [callId, list] of gaps) t.same(list, [], `recording of call ${callId}: no gap`);
  const records = await box.appliance.history.search({ predicate: (record) => record.recordingId !== null });
  t.same(records.map((record) => record.recordingState), Array(8).fill('completed'), 'each contact record says completed');
});

t.test('when the capture thread dies mid-call, then another takes over, the calls go on in the same recordings after a capture-restart gap, and an alarm says so', async (t) => {
  const box = await startBox(t, {
    historyDays: 0,
    callsPerDay: 0,
    scenario: ['channels 4', `call 200 0 0401234567 ${RECORDED_NUMBER} 2001 maksupaiva.alaw 8000`, `call 300 3 0451234567 ${RECORDED_NUMBER} 2001 jasenmaksu.alaw 8000`],
  });
  const { capture } = box.appliance;
  await box.started(2);
  // Both recordings are open (the thread's counters come once a second).
  await new Promise<void>((resolve) => {
    const check = (stats: CaptureStats): void => {
      if (stats.tracker.recordingsStarted < 2) return;
      capture.off('stats', check);
      resolve();
    };
    capture.on('stats', check);
  });
  const restarted = new Promise<{ restarts: number; callsHeld: number }>((resolve) => capture.once('restarted', resolve));
  await capture.kill();
  t.same(await restarted, { restarts: 1, callsHeld: 2 }, 'a new capture thread took both calls over');
  t.ok(box.appliance.alarms.list().some((alarm) => alarm.code === 'CAPTURE_THREAD_RESTARTED'), 'CAPTURE_THREAD_RESTARTED is raised');
  await box.sim.waitFor('DONE', 60_000);
  const ended = await box.ended(2);
  t.same(ended.map((change) => change.detail), ['completed', 'completed'], 'both calls completed');
  t.equal(capture.health().restarts, 1, 'the health view counts the restart');
  await box.appliance.stop();

  const records = await box.appliance.history.search({ predicate: () => true });
  t.equal(records.length, 2, 'still one contact record per call');
  t.same(records.map((record) => record.recordingState), ['completed', 'completed']);
  const gaps = await gapsByCall(box.appliance);
  t.equal(gaps.size, 2, 'still one recording per call');
  for (const [callId, list] of gaps) {
    t.ok(list.length >= 1, `call ${callId}: the restart left a gap`);
    t.same(list.map((gap) => gap.cause), list.map(() => 'capture-restart'), `call ${callId}: every gap is marked capture-restart`);
  }
});
