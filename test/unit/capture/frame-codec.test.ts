import t, { type Test } from 'tap';
import { crc16CcittFalse, crc32 } from '../../../src/capture/crc.js';
import {
  AUDIO_SAMPLES_PER_TICK,
  type BridgeMessage,
  type DecodedMessage,
  CallEndCause,
  decodeAudio,
  decodeCallStart,
  decodeHeartbeat,
  decodePayload,
  encodeAudio,
  encodeBoot,
  encodeCallEnd,
  encodeCallStart,
  encodeFrame,
  encodeHeartbeat,
  encodePayload,
  FrameType,
  HEADER_BYTES,
  isKnownFrameType,
  MALFORMED_PAYLOAD,
  MalformedPayloadError,
  MAX_CHANNELS_PER_AUDIO_FRAME,
  MAX_FRAME,
  MAX_PAYLOAD,
  nextSeq,
  ReplyStatus,
} from '../../../src/capture/frame-codec.js';
import { samples } from './helpers.js';

const statusBody = {
  uptimeMs: 123456,
  tick: 6172,
  channelCount: 10,
  activeChannels: [1, 9],
  rxFrames: 10,
  rxHeaderCrcErrors: 1,
  rxFrameCrcErrors: 2,
  txFrames: 3000,
  txRetransmits: 4,
  txDroppedEvents: 0,
};

const everyMessage: BridgeMessage[] = [
  { type: FrameType.Boot, payload: { bootId: 0x12345678, protocolVersion: 1, channelCount: 128, firmwareVersion: 'v1.2.3-rc1' } },
  { type: FrameType.Heartbeat, payload: { uptimeMs: 4294967295, tick: 7, channelCount: 9, activeChannels: [0, 8] } },
  { type: FrameType.Heartbeat, payload: { uptimeMs: 0, tick: 0, channelCount: 1, activeChannels: [] } },
  { type: FrameType.CallStart, payload: { channel: 127, callRef: 0xffffffff, tick: 99, resumed: true, caller: '', called: '+358201234567', agentExtension: '*21#' } },
  { type: FrameType.CallStart, payload: { channel: 0, callRef: 1, tick: 0, resumed: false, caller: '01234567890123456789012345678901', called: '116', agentExtension: '2001' } },
  { type: FrameType.CallEnd, payload: { channel: 5, callRef: 77, tick: 1000, cause: CallEndCause.Abnormal } },
  { type: FrameType.CallEnd, payload: { channel: 5, callRef: 78, tick: 1001, cause: CallEndCause.Normal } },
  { type: FrameType.Audio, payload: { tick: 55, channels: [{ channel: 2, samples: samples(1) }, { channel: 127, samples: samples(2) }] } },
  { type: FrameType.Hello, payload: { hostProtocolVersion: 1 } },
  { type: FrameType.Ping, payload: { nonce: 0xcafebabe } },
  { type: FrameType.GetStatus, payload: null },
  { type: FrameType.Ack, payload: { ackedSeq: 65535 } },
  { type: FrameType.HelloReply, payload: { requestSeq: 9, status: ReplyStatus.Ok, body: { bootId: 1, protocolVersion: 1, channelCount: 30, firmwareVersion: '2.0' } } },
  { type: FrameType.HelloReply, payload: { requestSeq: 9, status: ReplyStatus.UnsupportedVersion, body: null } },
  { type: FrameType.PingReply, payload: { requestSeq: 10, status: ReplyStatus.Ok, body: { nonce: 5 } } },
  { type: FrameType.PingReply, payload: { requestSeq: 10, status: ReplyStatus.BadLength, body: null } },
  { type: FrameType.GetStatusReply, payload: { requestSeq: 11, status: ReplyStatus.Ok, body: statusBody } },
  { type: FrameType.GetStatusReply, payload: { requestSeq: 11, status: ReplyStatus.UnknownCommand, body: null } },
];

