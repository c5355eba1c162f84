/**
 * The pure wire codec of bridge protocol version 1 (firmware-bridge/PROTOCOL.md is the contract).
 * No I/O, no state: frames and payloads in, Buffers out, and back. Everything from the bridge is
 * untrusted even with good CRCs, so every decoder checks lengths exactly, string charsets and
 * lengths, channel bounds and counts, and throws a MalformedPayloadError (code
 * CAPTURE_MALFORMED_PAYLOAD) that the client counts and drops.
 *
 * All multi-byte integers are little-endian.
 *
 * Frame layout:
 *   0  2  SYNC     0xA5 0x5A
 *   2  1  VERSION  1
 *   3  1  TYPE
 *   4  2  SEQ      u16, per direction, +1 per new frame; a retransmission repeats it
 *   6  2  LENGTH   u16, 0..MAX_PAYLOAD
 *   8  2  HCRC     CRC-16/CCITT-FALSE over bytes 0..7
 *  10  N  PAYLOAD
 * 10+N 4  FCRC     CRC-32 over bytes 0..10+N-1
 */
import { AppError } from '../errors.js';
import { crc16CcittFalse, crc32 } from './crc.js';

export const SYNC_BYTE_0 = 0xa5;
export const SYNC_BYTE_1 = 0x5a;
/** The two sync bytes as they appear on the wire. */
export const SYNC: readonly [number, number] = [SYNC_BYTE_0, SYNC_BYTE_1];
export const VERSION = 1;
export const HEADER_BYTES = 10;
export const FCRC_BYTES = 4;
/** Header plus frame CRC: the size of a frame with an empty payload. */
export const FRAME_OVERHEAD_BYTES = HEADER_BYTES + FCRC_BYTES;
export const MAX_PAYLOAD = 8192;
export const MAX_FRAME = MAX_PAYLOAD + FRAME_OVERHEAD_BYTES;
export const MAX_CHANNELS = 128;
export const MAX_STRING_LENGTH = 32;
export const AUDIO_SAMPLES_PER_TICK = 160;
export const TICK_MS = 20;
export const MAX_CHANNELS_PER_AUDIO_FRAME = 48;
/** A-law silence: what the host writes for a tick whose audio never arrived. */
export const ALAW_SILENCE = 0xd5;
export const HEARTBEAT_INTERVAL_MS = 1000;
/** The protocol's host link-loss timeout: no valid frame for this long means the link is lost. */
export const LINK_TIMEOUT_MS = 2500;
export const SEQ_MODULO = 0x10000;

export enum FrameType {
  Boot = 0x01,
  Heartbeat = 0x02,
  CallStart = 0x10,
  CallEnd = 0x11,
  Audio = 0x20,
  Hello = 0x40,
  Ping = 0x41,
  GetStatus = 0x42,
  Ack = 0x43,
  HelloReply = 0xc0,
  PingReply = 0xc1,
  GetStatusReply = 0xc2,
}

/** A reply's type is its command's type with this bit set. */
export const REPLY_BIT = 0x80;

export enum ReplyStatus {
  Ok = 0,
  UnknownCommand = 1,
  BadLength = 2,
  UnsupportedVersion = 3,
}

export enum CallEndCause {
  Normal = 0,
  Abnormal = 1,
}

/** CALL_START flags bit 0: the call began before this link session. */
export const CALL_FLAG_RESUMED = 0x01;

