import t from 'tap';
import { ManualClock } from '../../../src/clock.js';
import { createLogger } from '../../../src/log.js';
import { BAD_REPLY, BridgeClient, type BridgeClientOptions, COMMAND_REJECTED, LINK_NOT_UP, REPLY_TIMEOUT, ReplyTimeoutError } from '../../../src/capture/bridge-client.js';
import type { AudioEvent, CallEndEvent, CallStartEvent, HeartbeatEvent, LinkDownEvent } from '../../../src/capture/bridge-events.js';
import {
  encodeAudio,
  encodeBoot,
  encodeCallEnd,
  encodeCallStart,
  encodeGetStatusReply,
  encodeHeartbeat,
  encodePingReply,
  FrameType,
  type PingPayload,
  ReplyStatus,
} from '../../../src/capture/frame-codec.js';
import { SerialLink } from '../../../src/capture/serial-link.js';
import { BridgeSim } from './bridge-sim.js';
import { MockBinding, nextEvent, recordingBinding, sleep, until } from './mock-port.js';

const PATH = '/dev/tallennin-bridge';
const BOOT_ID = 0x0badcafe;

interface Harness {
  client: BridgeClient;
  link: SerialLink;
  sim: BridgeSim;
  clock: ManualClock;
  mock: ReturnType<typeof recordingBinding>;
  logs: string[];
}

function harness(t: { teardown(fn: () => unknown): void }, options: Partial<BridgeClientOptions> = {}): Harness {
  MockBinding.reset();
  MockBinding.createPort(PATH, { record: true });
  const mock = recordingBinding();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: { write: (line) => logs.push(line) } });
  const link = new SerialLink({ path: PATH, binding: mock.binding, logger, reconnectInitialDelayMs: 5, reconnectMaxDelayMs: 20 });
  const clock = new ManualClock(1_000_000);
  const client = new BridgeClient({
    link,
    clock,
    logger,
    helloTimeoutMs: 40,
    requestTimeoutMs: 40,
    helloRejectedRetryMs: 30,
    linkCheckIntervalMs: 5,
    ...options,
  });
  t.teardown(() => client.stop());
  return { client, link, sim: new BridgeSim(mock), clock, mock, logs };
}

async function up(h: Harness, bootId = BOOT_ID, channelCount = 8): Promise<void> {
  const linkUp = nextEvent(h.client, 'linkUp');
  h.client.start();
  await h.sim.answerHello({ bootId, channelCount });
  await linkUp;
}

const callStart = (channel: number, callRef: number, resumed = false): Buffer =>
  encodeCallStart({ channel, callRef, tick: 500, resumed, caller: '+358401234567', called: '0201234567', agentExtension: '2101' });

void t.test('when the link opens, then the client sends HELLO and the reply brings the link up with the bridge info', async (t) => {
  const h = harness(t);
  const linkUp = nextEvent(h.client, 'linkUp');
  h.client.start();
  const hello = await h.sim.waitFor(FrameType.Hello);
  t.same(hello.decoded, { type: FrameType.Hello, payload: { hostProtocolVersion: 1 } });
  t.notOk(h.client.isLinkUp, 'not up before the reply');
  await h.sim.answerHello({ bootId: BOOT_ID, channelCount: 120 });
  t.same(await linkUp, { bootId: BOOT_ID, protocolVersion: 1, channelCount: 120, firmwareVersion: '1.0.0-test' });
  t.ok(h.client.isLinkUp);
  t.same(h.client.bridgeInfo, { bootId: BOOT_ID, protocolVersion: 1, channelCount: 120, firmwareVersion: '1.0.0-test' });
  t.match(h.client.stats(), { helloSent: 1, linkUps: 1, opens: 1, framesDecoded: 1 });
});

void t.test('when frames other than replies arrive before the HELLO reply, then they are ignored and not acknowledged', async (t) => {
  const h = harness(t);
  const starts: CallStartEvent[] = [];
  h.client.on('callStart', (e) => starts.push(e));
  h.client.start();
  await h.sim.waitFor(FrameType.Hello);
  h.sim.send(FrameType.CallStart, callStart(1, 10));
  h.sim.send(FrameType.Boot, encodeBoot({ bootId: BOOT_ID, protocolVersion: 1, channelCount: 8, firmwareVersion: '1.0' }));
  await until(() => h.client.stats().framesDecoded === 2);
  t.equal(h.client.stats().framesBeforeHello, 1);
  t.same(starts, []);
  t.same(h.sim.frames(FrameType.Ack), []);
});

