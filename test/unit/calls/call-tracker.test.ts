import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { createLogger, silentLogger } from '../../../src/log.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import { CallTracker, LINK_HOLD_MS } from '../../../src/calls/call-tracker.js';
import { RecordingRules } from '../../../src/calls/recording-rules.js';
import { AgentDirectory } from '../../../src/calls/agent-directory.js';
import { AlarmLog } from '../../../src/health/alarms.js';
import { closeUnfinishedCalls, reopenUnfinishedCalls } from '../../../src/calls/unfinished-calls.js';
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
  return { dataDir, clock, history, recordings, alarms, tracker, keys };
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

t.test('when the link drops mid-call and the bridge announces the call again, then it stays ONE call with ONE recording and the lost time is a link-lost gap', async (t) => {
  const { history, recordings, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(2, 5, 10));
  for (let tick = 10; tick < 70; tick++) tracker.onAudio({ tick, channels: [{ channel: 2, samples: tone(tick) }] });
  tracker.onLinkDown();
  t.equal(tracker.activeCalls().length, 1, 'the call is held while the link is down');
  // After the reconnect: the bridge resends CALL_START with RESUMED, then the audio goes on.
  tracker.onCallStart(start(2, 5, 10, { resumed: true }));
  for (let tick = 120; tick < 160; tick++) tracker.onAudio({ tick, channels: [{ channel: 2, samples: tone(tick) }] });
  tracker.onCallEnd({ bootId: 1, channel: 2, callRef: 5, tick: 160, cause: 'normal' });
  await tracker.drain();
  const records = await history.search();
  t.equal(records.length, 1, 'one contact record');
  t.match(records[0], { endReason: 'completed', recordingState: 'completed', resumed: false });
  t.equal((await recordings.list()).length, 1, 'one recording');
  const reader = await recordings.openReader(records[0]!.recordingId!);
  t.teardown(() => reader.close());
  t.equal(reader.durationMs, 3000, 'time stays true from start to end');
  t.same(await reader.gaps(), [{ tickFrom: 70, tickTo: 120, startSample: 60 * 160, endSample: 110 * 160, cause: 'link-lost' }]);
  t.same((await reader.readAlaw(110 * 160, 111 * 160)), tone(120), 'the audio after the gap is the resumed audio');
  t.match(tracker.stats(), { callsStarted: 1, callsEnded: 1, callsInterrupted: 0, callsResumed: 1 });
});

t.test('when the link drops and the call ends meanwhile, then the end signal resent after the reconnect closes it, the rest of the call a link-lost gap', async (t) => {
  const { history, recordings, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(1, 8, 0));
  for (let tick = 0; tick < 50; tick++) tracker.onAudio({ tick, channels: [{ channel: 1, samples: tone(tick) }] });
  tracker.onLinkDown();
  tracker.onCallEnd({ bootId: 1, channel: 1, callRef: 8, tick: 100, cause: 'normal' });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { endReason: 'completed', recordingState: 'completed' });
  const reader = await recordings.openReader(record!.recordingId!);
  t.teardown(() => reader.close());
  t.equal(reader.durationMs, 2000);
  t.match(await reader.gaps(), [{ tickFrom: 50, tickTo: 100, cause: 'link-lost' }]);
});

t.test('when the link stays down beyond the hold, then the held call ends as link-lost and its recording as interrupted', async (t) => {
  const { clock, history, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(2, 5, 10));
  for (let tick = 10; tick < 70; tick++) tracker.onAudio({ tick, channels: [{ channel: 2, samples: tone(tick) }] });
  tracker.onLinkDown();
  clock.advance(LINK_HOLD_MS - 1);
  tracker.expireHeldCalls();
  t.equal(tracker.activeCalls().length, 1, 'still held');
  clock.advance(1);
  tracker.expireHeldCalls();
  tracker.onAudio({ tick: 71, channels: [{ channel: 2, samples: tone(71) }] });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { endReason: 'link-lost', recordingState: 'interrupted' });
  t.match(tracker.stats(), { callsInterrupted: 1, orphanAudioTicks: 1 });
  t.same(tracker.activeCalls(), []);
});