export function isKnownFrameType(type: number): type is FrameType {
  return FrameType[type] !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Errors

export const MALFORMED_PAYLOAD = 'CAPTURE_MALFORMED_PAYLOAD';

/** A payload that does not parse; `reason` says why without echoing the bytes (they may hold numbers). */
export class MalformedPayloadError extends AppError {
  readonly reason: string;
  constructor(type: number, reason: string) {
    super(MALFORMED_PAYLOAD, `malformed payload of frame type 0x${type.toString(16).padStart(2, '0')}: ${reason}`, {
      details: { type, reason },
    });
    this.name = 'MalformedPayloadError';
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// Frames

export interface DecodedFrame {
  readonly type: number;
  readonly seq: number;
  /** A view into the received bytes: valid while the caller handles the frame synchronously. */
  readonly payload: Buffer;
}

/** The whole frame for `payload`: header, header CRC, payload and frame CRC. */
export function encodeFrame(type: number, seq: number, payload: Uint8Array = EMPTY): Buffer {
  if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new RangeError(`frame type out of range: ${type}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) throw new RangeError(`seq out of range: ${seq}`);
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`payload of ${payload.length} bytes exceeds MAX_PAYLOAD`);
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD_BYTES + payload.length);
  frame[0] = SYNC_BYTE_0;
  frame[1] = SYNC_BYTE_1;
  frame[2] = VERSION;
  frame[3] = type;
  frame.writeUInt16LE(seq, 4);
  frame.writeUInt16LE(payload.length, 6);
  frame.writeUInt16LE(crc16CcittFalse(frame, 0, 8), 8);
  frame.set(payload, HEADER_BYTES);
  const end = HEADER_BYTES + payload.length;
  frame.writeUInt32LE(crc32(frame.subarray(0, end)), end);
  return frame;
}

/** The next sequence number after `seq` (wraps 65535 -> 0). */
export function nextSeq(seq: number): number {
  return (seq + 1) % SEQ_MODULO;
}

// ---------------------------------------------------------------------------------------------
// Payload types

export interface BootPayload {
  bootId: number;
  protocolVersion: number;
  channelCount: number;
  firmwareVersion: string;
}

export interface HeartbeatPayload {
  uptimeMs: number;
  tick: number;
  channelCount: number;
  /** Channels in a call, ascending. */
  activeChannels: number[];
}

export interface CallStartPayload {
  channel: number;
  callRef: number;
  tick: number;
  resumed: boolean;
  /** Empty when the caller withheld the number. */
  caller: string;
  called: string;
  agentExtension: string;
}

export interface CallEndPayload {
  channel: number;
  callRef: number;
  tick: number;
  cause: CallEndCause;
}

export interface AudioChannelPayload {
  channel: number;
  /** AUDIO_SAMPLES_PER_TICK A-law bytes; a view into the frame, never a copy. */
  samples: Buffer;
}

export interface AudioPayload {
  tick: number;
  channels: AudioChannelPayload[];
}

export interface HelloPayload {
  hostProtocolVersion: number;
}

export interface PingPayload {
  nonce: number;
}

export interface AckPayload {
  ackedSeq: number;
}

/** A reply with a status other than Ok carries nothing more. */
export type Reply<T> =
  | { requestSeq: number; status: ReplyStatus.Ok; body: T }
  | { requestSeq: number; status: Exclude<ReplyStatus, ReplyStatus.Ok>; body: null };

export type HelloReplyBody = BootPayload;

export interface PingReplyBody {
  nonce: number;
}

export interface GetStatusReplyBody {
  uptimeMs: number;
  tick: number;
  channelCount: number;
  activeChannels: number[];
  rxFrames: number;
  rxHeaderCrcErrors: number;
  rxFrameCrcErrors: number;
  txFrames: number;
  txRetransmits: number;
  txDroppedEvents: number;
}

/** Any decoded payload, tagged with its frame type. */
export type BridgeMessage =
  | { type: FrameType.Boot; payload: BootPayload }
  | { type: FrameType.Heartbeat; payload: HeartbeatPayload }
  | { type: FrameType.CallStart; payload: CallStartPayload }
  | { type: FrameType.CallEnd; payload: CallEndPayload }
  | { type: FrameType.Audio; payload: AudioPayload }
  | { type: FrameType.Hello; payload: HelloPayload }
  | { type: FrameType.Ping; payload: PingPayload }
  | { type: FrameType.GetStatus; payload: null }
  | { type: FrameType.Ack; payload: AckPayload }
  | { type: FrameType.HelloReply; payload: Reply<HelloReplyBody> }
  | { type: FrameType.PingReply; payload: Reply<PingReplyBody> }
  | { type: FrameType.GetStatusReply; payload: Reply<GetStatusReplyBody> };

// ---------------------------------------------------------------------------------------------
// Strings: u8 length, then that many ASCII bytes

const EMPTY = Buffer.alloc(0);
const DIAL_CHARS = '0123456789+*#';
/** Lookup tables: 1 = allowed. Numbers use the dial set; firmware_version also letters, '.', '-'. */
const DIAL_CHARSET = charset(DIAL_CHARS);
const VERSION_CHARSET = charset(DIAL_CHARS + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-');

function charset(chars: string): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

type StringKind = 'dial' | 'version';

/** Reads little-endian fields from a payload and turns every overrun into a MalformedPayloadError. */
class PayloadReader {
  offset = 0;
  constructor(
    readonly type: number,
    readonly buf: Buffer,
  ) {}

  fail(reason: string): never {
    throw new MalformedPayloadError(this.type, reason);
  }

  need(bytes: number, field: string): void {
    if (this.offset + bytes > this.buf.length) this.fail(`payload ends inside ${field}`);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.offset++] as number;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.buf.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.buf.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  str(field: string, kind: StringKind, allowEmpty: boolean): string {
    const length = this.u8(`${field} length`);
    if (length > MAX_STRING_LENGTH) this.fail(`${field} is ${length} bytes, more than ${MAX_STRING_LENGTH}`);
    if (length === 0 && !allowEmpty) this.fail(`${field} is empty`);
    this.need(length, field);
    const table = kind === 'dial' ? DIAL_CHARSET : VERSION_CHARSET;
    for (let i = this.offset; i < this.offset + length; i++) {
      if (table[this.buf[i] as number] !== 1) this.fail(`${field} holds a character outside its charset`);
    }
    const value = this.buf.toString('latin1', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** `ceil(count/8)` bytes, bit c%8 of byte c/8 = channel c; bits for c >= count must be 0. */
  bitmap(count: number, field: string): number[] {
    const bytes = Math.ceil(count / 8);
    this.need(bytes, field);
    const channels: number[] = [];
    for (let b = 0; b < bytes; b++) {
      const byte = this.buf[this.offset + b] as number;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if ((byte & (1 << bit)) === 0) continue;
        const channel = b * 8 + bit;
        if (channel >= count) this.fail(`${field} marks channel ${channel} beyond channel_count ${count}`);
        channels.push(channel);
      }
    }
    this.offset += bytes;
    return channels;
  }

  channelCount(field: string): number {
    const count = this.u8(field);
    if (count < 1 || count > MAX_CHANNELS) this.fail(`${field} ${count} is outside 1..${MAX_CHANNELS}`);
    return count;
  }

  channel(): number {
    const channel = this.u8('channel');
    if (channel >= MAX_CHANNELS) this.fail(`channel ${channel} is outside 0..${MAX_CHANNELS - 1}`);
    return channel;
  }

  /** Counts vs. length exactly: trailing bytes are as wrong as missing ones. */
  end(): void {
    if (this.offset !== this.buf.length) this.fail(`${this.buf.length - this.offset} bytes after the last field`);
  }
}

/** Builds a payload field by field; sizes are checked so the codec never writes a frame the bridge would reject. */
class PayloadWriter {
  private readonly parts: number[] = [];

  u8(v: number): this {
    checkUint(v, 0xff, 'u8');
    this.parts.push(v);
    return this;
  }

  u16(v: number): this {
    checkUint(v, 0xffff, 'u16');
    this.parts.push(v & 0xff, v >>> 8);
    return this;
  }

  u32(v: number): this {
    checkUint(v, 0xffffffff, 'u32');
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
    return this;
  }

  str(value: string, field: string, kind: StringKind, allowEmpty: boolean): this {
    if (value.length > MAX_STRING_LENGTH) throw new RangeError(`${field} is longer than ${MAX_STRING_LENGTH}`);
    if (value.length === 0 && !allowEmpty) throw new RangeError(`${field} must not be empty`);
    const table = kind === 'dial' ? DIAL_CHARSET : VERSION_CHARSET;
    this.u8(value.length);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0xff || table[c] !== 1) throw new RangeError(`${field} holds a character outside its charset`);
      this.parts.push(c);
    }
    return this;
  }

  bitmap(count: number, channels: readonly number[]): this {
    const bytes = new Array<number>(Math.ceil(count / 8)).fill(0);
    for (const c of channels) {
      if (!Number.isInteger(c) || c < 0 || c >= count) throw new RangeError(`active channel ${c} is outside 0..${count - 1}`);
      bytes[c >> 3] = (bytes[c >> 3] as number) | (1 << (c & 7));
    }
    this.parts.push(...bytes);
    return this;
  }

  done(): Buffer {
    const out = Buffer.from(this.parts);
    if (out.length > MAX_PAYLOAD) throw new RangeError(`payload of ${out.length} bytes exceeds MAX_PAYLOAD`);
    return out;
  }
}

function checkUint(v: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${what} value out of range: ${v}`);
}

function checkChannelCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_CHANNELS) throw new RangeError(`channel_count ${count} is outside 1..${MAX_CHANNELS}`);
}

function checkChannel(channel: number): void {
  if (!Number.isInteger(channel) || channel < 0 || channel >= MAX_CHANNELS) throw new RangeError(`channel ${channel} is outside 0..${MAX_CHANNELS - 1}`);
}

// ---------------------------------------------------------------------------------------------
// Bridge -> host

export function encodeBoot(p: BootPayload): Buffer {
  checkChannelCount(p.channelCount);
  return new PayloadWriter()
    .u32(p.bootId)
    .u8(p.protocolVersion)
    .u8(p.channelCount)
    .str(p.firmwareVersion, 'firmware_version', 'version', false)
    .done();
}

function readBootBody(r: PayloadReader): BootPayload {
  const bootId = r.u32('boot_id');
  const protocolVersion = r.u8('protocol_version');
  const channelCount = r.channelCount('channel_count');
  const firmwareVersion = r.str('firmware_version', 'version', false);
  return { bootId, protocolVersion, channelCount, firmwareVersion };
}

export function decodeBoot(payload: Buffer): BootPayload {
  const r = new PayloadReader(FrameType.Boot, payload);
  const body = readBootBody(r);
  r.end();
  return body;
}

export function encodeHeartbeat(p: HeartbeatPayload): Buffer {
  checkChannelCount(p.channelCount);
  return new PayloadWriter().u32(p.uptimeMs).u32(p.tick).u8(p.channelCount).bitmap(p.channelCount, p.activeChannels).done();
}

export function decodeHeartbeat(payload: Buffer): HeartbeatPayload {
  const r = new PayloadReader(FrameType.Heartbeat, payload);
  const uptimeMs = r.u32('uptime_ms');
  const tick = r.u32('tick');
  const channelCount = r.channelCount('channel_count');
  const activeChannels = r.bitmap(channelCount, 'active');
  r.end();
  return { uptimeMs, tick, channelCount, activeChannels };
}

export function encodeCallStart(p: CallStartPayload): Buffer {
  checkChannel(p.channel);
  if (p.callRef === 0) throw new RangeError('call_ref must not be 0');
  return new PayloadWriter()
    .u8(p.channel)
    .u32(p.callRef)
    .u32(p.tick)
    .u8(p.resumed ? CALL_FLAG_RESUMED : 0)
    .str(p.caller, 'caller', 'dial', true)
    .str(p.called, 'called', 'dial', false)
    .str(p.agentExtension, 'agent_extension', 'dial', false)
    .done();
}

export function decodeCallStart(payload: Buffer): CallStartPayload {
  const r = new PayloadReader(FrameType.CallStart, payload);
  const channel = r.channel();
  const callRef = r.u32('call_ref');
  if (callRef === 0) r.fail('call_ref is 0');
  const tick = r.u32('tick');
  const flags = r.u8('flags');
  if ((flags & ~CALL_FLAG_RESUMED) !== 0) r.fail('reserved flag bits are set');
  const caller = r.str('caller', 'dial', true);
  const called = r.str('called', 'dial', false);
  const agentExtension = r.str('agent_extension', 'dial', false);
  r.end();
  return { channel, callRef, tick, resumed: (flags & CALL_FLAG_RESUMED) !== 0, caller, called, agentExtension };
}

export function encodeCallEnd(p: CallEndPayload): Buffer {
  checkChannel(p.channel);
  if (p.callRef === 0) throw new RangeError('call_ref must not be 0');
  return new PayloadWriter().u8(p.channel).u32(p.callRef).u32(p.tick).u8(p.cause).done();
}

export function decodeCallEnd(payload: Buffer): CallEndPayload {
  const r = new PayloadReader(FrameType.CallEnd, payload);
  const channel = r.channel();
  const callRef = r.u32('call_ref');
  if (callRef === 0) r.fail('call_ref is 0');
  const tick = r.u32('tick');
  const cause = r.u8('cause');
  if (cause !== CallEndCause.Normal && cause !== CallEndCause.Abnormal) r.fail(`cause ${cause} is neither 0 nor 1`);
  r.end();
  return { channel, callRef, tick, cause };
}

const AUDIO_HEADER_BYTES = 5;
const AUDIO_ENTRY_BYTES = 1 + AUDIO_SAMPLES_PER_TICK;

export function encodeAudio(p: AudioPayload): Buffer {
  const count = p.channels.length;
  if (count < 1 || count > MAX_CHANNELS_PER_AUDIO_FRAME) throw new RangeError(`audio channel count ${count} is outside 1..${MAX_CHANNELS_PER_AUDIO_FRAME}`);
  checkUint(p.tick, 0xffffffff, 'tick');
  const out = Buffer.allocUnsafe(AUDIO_HEADER_BYTES + count * AUDIO_ENTRY_BYTES);
  out.writeUInt32LE(p.tick, 0);
  out[4] = count;
  let at = AUDIO_HEADER_BYTES;
  for (const { channel, samples } of p.channels) {
    checkChannel(channel);
    if (samples.length !== AUDIO_SAMPLES_PER_TICK) throw new RangeError(`channel ${channel} has ${samples.length} samples, not ${AUDIO_SAMPLES_PER_TICK}`);
    out[at] = channel;
    out.set(samples, at + 1);
    at += AUDIO_ENTRY_BYTES;
  }
  return out;
}

/**
 * The hot path (every 20 ms, up to 120 channels): no sample is copied, each `samples` is a
 * subarray of `payload`. A channel listed twice in one frame is malformed.
 */
export function decodeAudio(payload: Buffer): AudioPayload {
  if (payload.length < AUDIO_HEADER_BYTES) throw new MalformedPayloadError(FrameType.Audio, 'payload ends inside the audio header');
  const count = payload[4] as number;
  if (count < 1 || count > MAX_CHANNELS_PER_AUDIO_FRAME) {
    throw new MalformedPayloadError(FrameType.Audio, `count ${count} is outside 1..${MAX_CHANNELS_PER_AUDIO_FRAME}`);
  }
  const expected = AUDIO_HEADER_BYTES + count * AUDIO_ENTRY_BYTES;
  if (payload.length !== expected) {
    throw new MalformedPayloadError(FrameType.Audio, `${payload.length} bytes for ${count} channels, expected ${expected}`);
  }
  const tick = payload.readUInt32LE(0);
  const channels: AudioChannelPayload[] = new Array<AudioChannelPayload>(count);
  // Four 32-bit words: a bit per possible channel, to find repeats without allocating a Set.
  let seen0 = 0;
  let seen1 = 0;
  let seen2 = 0;
  let seen3 = 0;
  let at = AUDIO_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    const channel = payload[at] as number;
    if (channel >= MAX_CHANNELS) throw new MalformedPayloadError(FrameType.Audio, `channel ${channel} is outside 0..${MAX_CHANNELS - 1}`);
    const bit = 1 << (channel & 31);
    const word = channel >> 5;
    const before = word === 0 ? seen0 : word === 1 ? seen1 : word === 2 ? seen2 : seen3;
    if ((before & bit) !== 0) throw new MalformedPayloadError(FrameType.Audio, `channel ${channel} appears twice`);
    if (word === 0) seen0 |= bit;
    else if (word === 1) seen1 |= bit;
    else if (word === 2) seen2 |= bit;
    else seen3 |= bit;
    channels[i] = { channel, samples: payload.subarray(at + 1, at + AUDIO_ENTRY_BYTES) };
    at += AUDIO_ENTRY_BYTES;
  }
  return { tick, channels };
}