void t.test('when a frame is encoded, then header, CRCs and payload sit where PROTOCOL.md puts them', async (t) => {
  const payload = Buffer.from([1, 2, 3]);
  const frame = encodeFrame(FrameType.Ping, 0x1234, payload);
  t.equal(frame.length, 14 + 3);
  t.same([...frame.subarray(0, 8)], [0xa5, 0x5a, 1, 0x41, 0x34, 0x12, 3, 0]);
  t.equal(frame.readUInt16LE(8), crc16CcittFalse(frame, 0, 8));
  t.same(frame.subarray(HEADER_BYTES, HEADER_BYTES + 3), payload);
  t.equal(frame.readUInt32LE(13), crc32(frame.subarray(0, 13)));
  t.equal(encodeFrame(FrameType.GetStatus, 0).length, 14, 'an empty payload gives the smallest frame');
  t.equal(encodeFrame(FrameType.Audio, 0, Buffer.alloc(MAX_PAYLOAD)).length, MAX_FRAME);
});

void t.test('when a frame cannot be encoded, then encodeFrame throws', async (t) => {
  t.throws(() => encodeFrame(FrameType.Audio, 0, Buffer.alloc(MAX_PAYLOAD + 1)), RangeError);
  t.throws(() => encodeFrame(FrameType.Audio, 65536, Buffer.alloc(0)), RangeError);
  t.throws(() => encodeFrame(256, 0, Buffer.alloc(0)), RangeError);
});

void t.test('when the sequence number passes 65535, then it wraps to 0', async (t) => {
  t.equal(nextSeq(65535), 0);
  t.equal(nextSeq(7), 8);
});

void t.test('when every payload type is encoded and decoded, then the decoded value equals the original', async (t) => {
  for (const message of everyMessage) {
    const bytes = encodePayload(message);
    const decoded = decodePayload(message.type, bytes);
    t.same(decoded, message, `${FrameType[message.type]} round-trips`);
    t.same(encodePayload(decoded as DecodedMessage), bytes, `${FrameType[message.type]} re-encodes to the same bytes`);
  }
});

void t.test('when the payload types are listed, then each known type is recognised and others are not', async (t) => {
  t.ok(isKnownFrameType(0x20));
  t.notOk(isKnownFrameType(0x21));
  t.equal(decodePayload(0x03, Buffer.alloc(0)), null, 'an unknown type decodes to null');
});

void t.test('when audio is decoded, then samples are views into the payload and not copies', async (t) => {
  const payload = encodeAudio({ tick: 1, channels: [{ channel: 0, samples: samples(7) }, { channel: 1, samples: samples(8) }] });
  const audio = decodeAudio(payload);
  t.equal(audio.channels.length, 2);
  const second = audio.channels[1]!.samples;
  t.equal(second.length, AUDIO_SAMPLES_PER_TICK);
  t.equal(second.buffer, payload.buffer, 'same memory');
  t.equal(second.byteOffset, payload.byteOffset + 5 + 161 + 1);
  payload[5 + 161 + 1] = 0x99;
  t.equal(second[0], 0x99, 'a write to the payload shows through the view');
});

void t.test('when an audio frame holds the maximum of 48 channels, then it fits one frame', async (t) => {
  const channels = Array.from({ length: MAX_CHANNELS_PER_AUDIO_FRAME }, (_, channel) => ({ channel, samples: samples(channel) }));
  const payload = encodeAudio({ tick: 3, channels });
  t.equal(payload.length, 7733);
  t.equal(decodeAudio(payload).channels.length, 48);
});

function malformed(t: Test, type: number, payload: Buffer, reason: RegExp): void {
  t.throws(() => decodePayload(type, payload), { name: 'MalformedPayloadError', code: MALFORMED_PAYLOAD, reason }, reason.source);
}

