import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import { CallTracker } from '../../../src/calls/call-tracker.js';
import { RecordingRules } from '../../../src/calls/recording-rules.js';
import { AgentDirectory } from '../../../src/calls/agent-directory.js';
import { AlarmLog } from '../../../src/health/alarms.js';
import type { CallStartEvent } from '../../../src/capture/bridge-events.js';

const START_MS = Date.UTC(2026, 10, 28, 8, 0, 0);

async function trackerFixture(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-tracker-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const keys = createKeyHierarchy(randomBytes(32));
  const clock = new ManualClock(START_MS);
  const history = new ContactHistory(await DocumentStore.open({ dataDir, key: keys.documentKey, logger: silentLogger, clock }));
  const recordings = await RecordingStore.open({ dataDir, keys, clock, logger: silentLogger });
  const alarms = new AlarmLog(clock, silentLogger);
  const tracker = new CallTracker({
    history,
    recordings,
    rules: new RecordingRules(['0201234567'], 'FI'),
    agents: new AgentDirectory([{ extension: '2001', name: 'Aino Asiakaspalvelija', phone: '0501002001' }], 'FI'),
    clock,
    logger: silentLogger,
    alarms,
    defaultRegion: 'FI',
  });
  return { dataDir, clock, history, recordings, alarms, tracker };
}

function start(channel: number, callRef: number, tick: number, extra: Partial<CallStartEvent> = {}): CallStartEvent {
  return { bootId: 1, channel, callRef, tick, caller: '0401234567', called: '0201234567', agentExtension: '2001', resumed: false, ...extra };
}

function tone(tick: number): Buffer {
  return Buffer.alloc(160, tick & 0xff);
}

t.test('when a recorded call runs from start to end signal, then its record carries P3 fields and its recording the audio', async (t) => {
  const { clock, history, recordings, tracker } = await trackerFixture(t);
  tracker.onHeartbeat({ uptimeMs: 0, tick: 1000, activeChannels: [] });
  tracker.onCallStart(start(0, 7, 1000));
  for (let tick = 1000; tick < 1100; tick++) {
    tracker.onAudio({ tick, channels: [{ channel: 0, samples: tone(tick) }] });
    clock.advance(20);
  }
  tracker.onCallEnd({ bootId: 1, channel: 0, callRef: 7, tick: 1100, cause: 'normal' });
  await tracker.drain();

  const [record] = await history.search();
  t.match(record, {
    startedAt: new Date(START_MS).toISOString(),
    endedAt: new Date(START_MS + 2000).toISOString(),
    callerNumber: '+358401234567',
    serviceNumber: '+358201234567',
    agentExtension: '2001',
    agentName: 'Aino Asiakaspalvelija',
    agentPhone: '+358501002001',
    recordingState: 'completed',
    endReason: 'completed',
    resumed: false,
  });
  const reader = await recordings.openReader(record!.recordingId!);
  t.equal(reader.durationMs, 2000);
  const audio = await reader.readAlaw(0, reader.sampleCount);
  t.same(audio.subarray(160 * 99, 160 * 100), tone(1099));
  await reader.close();
  t.match(tracker.stats(), { callsStarted: 1, callsEnded: 1, recordingsStarted: 1, callsInterrupted: 0 });
});

t.test('when a call is to an unrecorded number or the caller is withheld, then it has a record and no recording', async (t) => {
  const { history, recordings, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(1, 1, 0, { called: '0912345678', caller: '', agentExtension: '9999' }));
  tracker.onAudio({ tick: 0, channels: [{ channel: 1, samples: tone(0) }] });
  tracker.onCallEnd({ bootId: 1, channel: 1, callRef: 1, tick: 1, cause: 'abnormal' });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { callerNumber: null, recordingId: null, recordingState: 'not-recorded', endReason: 'abnormal', agentName: null, agentPhone: null });
  t.same(await recordings.list(), []);
});