// ---------------------------------------------------------------------------------------------
// Host -> bridge

export function encodeHello(p: HelloPayload): Buffer {
  return new PayloadWriter().u8(p.hostProtocolVersion).done();
}

export function decodeHello(payload: Buffer): HelloPayload {
  const r = new PayloadReader(FrameType.Hello, payload);
  const hostProtocolVersion = r.u8('host_protocol_version');
  r.end();
  return { hostProtocolVersion };
}

export function encodePing(p: PingPayload): Buffer {
  return new PayloadWriter().u32(p.nonce).done();
}

export function decodePing(payload: Buffer): PingPayload {
  const r = new PayloadReader(FrameType.Ping, payload);
  const nonce = r.u32('nonce');
  r.end();
  return { nonce };
}

/** GET_STATUS carries no payload. */
export function encodeGetStatus(): Buffer {
  return Buffer.alloc(0);
}

export function decodeGetStatus(payload: Buffer): null {
  new PayloadReader(FrameType.GetStatus, payload).end();
  return null;
}

export function encodeAck(p: AckPayload): Buffer {
  return new PayloadWriter().u16(p.ackedSeq).done();
}

export function decodeAck(payload: Buffer): AckPayload {
  const r = new PayloadReader(FrameType.Ack, payload);
  const ackedSeq = r.u16('acked_seq');
  r.end();
  return { ackedSeq };
}