void t.test('when HELLO gets no reply, then it is retried and after the last attempt the port is reopened and HELLO sent again', async (t) => {
  const h = harness(t, { helloAttempts: 2 });
  h.client.start();
  await h.sim.waitFor(FrameType.Hello, 2);
  await until(() => h.mock.opened.length === 2, 2000, 'a reopened port');
  t.match(h.client.stats(), { helloTimeouts: 2, replyTimeouts: 2 });
  const linkUp = nextEvent(h.client, 'linkUp');
  await h.sim.answerHello({ bootId: BOOT_ID });
  await linkUp;
  t.equal(h.client.stats().helloSent, 3);
});

void t.test('when the bridge refuses the handshake, then the link stays down and HELLO is retried after a pause', async (t) => {
  const h = harness(t);
  let ups = 0;
  h.client.on('linkUp', () => ups++);
  h.client.start();
  await h.sim.answerHello({ bootId: BOOT_ID, status: ReplyStatus.UnsupportedVersion });
  await h.sim.answerHello({ bootId: BOOT_ID, protocolVersion: 2, nth: 2 });
  await h.sim.waitFor(FrameType.Hello, 3);
  t.equal(ups, 0);
  t.equal(h.client.stats().helloRejected, 2);
  t.equal(h.mock.opened.length, 1, 'a refusal does not reopen the port');
  await h.sim.answerHello({ bootId: BOOT_ID, nth: 3 });
  await until(() => ups === 1);
});

void t.test('when CALL_START and CALL_END arrive, then each is acknowledged with its SEQ and emitted once, repeats acknowledged but dropped', async (t) => {
  const h = harness(t);
  await up(h);
  const starts: CallStartEvent[] = [];
  const ends: CallEndEvent[] = [];
  h.client.on('callStart', (e) => starts.push(e));
  h.client.on('callEnd', (e) => ends.push(e));

  const startSeq = h.sim.send(FrameType.CallStart, callStart(3, 42));
  await h.sim.waitFor(FrameType.Ack, 1);
  t.same(starts, [{ bootId: BOOT_ID, channel: 3, callRef: 42, tick: 500, caller: '+358401234567', called: '0201234567', agentExtension: '2101', resumed: false }]);
  t.same(h.sim.frames(FrameType.Ack)[0]?.decoded, { type: FrameType.Ack, payload: { ackedSeq: startSeq } });

  // A retransmission (same SEQ) after other frames, and an exact back-to-back duplicate.
  h.sim.send(FrameType.Heartbeat, encodeHeartbeat({ uptimeMs: 1, tick: 2, channelCount: 8, activeChannels: [3] }));
  h.sim.send(FrameType.CallStart, callStart(3, 42), startSeq);
  h.sim.send(FrameType.CallStart, callStart(3, 42), startSeq);
  // The bridge resent after a reconnect with RESUMED and a new SEQ: still the same call.
  const resumedSeq = h.sim.send(FrameType.CallStart, callStart(3, 42, true));
  await h.sim.waitFor(FrameType.Ack, 4);
  t.equal(starts.length, 1, 'the call started once');
  t.match(h.client.stats(), { duplicates: 1, signallingRepeats: 2, acksSent: 4 });

  const endSeq = h.sim.send(FrameType.CallEnd, encodeCallEnd({ channel: 3, callRef: 42, tick: 900, cause: 1 }));
  h.sim.send(FrameType.CallEnd, encodeCallEnd({ channel: 3, callRef: 42, tick: 900, cause: 1 }), endSeq);
  await h.sim.waitFor(FrameType.Ack, 6);
  t.same(ends, [{ bootId: BOOT_ID, channel: 3, callRef: 42, tick: 900, cause: 'abnormal' }]);
  t.same(
    h.sim.frames(FrameType.Ack).map((f) => (f.decoded?.payload as { ackedSeq: number }).ackedSeq),
    [startSeq, startSeq, startSeq, resumedSeq, endSeq, endSeq],
  );
  h.sim.send(FrameType.CallEnd, encodeCallEnd({ channel: 4, callRef: 43, tick: 950, cause: 0 }));
  await until(() => ends.length === 2);
  t.equal(ends[1]?.cause, 'normal');
});