void t.test('when an audio payload is malformed, then decoding throws a MalformedPayloadError with the reason', async (t) => {
  const good = encodeAudio({ tick: 1, channels: [{ channel: 0, samples: samples(1) }, { channel: 1, samples: samples(2) }] });
  malformed(t, FrameType.Audio, good.subarray(0, 4), /audio header/);
  malformed(t, FrameType.Audio, good.subarray(0, good.length - 1), /expected 327/);
  malformed(t, FrameType.Audio, Buffer.concat([good, Buffer.from([0])]), /expected 327/);
  const zero = Buffer.from(good);
  zero[4] = 0;
  malformed(t, FrameType.Audio, zero.subarray(0, 5), /count 0/);
  const tooMany = Buffer.alloc(5 + 49 * 161);
  tooMany[4] = 49;
  malformed(t, FrameType.Audio, tooMany, /count 49/);
  const badChannel = Buffer.from(good);
  badChannel[5] = 128;
  malformed(t, FrameType.Audio, badChannel, /channel 128/);
  const repeated = Buffer.from(good);
  repeated[5 + 161] = 0;
  malformed(t, FrameType.Audio, repeated, /appears twice/);
  // Channels in the higher words of the repeat check.
  for (const channel of [40, 70, 100]) {
    const high = encodeAudio({ tick: 1, channels: [{ channel, samples: samples(1) }, { channel: channel + 1, samples: samples(2) }] });
    t.equal(decodeAudio(high).channels[1]!.channel, channel + 1);
    high[5 + 161] = channel;
    malformed(t, FrameType.Audio, high, /appears twice/);
  }
  const err = (() => {
    try {
      decodeAudio(repeated);
    } catch (e) {
      return e;
    }
    return null;
  })();
  t.type(err, MalformedPayloadError);
  t.notMatch((err as Error).message, /\d{6,}/, 'the message quotes no payload bytes');
});

void t.test('when a CALL_START payload is malformed, then decoding throws with the reason', async (t) => {
  const base = { channel: 1, callRef: 5, tick: 10, resumed: false, caller: '0401234567', called: '0201234567', agentExtension: '2101' };
  const good = encodeCallStart(base);
  t.same(decodeCallStart(good), base);
  const at = { channel: 0, callRef: 1, flags: 9, callerLen: 10, caller: 11 };
  const channel = Buffer.from(good);
  channel[at.channel] = 200;
  malformed(t, FrameType.CallStart, channel, /channel 200/);
  const zeroRef = Buffer.from(good);
  zeroRef.writeUInt32LE(0, at.callRef);
  malformed(t, FrameType.CallStart, zeroRef, /call_ref is 0/);
  const flags = Buffer.from(good);
  flags[at.flags] = 0x02;
  malformed(t, FrameType.CallStart, flags, /reserved flag/);
  const charset = Buffer.from(good);
  charset[at.caller] = 'A'.charCodeAt(0);
  malformed(t, FrameType.CallStart, charset, /caller holds a character/);
  const longCaller = Buffer.from(good);
  longCaller[at.callerLen] = 33;
  malformed(t, FrameType.CallStart, longCaller, /caller is 33 bytes/);
  const emptyCalled = encodeCallStart({ ...base, called: '1' });
  emptyCalled[at.caller + 10] = 0;
  malformed(t, FrameType.CallStart, Buffer.concat([emptyCalled.subarray(0, at.caller + 11), emptyCalled.subarray(at.caller + 12)]), /called is empty/);
  malformed(t, FrameType.CallStart, good.subarray(0, good.length - 1), /ends inside agent_extension/);
  malformed(t, FrameType.CallStart, Buffer.concat([good, Buffer.from([0x31])]), /1 bytes after the last field/);
  malformed(t, FrameType.CallStart, good.subarray(0, 3), /ends inside call_ref/);
  t.same(decodeCallStart(encodeCallStart({ ...base, caller: '' })).caller, '', 'a withheld caller is allowed');
});