// ---------------------------------------------------------------------------------------------
// Replies: u16 request_seq, u8 status, then the body only when status is Ok

function encodeReply<T>(reply: Reply<T>, body: (w: PayloadWriter, b: T) => void): Buffer {
  const w = new PayloadWriter().u16(reply.requestSeq).u8(reply.status);
  if (reply.status === ReplyStatus.Ok) body(w, reply.body);
  return w.done();
}

function decodeReply<T>(type: FrameType, payload: Buffer, body: (r: PayloadReader) => T): Reply<T> {
  const r = new PayloadReader(type, payload);
  const requestSeq = r.u16('request_seq');
  const status = r.u8('status');
  if (status === ReplyStatus.Ok) {
    const value = body(r);
    r.end();
    return { requestSeq, status: ReplyStatus.Ok, body: value };
  }
  if (status !== ReplyStatus.UnknownCommand && status !== ReplyStatus.BadLength && status !== ReplyStatus.UnsupportedVersion) {
    r.fail(`unknown reply status ${status}`);
  }
  r.end();
  return { requestSeq, status, body: null };
}

export function encodeHelloReply(reply: Reply<HelloReplyBody>): Buffer {
  return encodeReply(reply, (w, b) => {
    checkChannelCount(b.channelCount);
    w.u32(b.bootId).u8(b.protocolVersion).u8(b.channelCount).str(b.firmwareVersion, 'firmware_version', 'version', false);
  });
}