void t.test('when the dedup memory is full, then the oldest calls are forgotten first', async (t) => {
  const h = harness(t, { dedupCapacity: 2 });
  await up(h);
  const starts: number[] = [];
  h.client.on('callStart', (e) => starts.push(e.callRef));
  for (const ref of [1, 2, 3, 3, 1]) h.sim.send(FrameType.CallStart, callStart(0, ref));
  await h.sim.waitFor(FrameType.Ack, 5);
  t.same(starts, [1, 2, 3, 1], 'call 1 was forgotten when call 3 came; the repeat of 3 was dropped');
});

void t.test('when audio and heartbeats arrive, then they are emitted with sample views and active channels', async (t) => {
  const h = harness(t);
  await up(h);
  const audio: Array<{ tick: number; channels: Array<{ channel: number; first: number; length: number }> }> = [];
  h.client.on('audio', (e: AudioEvent) => {
    audio.push({ tick: e.tick, channels: e.channels.map((c) => ({ channel: c.channel, first: c.samples[0] as number, length: c.samples.length })) });
  });
  const beat = nextEvent(h.client, 'heartbeat');
  h.sim.send(FrameType.Audio, encodeAudio({ tick: 77, channels: [{ channel: 0, samples: Buffer.alloc(160, 0x11) }, { channel: 7, samples: Buffer.alloc(160, 0x22) }] }));
  h.sim.send(FrameType.Heartbeat, encodeHeartbeat({ uptimeMs: 9000, tick: 450, channelCount: 8, activeChannels: [0, 7] }));
  const heartbeat: HeartbeatEvent = await beat;
  t.same(heartbeat, { uptimeMs: 9000, tick: 450, activeChannels: [0, 7] });
  t.same(audio, [{ tick: 77, channels: [{ channel: 0, first: 0x11, length: 160 }, { channel: 7, first: 0x22, length: 160 }] }]);
});

void t.test('when a frame does not parse or names a channel beyond channel_count, then it is counted, dropped and not acknowledged', async (t) => {
  const h = harness(t);
  await up(h, BOOT_ID, 4);
  let events = 0;
  for (const name of ['callStart', 'audio', 'heartbeat'] as const) h.client.on(name, () => events++);
  h.sim.send(FrameType.CallStart, callStart(4, 1)); // channel 4 of 4
  h.sim.send(FrameType.CallStart, Buffer.from([1, 2, 3]));
  h.sim.send(FrameType.Audio, encodeAudio({ tick: 1, channels: [{ channel: 5, samples: Buffer.alloc(160) }] }));
  h.sim.send(FrameType.Heartbeat, encodeHeartbeat({ uptimeMs: 1, tick: 1, channelCount: 8, activeChannels: [] }));
  h.sim.send(0x30, Buffer.alloc(0));
  h.sim.send(FrameType.Ack, Buffer.from([0, 0])); // a host command coming from the bridge
  h.sim.send(0xd0, Buffer.from([0, 0, 1])); // UNKNOWN_COMMAND for a command never sent
  await until(() => h.client.stats().framesDecoded === 8);
  t.match(h.client.stats(), { malformedPayload: 4, unknownType: 2, unmatchedReplies: 1, acksSent: 0 });
  t.equal(events, 0);
  t.ok(h.logs.some((l) => l.includes('malformed frame dropped') && l.includes('beyond channel_count')));
});

void t.test('when sequence numbers jump, then seqGaps sums the gaps and a late retransmission is no gap', async (t) => {
  const h = harness(t);
  await up(h); // the HELLO reply had seq 0
  const hb = encodeHeartbeat({ uptimeMs: 1, tick: 1, channelCount: 8, activeChannels: [] });
  h.sim.send(FrameType.Heartbeat, hb, 1);
  h.sim.send(FrameType.Heartbeat, hb, 4); // 2 and 3 lost
  h.sim.send(FrameType.CallStart, callStart(1, 9), 2); // 2 resent later
  h.sim.send(FrameType.Heartbeat, hb, 5);
  h.sim.send(FrameType.Heartbeat, hb, 65535 - 1); // far behind: treated as old, not as a gap of 65000
  await until(() => h.client.stats().framesDecoded === 6);
  t.match(h.client.stats(), { seqGaps: 2, duplicates: 0 });
});