void t.test('when a CALL_END, BOOT, HEARTBEAT or reply payload is malformed, then decoding throws with the reason', async (t) => {
  const end = encodeCallEnd({ channel: 1, callRef: 2, tick: 3, cause: 1 });
  const badCause = Buffer.from(end);
  badCause[9] = 2;
  malformed(t, FrameType.CallEnd, badCause, /cause 2/);
  const zeroRef = Buffer.from(end);
  zeroRef.writeUInt32LE(0, 1);
  malformed(t, FrameType.CallEnd, zeroRef, /call_ref is 0/);

  const boot = encodeBoot({ bootId: 1, protocolVersion: 1, channelCount: 4, firmwareVersion: '1.0' });
  const noChannels = Buffer.from(boot);
  noChannels[5] = 0;
  malformed(t, FrameType.Boot, noChannels, /channel_count 0/);
  const tooManyChannels = Buffer.from(boot);
  tooManyChannels[5] = 129;
  malformed(t, FrameType.Boot, tooManyChannels, /channel_count 129/);
  const badVersion = Buffer.from(boot);
  badVersion[7] = 0x20;
  malformed(t, FrameType.Boot, badVersion, /firmware_version holds a character/);

  const hb = encodeHeartbeat({ uptimeMs: 1, tick: 2, channelCount: 10, activeChannels: [9] });
  t.same(decodeHeartbeat(hb).activeChannels, [9]);
  const padBit = Buffer.from(hb);
  padBit[10] = (padBit[10] as number) | 0x04;
  malformed(t, FrameType.Heartbeat, padBit, /marks channel 10 beyond channel_count 10/);
  malformed(t, FrameType.Heartbeat, hb.subarray(0, hb.length - 1), /ends inside active/);

  malformed(t, FrameType.PingReply, Buffer.from([1, 0, 7]), /unknown reply status 7/);
  malformed(t, FrameType.PingReply, Buffer.from([1, 0, 1, 0]), /1 bytes after/);
  malformed(t, FrameType.HelloReply, Buffer.from([1, 0, 0, 1]), /ends inside boot_id/);
  malformed(t, FrameType.GetStatus, Buffer.from([0]), /1 bytes after/);
  malformed(t, FrameType.Hello, Buffer.alloc(0), /ends inside host_protocol_version/);
  malformed(t, FrameType.Ack, Buffer.from([1]), /ends inside acked_seq/);
  malformed(t, FrameType.Ping, Buffer.from([1, 2, 3, 4, 5]), /1 bytes after/);
});

void t.test('when a payload to encode breaks the protocol, then the encoder throws instead of writing it', async (t) => {
  const start = { channel: 1, callRef: 5, tick: 10, resumed: false, caller: '', called: '1', agentExtension: '2' };
  t.throws(() => encodeCallStart({ ...start, callRef: 0 }), RangeError);
  t.throws(() => encodeCallStart({ ...start, channel: 128 }), RangeError);
  t.throws(() => encodeCallStart({ ...start, called: '' }), RangeError);
  t.throws(() => encodeCallStart({ ...start, caller: 'x' }), RangeError);
  t.throws(() => encodeCallStart({ ...start, caller: '1'.repeat(33) }), RangeError);
  t.throws(() => encodeCallStart({ ...start, caller: '\u0131' }), RangeError);
  t.throws(() => encodeCallEnd({ channel: 1, callRef: 0, tick: 1, cause: 0 }), RangeError);
  t.throws(() => encodeCallEnd({ channel: 1, callRef: 1, tick: -1, cause: 0 }), RangeError);
  t.throws(() => encodeBoot({ bootId: 1, protocolVersion: 1, channelCount: 0, firmwareVersion: '1' }), RangeError);
  t.throws(() => encodeHeartbeat({ uptimeMs: 1, tick: 1, channelCount: 8, activeChannels: [8] }), RangeError);
  t.throws(() => encodeAudio({ tick: 1, channels: [] }), RangeError);
  t.throws(() => encodeAudio({ tick: 1, channels: [{ channel: 1, samples: Buffer.alloc(159) }] }), RangeError);
  t.throws(() => encodeAudio({ tick: 1, channels: [{ channel: 128, samples: samples(0) }] }), RangeError);
  t.throws(() => encodeAudio({ tick: 2 ** 32, channels: [{ channel: 1, samples: samples(0) }] }), RangeError);
});

void t.test('when a reply to a command type the host does not know arrives, then its status is readable and an OK is malformed', async (t) => {
  t.same(decodePayload(0xd0, Buffer.from([4, 0, 1])), { type: 0xd0, unknownCommandReply: { requestSeq: 4, status: ReplyStatus.UnknownCommand } });
  t.same(encodePayload({ type: 0xd0, unknownCommandReply: { requestSeq: 4, status: ReplyStatus.UnknownCommand } }), Buffer.from([4, 0, 1]));
  malformed(t, 0xd0, Buffer.from([4, 0, 0, 9]), /OK reply to a command this host does not know/);
  malformed(t, 0xd0, Buffer.from([4, 0, 1, 9]), /1 bytes after/);
  t.equal(decodePayload(0x90, Buffer.from([4, 0, 1])), null, '0x80-0xBF are no reply types');
  t.throws(() => encodePayload({ type: 0x90, unknownCommandReply: { requestSeq: 1, status: ReplyStatus.UnknownCommand } }), RangeError);
});