export function decodeHelloReply(payload: Buffer): Reply<HelloReplyBody> {
  return decodeReply(FrameType.HelloReply, payload, readBootBody);
}

export function encodePingReply(reply: Reply<PingReplyBody>): Buffer {
  return encodeReply(reply, (w, b) => {
    w.u32(b.nonce);
  });
}

export function decodePingReply(payload: Buffer): Reply<PingReplyBody> {
  return decodeReply(FrameType.PingReply, payload, (r) => ({ nonce: r.u32('nonce') }));
}

export function encodeGetStatusReply(reply: Reply<GetStatusReplyBody>): Buffer {
  return encodeReply(reply, (w, b) => {
    checkChannelCount(b.channelCount);
    w.u32(b.uptimeMs).u32(b.tick).u8(b.channelCount).bitmap(b.channelCount, b.activeChannels);
    w.u32(b.rxFrames).u32(b.rxHeaderCrcErrors).u32(b.rxFrameCrcErrors).u32(b.txFrames).u32(b.txRetransmits).u32(b.txDroppedEvents);
  });
}

export function decodeGetStatusReply(payload: Buffer): Reply<GetStatusReplyBody> {
  return decodeReply(FrameType.GetStatusReply, payload, (r) => {
    const uptimeMs = r.u32('uptime_ms');
    const tick = r.u32('tick');
    const channelCount = r.channelCount('channel_count');
    const activeChannels = r.bitmap(channelCount, 'active');
    return {
      uptimeMs,
      tick,
      channelCount,
      activeChannels,
      rxFrames: r.u32('rx_frames'),
      rxHeaderCrcErrors: r.u32('rx_header_crc_errors'),
      rxFrameCrcErrors: r.u32('rx_frame_crc_errors'),
      txFrames: r.u32('tx_frames'),
      txRetransmits: r.u32('tx_retransmits'),
      txDroppedEvents: r.u32('tx_dropped_events'),
    };
  });
}