t.test('when another call is announced on a held channel, then the held call ends as link-lost and the new one is its own call', async (t) => {
  const { history, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(2, 5, 10));
  for (let tick = 10; tick < 70; tick++) tracker.onAudio({ tick, channels: [{ channel: 2, samples: tone(tick) }] });
  tracker.onLinkDown();
  tracker.onCallStart(start(2, 6, 200));
  for (let tick = 200; tick < 250; tick++) tracker.onAudio({ tick, channels: [{ channel: 2, samples: tone(tick) }] });
  tracker.onCallEnd({ bootId: 1, channel: 2, callRef: 6, tick: 250, cause: 'normal' });
  await tracker.drain();
  const reasons = (await history.search()).map((record) => [record.endReason, record.recordingState]).sort();
  t.same(reasons, [['completed', 'completed'], ['link-lost', 'interrupted']]);
});

t.test('when a call starts and ends while the link is down (no audio at all), then the record says no-audio and no empty recording is made', async (t) => {
  const { history, recordings, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(3, 11, 500));
  tracker.onCallEnd({ bootId: 1, channel: 3, callRef: 11, tick: 700, cause: 'normal' });
  await tracker.drain();
  const [record] = await history.search();
  t.match(record, { endReason: 'completed', recordingState: 'no-audio' });
  t.same(await recordings.list(), [], 'no 0 ms "completed" recording');
});