void t.test('when no valid frame arrives for the link timeout, then linkDown says timeout, the port is reopened and the link comes back', async (t) => {
  const h = harness(t, { linkTimeoutMs: 2500 });
  await up(h);
  const downs: LinkDownEvent[] = [];
  h.client.on('linkDown', (e) => downs.push(e));
  // Frames keep it alive: 2 s of silence, a heartbeat, 2 s more.
  h.clock.advance(2000);
  h.sim.send(FrameType.Heartbeat, encodeHeartbeat({ uptimeMs: 1, tick: 1, channelCount: 8, activeChannels: [] }));
  await until(() => h.client.stats().framesDecoded === 2);
  h.clock.advance(2000);
  await sleep(30);
  t.same(downs, [], 'still up');
  h.clock.advance(500);
  await until(() => downs.length === 1);
  t.same(downs, [{ reason: 'timeout' }]);
  t.notOk(h.client.isLinkUp);
  await until(() => h.mock.opened.length === 2, 2000, 'the port reopened');
  const linkUp = nextEvent(h.client, 'linkUp');
  await h.sim.answerHello({ bootId: BOOT_ID });
  await linkUp;
  t.match(h.client.stats(), { linkTimeouts: 1, linkUps: 2, bridgeRestarts: 0 });
  t.equal(downs.length, 1, 'the close that follows the timeout is not a second linkDown');
});

void t.test('when the port closes, then linkDown says closed, requests fail as disconnected and a new boot id means a bridge restart', async (t) => {
  const h = harness(t);
  await up(h);
  const starts: number[] = [];
  h.client.on('callStart', (e) => starts.push(e.callRef));
  h.sim.send(FrameType.CallStart, callStart(1, 5));
  await until(() => starts.length === 1);

  const order: string[] = [];
  h.client.on('linkDown', (e) => order.push(`linkDown:${e.reason}`));
  h.client.on('bridgeRestarted', (e) => order.push(`bridgeRestarted:${e.previousBootId}->${e.bootId}`));
  h.client.on('linkUp', (e) => order.push(`linkUp:${e.bootId}`));
  const ping = h.client.ping();
  h.link.reconnect('test: the port went away'); // the link reports 'close' as for any closed port
  await t.rejects(ping, { code: LINK_NOT_UP, disconnected: true });
  await until(() => h.mock.opened.length === 2);
  await h.sim.answerHello({ bootId: 7 });
  await until(() => order.length === 3);
  t.same(order, ['linkDown:closed', `bridgeRestarted:${BOOT_ID}->7`, 'linkUp:7']);
  h.sim.send(FrameType.CallStart, callStart(1, 5));
  await until(() => starts.length === 2);
  t.same(starts, [5, 5], 'call refs of the new boot are new calls');
});

void t.test('when the link comes back with the same boot id, then no restart is reported, a resumed start is reported again and a resent end is not', async (t) => {
  const h = harness(t);
  await up(h);
  let restarts = 0;
  const starts: CallStartEvent[] = [];
  const ends: CallEndEvent[] = [];
  h.client.on('bridgeRestarted', () => restarts++);
  h.client.on('callStart', (e) => starts.push(e));
  h.client.on('callEnd', (e) => ends.push(e));
  h.sim.send(FrameType.CallStart, callStart(1, 5));
  const endSeq = h.sim.send(FrameType.CallEnd, encodeCallEnd({ channel: 2, callRef: 4, tick: 10, cause: 0 }));
  await until(() => starts.length === 1 && ends.length === 1);
  h.link.reconnect('test');
  await until(() => h.mock.opened.length === 2);
  const linkUp = nextEvent(h.client, 'linkUp');
  await h.sim.answerHello({ bootId: BOOT_ID });
  await linkUp;
  h.sim.send(FrameType.CallStart, callStart(1, 5, true));
  h.sim.send(FrameType.CallEnd, encodeCallEnd({ channel: 2, callRef: 4, tick: 10, cause: 0 }), endSeq);
  h.sim.send(FrameType.CallStart, callStart(1, 5, true));
  await h.sim.waitFor(FrameType.Ack, 3);
  t.equal(restarts, 0);
  t.same(
    starts.map((e) => e.resumed),
    [false, true],
    'the calls layer ended the call on linkDown: the resumed start reaches it once',
  );
  t.equal(ends.length, 1, 'the end resent after the reconnect is acknowledged, not emitted again');
});