/**
 * A reply to a host command type that this codec does not know (0xC0-0xFF beyond the known
 * ones): PROTOCOL.md answers any unknown command in 0x40-0x7F with status UNKNOWN_COMMAND, so
 * only a status other than OK can be read from it.
 */
export interface UnknownCommandReplyMessage {
  type: number;
  unknownCommandReply: { requestSeq: number; status: Exclude<ReplyStatus, ReplyStatus.Ok> };
}

/** Whatever decodePayload can return for a frame. */
export type DecodedMessage = BridgeMessage | UnknownCommandReplyMessage;

/** Reply types: a command type (0x40-0x7F) with REPLY_BIT set. */
export function isReplyType(type: number): boolean {
  return type >= (FrameType.Hello | REPLY_BIT) && type <= 0xff;
}

export function decodeUnknownCommandReply(type: number, payload: Buffer): UnknownCommandReplyMessage {
  const reply = decodeReply(type, payload, (r) => r.fail('an OK reply to a command this host does not know'));
  if (reply.status === ReplyStatus.Ok) throw new MalformedPayloadError(type, 'an OK reply to a command this host does not know');
  return { type, unknownCommandReply: { requestSeq: reply.requestSeq, status: reply.status } };
}

export function encodeUnknownCommandReply(message: UnknownCommandReplyMessage): Buffer {
  if (!isReplyType(message.type)) throw new RangeError(`0x${message.type.toString(16)} is not a reply type`);
  return new PayloadWriter().u16(message.unknownCommandReply.requestSeq).u8(message.unknownCommandReply.status).done();
}