t.test('when the link drops mid-call, then the call ends as link-lost with an interrupted recording, and later audio is orphaned', async (t) => {
  const { history, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(2, 5, 10));
  for (let tick = 10; tick < 70; tick++) tracker.onAudio({ tick, channels: [{ channel: 2, samples: tone(tick) }] });
  tracker.onLinkDown();
  tracker.onAudio({ tick: 71, channels: [{ channel: 2, samples: tone(71) }] });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { endReason: 'link-lost', recordingState: 'interrupted' });
  t.match(tracker.stats(), { callsInterrupted: 1, orphanAudioTicks: 1 });
  t.same(tracker.activeCalls(), []);
});

t.test('when a resumed call arrives after a reconnect, then it is recorded from its first audio, not from its original start tick', async (t) => {
  const { history, recordings, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(0, 9, 100, { resumed: true }));
  for (let tick = 600; tick < 650; tick++) tracker.onAudio({ tick, channels: [{ channel: 0, samples: tone(tick) }] });
  tracker.onCallEnd({ bootId: 1, channel: 0, callRef: 9, tick: 650, cause: 'normal' });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { resumed: true, recordingState: 'completed' });
  const reader = await recordings.openReader(record!.recordingId!);
  t.equal(reader.durationMs, 1000, 'one second of audio, no silence for the time before the reconnect');
  t.same(await reader.gaps(), []);
  await reader.close();
});

t.test('when a resumed call ends before any audio came, then no recording is made and the record says so', async (t) => {
  const { history, recordings, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(0, 9, 100, { resumed: true }));
  tracker.onCallEnd({ bootId: 1, channel: 0, callRef: 9, tick: 101, cause: 'normal' });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { resumed: true, recordingState: 'failed', endReason: 'completed' });
  t.same(await recordings.list(), []);
});

t.test('when the service stops mid-call, then the call is sealed as service-stopped and later events are ignored', async (t) => {
  const { history, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(3, 2, 0));
  tracker.onAudio({ tick: 0, channels: [{ channel: 3, samples: tone(0) }] });
  t.equal(tracker.activeCalls().length, 1);
  await tracker.stop();
  tracker.onCallStart(start(4, 3, 5));
  await tracker.drain();
  const records = await history.search();
  t.equal(records.length, 1);
  t.match(records[0], { endReason: 'service-stopped', recordingState: 'interrupted' });
});

t.test('when the bridge restarts or its heartbeat shows a channel idle for good, then the calls end without their end signal', async (t) => {
  const { history, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(0, 1, 0));
  tracker.onCallStart(start(1, 2, 0));
  for (let beat = 0; beat < 7; beat++) tracker.onHeartbeat({ uptimeMs: beat * 1000, tick: beat * 50, activeChannels: [1] });
  tracker.onBridgeRestarted();
  await tracker.drain();
  const reasons = (await history.search()).map((record) => [record.channel, record.endReason]).sort();
  t.same(reasons, [[0, 'end-signal-lost'], [1, 'bridge-restarted']]);
});

t.test('when the disk refuses the recording, then an alarm is raised and the call is still in the history', async (t) => {
  const { history, alarms, tracker, dataDir } = await trackerFixture(t);
  // The keys directory turned into a file: the wrapped key cannot be written.
  await rm(join(dataDir, 'keys'), { recursive: true, force: true });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dataDir, 'keys'), 'not a directory');
  tracker.onCallStart(start(0, 1, 0));
  tracker.onAudio({ tick: 0, channels: [{ channel: 0, samples: tone(0) }] });
  tracker.onCallEnd({ bootId: 1, channel: 0, callRef: 1, tick: 1, cause: 'normal' });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { recordingState: 'failed', endReason: 'completed' });
  t.match(alarms.list(), [{ code: 'RECORDING_FAILED' }]);
  t.equal(tracker.stats().recordingFailures, 1);
});