t.test('when the bridge restarts mid-call and announces the same call again, then it is one recording with a bridge-restart gap of the wall-clock time lost', async (t) => {
  const { clock, history, recordings, tracker } = await trackerFixture(t);
  tracker.onHeartbeat({ uptimeMs: 0, tick: 1000, activeChannels: [] });
  tracker.onCallStart(start(0, 7, 1000));
  for (let tick = 1000; tick < 1050; tick++) {
    tracker.onAudio({ tick, channels: [{ channel: 0, samples: tone(tick) }] });
    clock.advance(20);
  }
  tracker.onLinkDown();
  clock.advance(3000); // the bridge reboots: 3 s without audio
  tracker.onBridgeRestarted();
  // The new boot counts ticks from 0 and gives the call a new ref; the card's call is the same.
  tracker.onHeartbeat({ uptimeMs: 100, tick: 5, activeChannels: [0] });
  tracker.onCallStart(start(0, 1, 5, { bootId: 2, resumed: true }));
  for (let tick = 5; tick < 55; tick++) {
    tracker.onAudio({ tick, channels: [{ channel: 0, samples: tone(tick) }] });
    clock.advance(20);
  }
  tracker.onCallEnd({ bootId: 2, channel: 0, callRef: 1, tick: 55, cause: 'normal' });
  await tracker.drain();
  const records = await history.search();
  t.equal(records.length, 1, 'one contact record');
  t.match(records[0], { endReason: 'completed', recordingState: 'completed' });
  const reader = await recordings.openReader(records[0]!.recordingId!);
  t.teardown(() => reader.close());
  const gaps = await reader.gaps();
  t.equal(gaps.length, 1);
  t.match(gaps[0], { cause: 'bridge-restart', startSample: 50 * 160 });
  t.equal((gaps[0]!.endSample - gaps[0]!.startSample) / 8, 3000, 'the gap is the wall-clock time without audio');
  t.same(await reader.readAlaw(gaps[0]!.endSample, gaps[0]!.endSample + 160), tone(5));
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
  t.match(record, { resumed: true, recordingState: 'no-audio', recordingId: null, endReason: 'completed' });
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
  const { clock, history, tracker } = await trackerFixture(t);
  tracker.onCallStart(start(0, 1, 0));
  tracker.onCallStart(start(1, 2, 0));
  for (let beat = 0; beat < 7; beat++) tracker.onHeartbeat({ uptimeMs: beat * 1000, tick: beat * 50, activeChannels: [1] });
  tracker.onBridgeRestarted();
  await tracker.drain();
  t.equal(tracker.activeCalls().length, 1, 'the call of the restarted bridge is held');
  clock.advance(LINK_HOLD_MS);
  tracker.expireHeldCalls();
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

/** A second process on the same data: the first tracker's open calls as a crash left them. */
async function afterCrash(t: Test, fixture: Awaited<ReturnType<typeof trackerFixture>>) {
  const { clock, history, dataDir, keys } = fixture;
  const store = await RecordingStore.open({ dataDir, keys, clock, logger: silentLogger });
  const unfinished = await reopenUnfinishedCalls({ history, logger: silentLogger, reopen: (id) => store.reopen(id) });
  const closed = await closeUnfinishedCalls({ history, logger: silentLogger, skip: new Set(unfinished.map((c) => c.record.callId)), recordingOutcome: async () => undefined });
  const alarms = new AlarmLog(clock, silentLogger);
  const tracker = new CallTracker({
    history,
    recordings: store,
    rules: new RecordingRules(['0201234567'], 'FI'),
    agents: new AgentDirectory([], 'FI'),
    clock,
    logger: silentLogger,
    alarms,
    defaultRegion: 'FI',
  });
  tracker.adopt(unfinished);
  t.teardown(() => tracker.stop());
  return { tracker, store, unfinished, closed };
}

async function crashedCall(t: Test) {
  const fixture = await trackerFixture(t);
  fixture.tracker.onHeartbeat({ uptimeMs: 0, tick: 1000, activeChannels: [] });
  fixture.tracker.onCallStart(start(0, 7, 1000));
  for (let tick = 1000; tick < 1060; tick++) {
    fixture.tracker.onAudio({ tick, channels: [{ channel: 0, samples: tone(tick) }] });
    fixture.clock.advance(20);
  }
  await fixture.tracker.drain();
  const writer = fixture.recordings.activeIds();
  t.equal(writer.length, 1);
  // The crash: the process is gone; what reached the disk stays. The partial chunk is lost.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return fixture;
}

t.test('when the service restarts while a call runs and the bridge announces it again, then it goes on in the same recording after a service-restart gap', async (t) => {
  const fixture = await crashedCall(t);
  fixture.clock.advance(2000);
  const { tracker, store, unfinished, closed } = await afterCrash(t, fixture);
  t.equal(unfinished.length, 1);
  t.equal(closed, 0, 'the record is the tracker’s, not closed by recovery');
  t.equal(tracker.activeCalls().length, 1, 'held');
  tracker.onCallStart(start(0, 7, 1000, { resumed: true }));
  for (let tick = 1200; tick < 1250; tick++) tracker.onAudio({ tick, channels: [{ channel: 0, samples: tone(tick) }] });
  tracker.onCallEnd({ bootId: 1, channel: 0, callRef: 7, tick: 1250, cause: 'normal' });
  await tracker.drain();
  const records = await fixture.history.search();
  t.equal(records.length, 1);
  t.match(records[0], { endReason: 'completed', recordingState: 'completed' });
  const reader = await store.openReader(records[0]!.recordingId!);
  t.teardown(() => reader.close());
  t.equal(reader.durationMs, 5000, 'start to end, in true time');
  t.same((await reader.gaps()).map((gap) => [gap.tickFrom, gap.tickTo, gap.cause]), [[1050, 1200, 'service-restart']]);
  t.same(await reader.readAlaw(200 * 160, 201 * 160), tone(1200));
});

t.test('when the service restarts and the bridge sends only the call’s end, then the rest of the call is a service-restart gap', async (t) => {
  const fixture = await crashedCall(t);
  const { tracker, store } = await afterCrash(t, fixture);
  tracker.onCallEnd({ bootId: 1, channel: 0, callRef: 7, tick: 1100, cause: 'normal' });
  await tracker.drain();
  const [record] = await fixture.history.search();
  t.match(record, { endReason: 'completed', recordingState: 'completed' });
  const reader = await store.openReader(record!.recordingId!);
  t.teardown(() => reader.close());
  t.equal(reader.durationMs, 2000);
  t.match(await reader.gaps(), [{ tickFrom: 1050, tickTo: 1100, cause: 'service-restart' }]);
});

t.test('when the service restarts and the call is not announced again in time, then it ends as service-stopped where its audio ended', async (t) => {
  const fixture = await crashedCall(t);
  const { tracker } = await afterCrash(t, fixture);
  tracker.onCallStart(start(0, 9, 3000, { caller: '0409999999' })); // another call on the channel: not ours
  await tracker.drain();
  fixture.clock.advance(LINK_HOLD_MS);
  tracker.expireHeldCalls();
  await tracker.stop();
  const records = await fixture.history.search();
  const first = records.find((record) => record.callerNumber === '+358401234567');
  t.match(first, { endReason: 'service-stopped', recordingState: 'interrupted' });
  t.equal(Date.parse(first!.endedAt!) - Date.parse(first!.startedAt), 1000, 'ended where its kept audio ended');
});

t.test('when a crash leaves calls whose recording cannot go on, then recovery closes them and the tracker takes over only the others', async (t) => {
  const fixture = await trackerFixture(t);
  fixture.tracker.onCallStart(start(0, 1, 0));
  fixture.tracker.onCallStart(start(1, 2, 0));
  fixture.tracker.onCallStart(start(2, 3, 0, { called: '0912345678' })); // not recorded
  for (let tick = 0; tick < 60; tick++) {
    fixture.tracker.onAudio({ tick, channels: [0, 1, 2].map((channel) => ({ channel, samples: tone(tick) })) });
    fixture.clock.advance(20);
  }
  await fixture.tracker.drain();
  const store = await RecordingStore.open({ dataDir: fixture.dataDir, keys: fixture.keys, clock: fixture.clock, logger: silentLogger });
  const records = await fixture.history.search();
  const refused = records.find((record) => record.channel === 1)!.recordingId;
  const logs: string[] = [];
  const logger = createLogger({ sink: { write: (line) => logs.push(line) } });
  const unfinished = await reopenUnfinishedCalls({
    history: fixture.history,
    logger,
    reopen: async (id) => {
      if (id === refused) throw Object.assign(new Error('the disk said no'), { code: 'STORAGE_IO_ERROR' });
      return store.reopen(id);
    },
  });
  t.same(unfinished.map((call) => call.record.channel), [0]);
  t.match(logs.join(''), /cannot go on.*STORAGE_IO_ERROR/);
  t.equal(unfinished[0]!.audioEndMs, START_MS + 1000, 'the kept audio ends after its two half-second chunks');
  const closed = await closeUnfinishedCalls({
    history: fixture.history,
    logger: silentLogger,
    skip: new Set(unfinished.map((call) => call.record.callId)),
    recordingOutcome: async (id) => (id === refused ? { outcome: 'interrupted', durationMs: 1000 } : undefined),
  });
  t.equal(closed, 2);
  const after = await fixture.history.search();
  t.match(after.find((record) => record.channel === 0), { endedAt: null }, 'the tracker’s call stays open');
  t.match(after.find((record) => record.channel === 1), { endReason: 'service-stopped', recordingState: 'interrupted', endedAt: new Date(START_MS + 1000).toISOString() });
  t.match(after.find((record) => record.channel === 2), { endReason: 'service-stopped', recordingState: 'not-recorded' });
  for (const call of unfinished) await call.writer.close('interrupted');
});