void t.test('when a BOOT with a new boot id arrives while up, then the link goes down as restarted and the handshake runs again', async (t) => {
  const h = harness(t);
  await up(h);
  const order: string[] = [];
  h.client.on('linkDown', (e) => order.push(`linkDown:${e.reason}`));
  h.client.on('bridgeRestarted', (e) => order.push(`bridgeRestarted:${e.bootId}`));
  h.client.on('linkUp', (e) => order.push(`linkUp:${e.bootId}`));
  h.sim.send(FrameType.Boot, encodeBoot({ bootId: BOOT_ID, protocolVersion: 1, channelCount: 8, firmwareVersion: '1.0' }));
  await sleep(20);
  t.same(order, [], 'the same boot id changes nothing');
  h.sim.seq = 0; // a rebooted bridge starts its sequence again
  h.sim.send(FrameType.Boot, encodeBoot({ bootId: 99, protocolVersion: 1, channelCount: 8, firmwareVersion: '1.0' }));
  await h.sim.answerHello({ bootId: 99, nth: 2 });
  await until(() => order.length === 3);
  t.same(order, ['linkDown:restarted', 'bridgeRestarted:99', 'linkUp:99']);
  t.equal(h.mock.opened.length, 1, 'the port stayed open');
});

void t.test('when ping and getStatus are answered, then they resolve with the typed reply', async (t) => {
  const h = harness(t);
  await up(h);
  const ping = h.client.ping();
  const pingFrame = await h.sim.waitFor(FrameType.Ping);
  const nonce = (pingFrame.decoded?.payload as PingPayload).nonce;
  h.sim.send(FrameType.PingReply, encodePingReply({ requestSeq: pingFrame.seq, status: ReplyStatus.Ok, body: { nonce } }));
  t.same(await ping, { roundTripMs: 0 });

  const status = h.client.getStatus();
  const statusFrame = await h.sim.waitFor(FrameType.GetStatus);
  t.equal(statusFrame.payload.length, 0);
  const body = {
    uptimeMs: 5000,
    tick: 250,
    channelCount: 8,
    activeChannels: [2],
    rxFrames: 10,
    rxHeaderCrcErrors: 1,
    rxFrameCrcErrors: 2,
    txFrames: 300,
    txRetransmits: 3,
    txDroppedEvents: 0,
  };
  h.sim.send(FrameType.GetStatusReply, encodeGetStatusReply({ requestSeq: statusFrame.seq, status: ReplyStatus.Ok, body }));
  t.same(await status, body);
});

void t.test('when a request gets no reply, a refusal, a wrong nonce or a stray reply, then each is reported as such', async (t) => {
  const h = harness(t);
  await up(h);
  const timedOut = await h.client.ping().catch((e: unknown) => e);
  t.type(timedOut, ReplyTimeoutError);
  t.match(timedOut, { code: REPLY_TIMEOUT, timeout: true });

  const refused = h.client.getStatus();
  const statusFrame = await h.sim.waitFor(FrameType.GetStatus);
  h.sim.send(FrameType.GetStatusReply, encodeGetStatusReply({ requestSeq: statusFrame.seq, status: ReplyStatus.UnknownCommand, body: null }));
  await t.rejects(refused, { code: COMMAND_REJECTED });

  const wrong = h.client.ping();
  const pingFrame = await h.sim.waitFor(FrameType.Ping, 2);
  const nonce = (pingFrame.decoded?.payload as PingPayload).nonce;
  h.sim.send(FrameType.PingReply, encodePingReply({ requestSeq: pingFrame.seq, status: ReplyStatus.Ok, body: { nonce: (nonce + 1) >>> 0 } }));
  await t.rejects(wrong, { code: BAD_REPLY });

  // A reply for the first, timed-out ping, and a reply of the wrong type for nothing pending.
  const first = h.sim.frames(FrameType.Ping)[0];
  h.sim.send(FrameType.PingReply, encodePingReply({ requestSeq: first?.seq ?? 0, status: ReplyStatus.Ok, body: { nonce: 1 } }));
  await until(() => h.client.stats().unmatchedReplies === 1);
  t.equal(h.client.stats().replyTimeouts, 1);
});

