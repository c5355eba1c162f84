/**
 * Link errors a person sees: the named counters of the bridge client (CRC errors, garbage bytes,
 * duplicate and lost frames, resynchronisations) from real bytes through the mock binding, and
 * the monitor that logs them (rate-limited, no personal data) and raises LINK_ERRORS above the
 * documented rate. Time is a ManualClock.
 */
import t from 'tap';
import { ManualClock } from '../../../src/clock.js';
import { createLogger } from '../../../src/log.js';
import { AlarmLog } from '../../../src/health/alarms.js';
import { BridgeClient } from '../../../src/capture/bridge-client.js';
import { encodeAudio, encodeFrame, FrameType } from '../../../src/capture/frame-codec.js';
import { LINK_ERROR_ALARM_PER_MINUTE, LINK_ERROR_LOG_INTERVAL_MS, LinkErrorMonitor, type LinkErrorCounters } from '../../../src/capture/link-errors.js';
import { SerialLink } from '../../../src/capture/serial-link.js';
import { BridgeSim } from './bridge-sim.js';
import { MockBinding, nextEvent, recordingBinding, until } from './mock-port.js';

const PATH = '/dev/tallennin-bridge';

async function upClient(t: { teardown(fn: () => unknown): void }) {
  MockBinding.reset();
  MockBinding.createPort(PATH, { record: true });
  const mock = recordingBinding();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: { write: (line) => logs.push(line) } });
  const clock = new ManualClock(1_000_000);
  const link = new SerialLink({ path: PATH, binding: mock.binding, logger, reconnectInitialDelayMs: 5, reconnectMaxDelayMs: 20 });
  const client = new BridgeClient({ link, clock, logger, helloTimeoutMs: 40, requestTimeoutMs: 40, linkCheckIntervalMs: 5 });
  t.teardown(() => client.stop());
  const sim = new BridgeSim(mock);
  const linkUp = nextEvent(client, 'linkUp');
  client.start();
  await sim.answerHello({ bootId: 7, channelCount: 8 });
  await linkUp;
  return { client, sim, clock, logs };
}

const audio = (tick: number): Buffer => encodeAudio({ tick, channels: [{ channel: 1, samples: Buffer.alloc(160, 0x55) }] });

t.test('when garbage, CRC errors, duplicates and lost frames reach the client, then its named link error counters say so', async (t) => {
  const { client, sim } = await upClient(t);
  t.same(client.linkErrors(), { rxCrcErrors: 0, garbageBytes: 0, oversizeFrames: 0, duplicateFrames: 0, lostFrames: 0, malformedFrames: 0, resyncs: 0 });
  sim.sendRaw(Buffer.alloc(100, 0x11)); // line noise
  sim.send(FrameType.Audio, audio(1));
  const bad = encodeFrame(FrameType.Audio, 50, audio(2));
  bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0xff, bad.length - 1); // frame CRC wrong
  sim.sendRaw(bad);
  const seq = sim.send(FrameType.Audio, audio(3));
  sim.send(FrameType.Audio, audio(3), seq); // an exact repeat
  sim.send(FrameType.Audio, audio(4), (seq + 3) & 0xffff); // two frames lost on the way
  await until(() => client.stats().framesDecoded >= 5);
  t.same(client.linkErrors(), { rxCrcErrors: 1, garbageBytes: 100 + bad.length, oversizeFrames: 0, duplicateFrames: 1, lostFrames: 2, malformedFrames: 0, resyncs: 2 });
});

function fakeSource(): { counters: LinkErrorCounters; read: () => LinkErrorCounters } {
  const counters: LinkErrorCounters = { rxCrcErrors: 0, garbageBytes: 0, oversizeFrames: 0, duplicateFrames: 0, lostFrames: 0, malformedFrames: 0, resyncs: 0 };
  return { counters, read: () => ({ ...counters }) };
}

t.test('when link errors keep coming, then one log line a minute reports them, without personal data', async (t) => {
  const clock = new ManualClock(0);
  const logs: string[] = [];
  const logger = createLogger({ sink: { write: (line) => logs.push(line) } });
  const source = fakeSource();
  const monitor = new LinkErrorMonitor({ read: source.read, clock, logger, alarms: new AlarmLog(clock, logger) });
  monitor.check();
  t.same(logs, [], 'nothing to say while the link is clean');
  source.counters.rxCrcErrors = 2;
  source.counters.garbageBytes = 40;
  monitor.check();
  t.equal(logs.length, 1);
  t.match(JSON.parse(logs[0]!), { level: 'warn', msg: 'link errors', rxCrcErrors: 2, garbageBytes: 40, duplicateFrames: 0, periodSeconds: 0 });
  for (let i = 0; i < 5; i++) {
    clock.advance(10_000);
    source.counters.rxCrcErrors++;
    monitor.check();
  }
  t.equal(logs.length, 1, 'rate-limited: no second line within the minute');
  clock.advance(LINK_ERROR_LOG_INTERVAL_MS - 50_000);
  monitor.check();
  t.equal(logs.length, 2);
  t.match(JSON.parse(logs[1]!), { msg: 'link errors', rxCrcErrors: 5, garbageBytes: 0, periodSeconds: 60 }, 'the errors since the last line');
  clock.advance(LINK_ERROR_LOG_INTERVAL_MS);
  monitor.check();
  t.equal(logs.length, 2, 'a clean minute says nothing');
  source.counters.duplicateFrames = 1;
  monitor.flush();
  t.equal(logs.length, 3, 'flush() (at stop) reports what is not yet told');
});

t.test('when errors exceed the documented rate, then LINK_ERRORS is raised once, and again only after a quiet spell', async (t) => {
  const clock = new ManualClock(0);
  const logger = createLogger({ sink: { write: () => undefined } });
  const alarms = new AlarmLog(clock, logger);
  const source = fakeSource();
  const monitor = new LinkErrorMonitor({ read: source.read, clock, logger, alarms });
  monitor.check();
  // Just under the threshold for a minute: no alarm.
  for (let i = 0; i < 6; i++) {
    clock.advance(10_000);
    source.counters.rxCrcErrors += Math.floor(LINK_ERROR_ALARM_PER_MINUTE / 6) - 1;
    monitor.check();
  }
  t.same(alarms.list(), []);
  // A burst above it.
  clock.advance(10_000);
  source.counters.lostFrames += LINK_ERROR_ALARM_PER_MINUTE + 1;
  monitor.check();
  t.match(alarms.list(), [{ code: 'LINK_ERRORS', fields: { perMinute: Number } }]);
  clock.advance(10_000);
  source.counters.lostFrames += LINK_ERROR_ALARM_PER_MINUTE + 1;
  monitor.check();
  t.equal(alarms.list().length, 1, 'still the same episode');
  for (let i = 0; i < 7; i++) {
    clock.advance(10_000);
    monitor.check();
  }
  source.counters.resyncs += LINK_ERROR_ALARM_PER_MINUTE + 1;
  clock.advance(10_000);
  monitor.check();
  t.equal(alarms.list().length, 2, 'a new episode after a quiet minute');
});