// ---------------------------------------------------------------------------------------------
// By type

/**
 * Decodes the payload of any known frame type, and the status of a reply to an unknown command.
 * Returns null for an unknown type (the caller counts `unknownType`); throws
 * MalformedPayloadError for a payload that does not parse.
 */
export function decodePayload(type: number, payload: Buffer): DecodedMessage | null {
  switch (type) {
    case FrameType.Boot:
      return { type, payload: decodeBoot(payload) };
    case FrameType.Heartbeat:
      return { type, payload: decodeHeartbeat(payload) };
    case FrameType.CallStart:
      return { type, payload: decodeCallStart(payload) };
    case FrameType.CallEnd:
      return { type, payload: decodeCallEnd(payload) };
    case FrameType.Audio:
      return { type, payload: decodeAudio(payload) };
    case FrameType.Hello:
      return { type, payload: decodeHello(payload) };
    case FrameType.Ping:
      return { type, payload: decodePing(payload) };
    case FrameType.GetStatus:
      return { type, payload: decodeGetStatus(payload) };
    case FrameType.Ack:
      return { type, payload: decodeAck(payload) };
    case FrameType.HelloReply:
      return { type, payload: decodeHelloReply(payload) };
    case FrameType.PingReply:
      return { type, payload: decodePingReply(payload) };
    case FrameType.GetStatusReply:
      return { type, payload: decodeGetStatusReply(payload) };
    default:
      return isReplyType(type) ? decodeUnknownCommandReply(type, payload) : null;
  }
}

/** Encodes any message; the inverse of decodePayload. */
export function encodePayload(message: DecodedMessage): Buffer {
  if ('unknownCommandReply' in message) return encodeUnknownCommandReply(message);
  switch (message.type) {
    case FrameType.Boot:
      return encodeBoot(message.payload);
    case FrameType.Heartbeat:
      return encodeHeartbeat(message.payload);
    case FrameType.CallStart:
      return encodeCallStart(message.payload);
    case FrameType.CallEnd:
      return encodeCallEnd(message.payload);
    case FrameType.Audio:
      return encodeAudio(message.payload);
    case FrameType.Hello:
      return encodeHello(message.payload);
    case FrameType.Ping:
      return encodePing(message.payload);
    case FrameType.GetStatus:
      return encodeGetStatus();
    case FrameType.Ack:
      return encodeAck(message.payload);
    case FrameType.HelloReply:
      return encodeHelloReply(message.payload);
    case FrameType.PingReply:
      return encodePingReply(message.payload);
    case FrameType.GetStatusReply:
      return encodeGetStatusReply(message.payload);
  }
}