void t.test('when the link is not up, then ping and getStatus fail at once as disconnected', async (t) => {
  const h = harness(t);
  await t.rejects(h.client.ping(), { code: LINK_NOT_UP, disconnected: true });
  await t.rejects(h.client.getStatus(), { code: LINK_NOT_UP, disconnected: true });
});

void t.test('when a listener throws, then the error is counted and logged without the message, and the client goes on', async (t) => {
  const h = harness(t);
  await up(h);
  h.client.on('callStart', () => {
    throw new Error('cannot normalise +358401234567');
  });
  const starts: number[] = [];
  h.client.on('callStart', (e) => starts.push(e.callRef));
  h.sim.send(FrameType.CallStart, callStart(1, 1));
  h.sim.send(FrameType.CallStart, callStart(2, 2));
  await h.sim.waitFor(FrameType.Ack, 2);
  await until(() => starts.length === 2);
  t.equal(h.client.stats().listenerErrors, 2);
  const logged = h.logs.filter((l) => l.includes('bridge event listener threw'));
  t.equal(logged.length, 2);
  t.notOk(h.logs.some((l) => l.includes('358401234567')), 'no phone number reaches the log');
});

void t.test('when the client is stopped, then linkDown says stopped, the port closes and stats hold every counter', async (t) => {
  const h = harness(t);
  await up(h);
  const down = nextEvent(h.client, 'linkDown');
  await h.client.stop();
  t.same(await down, { reason: 'stopped' });
  t.notOk(h.mock.current().isOpen);
  const stats = h.client.stats();
  for (const key of ['bytesSkipped', 'headerCrcErrors', 'tooLong', 'frameCrcErrors', 'unsupportedVersion', 'framesDecoded', 'opens', 'openFailures', 'disconnects', 'bytesIn', 'bytesOut', 'malformedPayload', 'unknownType', 'seqGaps', 'duplicates', 'listenerErrors']) {
    t.type(stats[key as keyof typeof stats], 'number', key);
  }
  t.ok(stats.bytesOut > 0 && stats.bytesIn > 0);
  await h.client.stop(); // a second stop is harmless
  h.client.start();
  await until(() => h.mock.opened.length === 2, 2000, 'a restarted client opens the port again');
});

void t.test('when an ACK cannot be written, then ackFailures counts it, the call is still reported and the link goes down as closed', async (t) => {
  const h = harness(t);
  await up(h);
  const starts: number[] = [];
  h.client.on('callStart', (e) => starts.push(e.callRef));
  const down = nextEvent(h.client, 'linkDown');
  h.mock.current().write = async () => {
    throw new Error('EIO: i/o error, write');
  };
  h.sim.send(FrameType.CallStart, callStart(1, 11));
  t.same(await down, { reason: 'closed' });
  await until(() => h.client.stats().ackFailures === 1);
  t.same(starts, [11]);
  t.equal(h.client.stats().writeErrors, 1);
});

void t.test('when a CALL_START and AUDIO arrive in the same read as the HELLO reply, then none of them is lost', async (t) => {
  const h = harness(t);
  const starts: CallStartEvent[] = [];
  const audio: AudioEvent[] = [];
  h.client.on('callStart', (event) => starts.push(event));
  h.client.on('audio', (event) => audio.push(event));
  h.client.start();
  const hello = await h.sim.waitFor(FrameType.Hello);
  const { encodeFrame, encodeHelloReply } = await import('../../../src/capture/frame-codec.js');
  const reply = encodeFrame(FrameType.HelloReply, 0, encodeHelloReply({ requestSeq: hello.seq, status: ReplyStatus.Ok, body: { bootId: BOOT_ID, protocolVersion: 1, channelCount: 8, firmwareVersion: '1.0.0-test' } }));
  const start = encodeFrame(FrameType.CallStart, 1, callStart(2, 9));
  const samples = encodeFrame(FrameType.Audio, 2, encodeAudio({ tick: 500, channels: [{ channel: 2, samples: Buffer.alloc(160, 0x55) }] }));
  h.sim.sendRaw(Buffer.concat([reply, start, samples]));
  await until(() => audio.length === 1, 1000, 'the audio of the same read');
  t.equal(starts.length, 1);
  t.equal(h.client.stats().framesBeforeHello, 0);
});
