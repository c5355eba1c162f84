/**
 * The bridge client: turns the link's frames into domain events (bridge-events.ts) and runs the
 * host side of the protocol (firmware-bridge/PROTOCOL.md):
 *
 * - On every link open it sends HELLO and waits for the reply (HELLO_TIMEOUT_MS, HELLO_ATTEMPTS,
 *   then the port is reopened). Until the reply arrives nothing else from the bridge counts. The
 *   reply makes the link "up" ('linkUp'); a boot id different from the last one seen first
 *   emits 'bridgeRestarted', because every call of the old boot is over.
 * - Replies are matched to requests by request_seq, each with its own timeout (the "waitress").
 * - Link loss: no valid frame for LINK_TIMEOUT_MS ends the link ('linkDown', reason 'timeout')
 *   and reopens the port; checked every LINK_CHECK_INTERVAL_MS, so it is noticed within 2.75 s.
 *   A port that closes ends the link with reason 'closed'.
 * - Every CALL_START and CALL_END is acknowledged, repeats included (the bridge resends until it
 *   gets the ACK); a repeat of a (type, channel, call_ref) already handled is not emitted again,
 *   except a CALL_START after a linkDown: the calls layer holds that call, and the bridge's
 *   RESUMED start is how it learns the call goes on.
 * - Sequence numbers: `seqGaps` sums the frames lost on first transmission, `duplicates` counts
 *   exact repeats of the previous frame (dropped, but signalling is still acknowledged).
 *
 * Listener exceptions are caught, logged and counted (`listenerErrors`); they never stop the client.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import type { BridgeEvents, LinkDownReason, LinkUpEvent } from './bridge-events.js';
import {
  CallEndCause,
  type DecodedFrame,
  decodePayload,
  encodeAck,
  encodeFrame,
  encodeGetStatus,
  encodeHello,
  encodePing,
  FrameType,
  type GetStatusReplyBody,
  LINK_TIMEOUT_MS,
  MalformedPayloadError,
  nextSeq,
  REPLY_BIT,
  type Reply,
  ReplyStatus,
  SEQ_MODULO,
  VERSION,
} from './frame-codec.js';
import { FrameDecoder, type FrameDecoderStats } from './frame-decoder.js';
import { linkErrorCounters, type LinkErrorCounters } from './link-errors.js';
import { SafeEmitter } from './safe-emitter.js';
import { LinkError, type BridgeLink, type LinkCloseInfo, type SerialLinkStats } from './serial-link.js';

export const HELLO_TIMEOUT_MS = 1000;
/** HELLOs sent on one open port before the port is taken for dead and reopened. */
export const HELLO_ATTEMPTS = 3;
/** A bridge that refuses our version will not change its mind soon: do not hammer it. */
export const HELLO_REJECTED_RETRY_MS = 5000;
export const REQUEST_TIMEOUT_MS = 1000;
export const LINK_CHECK_INTERVAL_MS = 250;
/** Signalling (type, channel, call_ref) keys remembered for dropping repeats; oldest forgotten first. */
export const SIGNALLING_DEDUP_CAPACITY = 4096;

export const LINK_NOT_UP = 'CAPTURE_LINK_NOT_UP';
export const REPLY_TIMEOUT = 'CAPTURE_REPLY_TIMEOUT';
export const COMMAND_REJECTED = 'CAPTURE_COMMAND_REJECTED';
export const BAD_REPLY = 'CAPTURE_BAD_REPLY';

/** No reply within the request's timeout; marker field `timeout` for callers that branch on it. */
export class ReplyTimeoutError extends AppError {
  readonly timeout = true;
  constructor(type: FrameType, seq: number, timeoutMs: number) {
    super(REPLY_TIMEOUT, `no reply to ${FrameType[type]} (seq ${seq}) within ${timeoutMs} ms`, { details: { type, seq, timeoutMs } });
    this.name = 'ReplyTimeoutError';
  }
}

export type BridgeStatus = GetStatusReplyBody;

export interface PingResult {
  roundTripMs: number;
}

export interface BridgeClientOptions {
  readonly link: BridgeLink;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly helloTimeoutMs?: number;
  readonly helloAttempts?: number;
  readonly helloRejectedRetryMs?: number;
  readonly requestTimeoutMs?: number;
  readonly linkTimeoutMs?: number;
  readonly linkCheckIntervalMs?: number;
  readonly dedupCapacity?: number;
}

/** The client's own counters. */
export interface BridgeClientCounters {
  /** Known frame types whose payload did not parse (or named a channel beyond channel_count). */
  malformedPayload: number;
  unknownType: number;
  /** Sum of the gaps in the bridge's sequence numbers. */
  seqGaps: number;
  /** Exact repeats (same SEQ and TYPE) of the frame before. */
  duplicates: number;
  /** CALL_START/CALL_END for a (type, channel, call_ref) already handled: acknowledged, not emitted. */
  signallingRepeats: number;
  /** Frames other than replies and BOOT received before the HELLO reply, ignored. */
  framesBeforeHello: number;
  framesSent: number;
  acksSent: number;
  /** ACKs that could not be written (the bridge resends, so nothing is lost yet). */
  ackFailures: number;
  helloSent: number;
  helloTimeouts: number;
  /** HELLO replies with a status other than OK or an unsupported protocol version. */
  helloRejected: number;
  replyTimeouts: number;
  /** Replies that match no outstanding request (late, or of the wrong type). */
  unmatchedReplies: number;
  linkUps: number;
  linkTimeouts: number;
  bridgeRestarts: number;
  /** Exceptions thrown by listeners of the client's events (caught, logged). */
  listenerErrors: number;
}

export type BridgeClientStats = FrameDecoderStats & SerialLinkStats & BridgeClientCounters;

type Phase = 'stopped' | 'waiting' | 'handshaking' | 'up';

interface Waiter {
  readonly replyType: FrameType;
  readonly resolve: (reply: Reply<unknown>) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  /** Runs synchronously when the reply is decoded, before the promise settles. */
  readonly onReply?: (reply: Reply<unknown>) => void;
}

export class BridgeClient extends SafeEmitter<BridgeEvents> {
  private readonly link: BridgeLink;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly helloTimeoutMs: number;
  private readonly helloAttempts: number;
  private readonly helloRejectedRetryMs: number;
  private readonly requestTimeoutMs: number;
  private readonly linkTimeoutMs: number;
  private readonly linkCheckIntervalMs: number;
  private readonly dedupCapacity: number;
  private readonly decoder = new FrameDecoder();
  private readonly counters: BridgeClientCounters = {
    malformedPayload: 0,
    unknownType: 0,
    seqGaps: 0,
    duplicates: 0,
    signallingRepeats: 0,
    framesBeforeHello: 0,
    framesSent: 0,
    acksSent: 0,
    ackFailures: 0,
    helloSent: 0,
    helloTimeouts: 0,
    helloRejected: 0,
    replyTimeouts: 0,
    unmatchedReplies: 0,
    linkUps: 0,
    linkTimeouts: 0,
    bridgeRestarts: 0,
    listenerErrors: 0,
  };

  private phase: Phase = 'stopped';
  /** Bumped on every open, close and re-handshake: late replies and timers of an old session do nothing. */
  private session = 0;
  private txSeq = 0;
  private readonly waiters = new Map<number, Waiter>();
  private helloRetryTimer: NodeJS.Timeout | null = null;
  private linkCheckTimer: NodeJS.Timeout | null = null;
  private lastValidFrameAtMs = 0;
  /** The last HELLO reply, while up. */
  private info: LinkUpEvent | null = null;
  /** The boot id of the last HELLO reply ever seen (survives link loss to detect restarts). */
  private bootId: number | undefined;
  /** Sequence tracking of the bridge's frames: the highest new SEQ, and the frame just before. */
  private highestSeq: number | null = null;
  private previousSeq = -1;
  private previousType = -1;
  /** Signalling already emitted, by (channel, call_ref): starts and ends apart, see goDown(). */
  private readonly handledStarts = new Map<string, true>();
  private readonly handledEnds = new Map<string, true>();

  private readonly onOpen = (): void => this.linkOpened();
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onClose = (info: LinkCloseInfo): void => this.linkClosed(info);

  constructor(options: BridgeClientOptions) {
    const logger = (options.logger ?? silentLogger).child('bridge-client');
    super((event, err) => {
      this.counters.listenerErrors++;
      // Name, code and where it was thrown only: a message might quote a phone number.
      const fields: Record<string, string> = { event, errorName: err instanceof Error ? err.name : typeof err };
      if (err instanceof AppError) fields.code = err.code;
      const at = err instanceof Error ? err.stack?.split('\n')[1]?.trim() : undefined;
      if (at !== undefined) fields.at = at;
      logger.error('bridge event listener threw', fields);
    });
    this.link = options.link;
    this.clock = options.clock ?? systemClock;
    this.logger = logger;
    this.helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.helloAttempts = options.helloAttempts ?? HELLO_ATTEMPTS;
    this.helloRejectedRetryMs = options.helloRejectedRetryMs ?? HELLO_REJECTED_RETRY_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.linkTimeoutMs = options.linkTimeoutMs ?? LINK_TIMEOUT_MS;
    this.linkCheckIntervalMs = options.linkCheckIntervalMs ?? LINK_CHECK_INTERVAL_MS;
    this.dedupCapacity = options.dedupCapacity ?? SIGNALLING_DEDUP_CAPACITY;
  }

  /** Starts the link; returns at once. 'linkUp' follows when a bridge answers HELLO. */
  start(): void {
    if (this.phase !== 'stopped') return;
    this.phase = 'waiting';
    this.link.on('open', this.onOpen);
    this.link.on('data', this.onData);
    this.link.on('close', this.onClose);
    this.link.start();
  }

  /** Ends the link ('linkDown' with reason 'stopped' if it was up) and closes the port. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped') return;
    this.goDown('stopped');
    this.phase = 'stopped';
    this.endSession(new LinkError(LINK_NOT_UP, 'the bridge client is stopped', { disconnected: true }));
    this.link.off('open', this.onOpen);
    this.link.off('data', this.onData);
    this.link.off('close', this.onClose);
    await this.link.stop();
  }

  get isLinkUp(): boolean {
    return this.phase === 'up';
  }

  /** What the bridge said in its HELLO reply, while the link is up. */
  get bridgeInfo(): LinkUpEvent | null {
    return this.info === null ? null : { ...this.info };
  }

  /** Round trip of a PING; rejects when the link is not up, on timeout or a bad reply. */
  async ping(): Promise<PingResult> {
    this.requireUp();
    const nonce = randomBytes(4).readUInt32LE(0);
    const sentAt = this.clock.now();
    const reply = await this.request(FrameType.Ping, encodePing({ nonce }), FrameType.PingReply, this.requestTimeoutMs);
    const body = this.requireOk(FrameType.Ping, reply) as { nonce: number };
    if (body.nonce !== nonce) throw new AppError(BAD_REPLY, 'the PING reply carries another nonce');
    return { roundTripMs: this.clock.now() - sentAt };
  }

  /** The bridge's own status and counters (GET_STATUS). */
  async getStatus(): Promise<BridgeStatus> {
    this.requireUp();
    const reply = await this.request(FrameType.GetStatus, encodeGetStatus(), FrameType.GetStatusReply, this.requestTimeoutMs);
    return this.requireOk(FrameType.GetStatus, reply) as BridgeStatus;
  }

  /** Every counter of the decoder, the link and the client, for health and metrics. */
  stats(): BridgeClientStats {
    return { ...this.decoder.stats(), ...this.link.stats(), ...this.counters };
  }

  /** The link's errors under the names an operator sees (health view, log, alarm). */
  linkErrors(): LinkErrorCounters {
    return linkErrorCounters({ ...this.decoder.stats(), ...this.counters });
  }

  // -------------------------------------------------------------------------------------------
  // Link events

  private linkOpened(): void {
    if (this.phase === 'stopped') return;
    this.session++;
    // Bytes of the previous session will never be completed, and the bridge may have restarted.
    this.decoder.reset();
    this.resetSeqTracking();
    this.phase = 'handshaking';
    this.sendHello(this.session, 1);
  }

  private linkClosed(info: LinkCloseInfo): void {
    if (this.phase === 'stopped') return;
    this.goDown('closed');
    this.phase = 'waiting';
    this.endSession(new LinkError(LINK_NOT_UP, `the bridge link closed (${info.reason})`, { disconnected: true }));
  }

  /** Invalidates the current session: its timers stop and its requests fail with `err`. */
  private endSession(err: Error): void {
    this.session++;
    if (this.helloRetryTimer !== null) {
      clearTimeout(this.helloRetryTimer);
      this.helloRetryTimer = null;
    }
    for (const [seq, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      this.waiters.delete(seq);
      waiter.reject(err);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Handshake and link state

  private sendHello(session: number, attempt: number): void {
    this.helloRetryTimer = null;
    if (session !== this.session) return;
    this.counters.helloSent++;
    // The link goes up synchronously inside the frame loop that decoded the reply: the frames
    // right behind it in the same read (CALL_START, AUDIO) must not count as "before HELLO".
    this.request(FrameType.Hello, encodeHello({ hostProtocolVersion: VERSION }), FrameType.HelloReply, this.helloTimeoutMs, (reply) =>
      this.helloAnswered(session, reply as Reply<LinkUpEvent>),
    ).catch((err: unknown) => this.helloFailed(session, attempt, err));
  }

  private helloFailed(session: number, attempt: number, err: unknown): void {
    if (session !== this.session) return;
    if (err instanceof ReplyTimeoutError) {
      this.counters.helloTimeouts++;
      if (attempt < this.helloAttempts) {
        this.sendHello(session, attempt + 1);
        return;
      }
      this.logger.warn('no reply to HELLO; reopening the link', { attempts: attempt });
    } else {
      this.logger.warn('HELLO could not be sent; reopening the link', { errorName: err instanceof Error ? err.name : typeof err });
    }
    this.session++;
    this.link.reconnect('no reply to HELLO');
  }

  private helloAnswered(session: number, reply: Reply<LinkUpEvent>): void {
    if (session !== this.session) return;
    if (reply.status !== ReplyStatus.Ok || reply.body.protocolVersion !== VERSION) {
      this.counters.helloRejected++;
      this.logger.error('the bridge refused the handshake; retrying later', {
        status: ReplyStatus[reply.status],
        bridgeProtocolVersion: reply.status === ReplyStatus.Ok ? reply.body.protocolVersion : undefined,
        hostProtocolVersion: VERSION,
        retryInMs: this.helloRejectedRetryMs,
      });
      this.helloRetryTimer = setTimeout(() => this.sendHello(session, 1), this.helloRejectedRetryMs);
      return;
    }
    this.goUp(reply.body);
  }

  private goUp(body: LinkUpEvent): void {
    const previousBootId = this.bootId;
    this.bootId = body.bootId;
    this.info = { bootId: body.bootId, protocolVersion: body.protocolVersion, channelCount: body.channelCount, firmwareVersion: body.firmwareVersion };
    this.phase = 'up';
    this.counters.linkUps++;
    this.lastValidFrameAtMs = this.clock.now();
    this.linkCheckTimer = setInterval(() => this.checkLink(), this.linkCheckIntervalMs);
    this.logger.info('bridge link up', { bootId: body.bootId, channelCount: body.channelCount, firmwareVersion: body.firmwareVersion });
    if (previousBootId !== undefined && previousBootId !== body.bootId) {
      this.counters.bridgeRestarts++;
      // Call refs are unique per boot only: the old ones say nothing about the new boot.
      this.handledStarts.clear();
      this.handledEnds.clear();
      this.logger.warn('the bridge restarted', { previousBootId, bootId: body.bootId });
      this.emit('bridgeRestarted', { previousBootId, bootId: body.bootId });
    }
    this.emit('linkUp', { ...this.info });
  }

  private goDown(reason: LinkDownReason): void {
    if (this.phase !== 'up') return;
    this.phase = 'handshaking';
    this.info = null;
    // The calls layer holds the calls in progress on linkDown; after the reconnect the bridge
    // announces them again (CALL_START with RESUMED), and those must reach it to resume them.
    // Ends stay remembered: a CALL_END resent after the reconnect was handled all the same.
    this.handledStarts.clear();
    if (this.linkCheckTimer !== null) {
      clearInterval(this.linkCheckTimer);
      this.linkCheckTimer = null;
    }
    this.logger.warn('bridge link down', { reason });
    this.emit('linkDown', { reason });
  }

  private checkLink(): void {
    if (this.phase !== 'up') return;
    const silentMs = this.clock.now() - this.lastValidFrameAtMs;
    if (silentMs < this.linkTimeoutMs) return;
    this.counters.linkTimeouts++;
    this.goDown('timeout');
    this.session++;
    this.link.reconnect(`no valid frame for ${silentMs} ms`);
  }

  /** BOOT with a new boot id while up: the bridge restarted under us; shake hands again. */
  private bridgeBooted(bootId: number): void {
    if (this.phase !== 'up' || bootId === this.bootId) return;
    this.goDown('restarted');
    this.endSession(new LinkError(LINK_NOT_UP, 'the bridge restarted', { disconnected: true }));
    this.resetSeqTracking();
    this.sendHello(this.session, 1);
  }

  private requireUp(): void {
    if (this.phase !== 'up') throw new LinkError(LINK_NOT_UP, 'the bridge link is not up', { disconnected: true });
  }

  private requireOk(command: FrameType, reply: Reply<unknown>): unknown {
    if (reply.status !== ReplyStatus.Ok) {
      throw new AppError(COMMAND_REJECTED, `the bridge refused ${FrameType[command]}: ${ReplyStatus[reply.status]}`, { details: { status: reply.status } });
    }
    return reply.body;
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  private send(type: FrameType, payload: Buffer): { seq: number; written: Promise<void> } {
    const seq = this.txSeq;
    this.txSeq = nextSeq(seq);
    this.counters.framesSent++;
    return { seq, written: this.link.write(encodeFrame(type, seq, payload)) };
  }

  /** Sends a command and resolves with its reply (matched by request_seq), or rejects on timeout or link loss. */
  private request(type: FrameType, payload: Buffer, replyType: FrameType, timeoutMs: number, onReply?: (reply: Reply<unknown>) => void): Promise<Reply<unknown>> {
    return new Promise((resolve, reject) => {
      const { seq, written } = this.send(type, payload);
      const timer = setTimeout(() => {
        if (this.waiters.get(seq) !== waiter) return;
        this.waiters.delete(seq);
        this.counters.replyTimeouts++;
        reject(new ReplyTimeoutError(type, seq, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = { replyType, resolve, reject, timer, ...(onReply === undefined ? {} : { onReply }) };
      this.waiters.set(seq, waiter);
      written.catch((err: unknown) => {
        if (this.waiters.get(seq) !== waiter) return;
        clearTimeout(timer);
        this.waiters.delete(seq);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  private acknowledge(seq: number): void {
    this.counters.acksSent++;
    this.send(FrameType.Ack, encodeAck({ ackedSeq: seq })).written.catch(() => {
      // The bridge resends unacknowledged signalling, and we acknowledge it again then.
      this.counters.ackFailures++;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Receiving

  private receive(chunk: Buffer): void {
    if (this.phase === 'stopped' || this.phase === 'waiting') return;
    for (const frame of this.decoder.push(chunk)) this.handleFrame(frame);
  }

  private resetSeqTracking(): void {
    this.highestSeq = null;
    this.previousSeq = -1;
    this.previousType = -1;
  }

  /** Returns true when the frame exactly repeats the one before it. */
  private trackSeq(frame: DecodedFrame): boolean {
    const duplicate = frame.seq === this.previousSeq && frame.type === this.previousType;
    this.previousSeq = frame.seq;
    this.previousType = frame.type;
    if (duplicate) {
      this.counters.duplicates++;
      return true;
    }
    if (this.highestSeq === null) {
      this.highestSeq = frame.seq;
      return false;
    }
    const ahead = (frame.seq - this.highestSeq + SEQ_MODULO) % SEQ_MODULO;
    // Less than half the sequence space ahead: a new frame. Otherwise it is behind: a
    // retransmission of an earlier frame, which is neither a gap nor the new high mark.
    if (ahead > 0 && ahead < SEQ_MODULO / 2) {
      this.counters.seqGaps += ahead - 1;
      this.highestSeq = frame.seq;
    }
    return false;
  }

  private handleFrame(frame: DecodedFrame): void {
    this.lastValidFrameAtMs = this.clock.now();
    const duplicate = this.trackSeq(frame);
    const signalling = frame.type === FrameType.CallStart || frame.type === FrameType.CallEnd;
    if (duplicate && !signalling) return;
    const isReply = (frame.type & REPLY_BIT) !== 0;
    if (this.phase !== 'up' && !isReply && frame.type !== FrameType.Boot) {
      this.counters.framesBeforeHello++;
      return;
    }

    let message;
    try {
      message = decodePayload(frame.type, frame.payload);
    } catch (err) {
      if (!(err instanceof MalformedPayloadError)) throw err;
      this.malformed(frame, err.reason);
      return;
    }
    if (message === null) {
      this.counters.unknownType++;
      this.logger.warn('frame of unknown type dropped', { type: frame.type, seq: frame.seq });
      return;
    }
    if ('unknownCommandReply' in message) {
      // The host sends no command the bridge could call unknown except by a bug: nothing waits for it.
      this.counters.unmatchedReplies++;
      this.logger.warn('reply to an unknown command type dropped', { type: frame.type, seq: frame.seq, status: message.unknownCommandReply.status });
      return;
    }

    switch (message.type) {
      case FrameType.HelloReply:
      case FrameType.PingReply:
      case FrameType.GetStatusReply:
        this.reply(message.type, message.payload);
        return;
      case FrameType.Boot:
        this.bridgeBooted(message.payload.bootId);
        return;
      case FrameType.Heartbeat: {
        const p = message.payload;
        if (p.channelCount !== this.info?.channelCount) {
          this.malformed(frame, `channel_count ${p.channelCount} differs from the HELLO reply`);
          return;
        }
        this.emit('heartbeat', { uptimeMs: p.uptimeMs, tick: p.tick, activeChannels: p.activeChannels });
        return;
      }
      case FrameType.Audio: {
        const channelCount = this.info?.channelCount ?? 0;
        for (const entry of message.payload.channels) {
          if (entry.channel >= channelCount) {
            this.malformed(frame, `audio for channel ${entry.channel} beyond channel_count ${channelCount}`);
            return;
          }
        }
        this.emit('audio', message.payload);
        return;
      }
      case FrameType.CallStart:
      case FrameType.CallEnd: {
        const p = message.payload;
        const channelCount = this.info?.channelCount ?? 0;
        if (p.channel >= channelCount) {
          // Not acknowledged: the bridge resends it and, in the end, counts it as dropped.
          this.malformed(frame, `channel ${p.channel} beyond channel_count ${channelCount}`);
          return;
        }
        this.acknowledge(frame.seq);
        if (duplicate || this.alreadyHandled(message.type, p.channel, p.callRef)) {
          this.counters.signallingRepeats += duplicate ? 0 : 1;
          return;
        }
        const bootId = this.bootId as number;
        if (message.type === FrameType.CallStart) {
          const s = message.payload;
          this.emit('callStart', {
            bootId,
            channel: s.channel,
            callRef: s.callRef,
            tick: s.tick,
            caller: s.caller,
            called: s.called,
            agentExtension: s.agentExtension,
            resumed: s.resumed,
          });
        } else {
          const e = message.payload;
          this.emit('callEnd', { bootId, channel: e.channel, callRef: e.callRef, tick: e.tick, cause: e.cause === CallEndCause.Abnormal ? 'abnormal' : 'normal' });
        }
        return;
      }
      default:
        // Host commands (HELLO, PING, GET_STATUS, ACK) never come from the bridge.
        this.counters.unknownType++;
        this.logger.warn('host command type received from the bridge, dropped', { type: frame.type, seq: frame.seq });
    }
  }

  private malformed(frame: DecodedFrame, reason: string): void {
    this.counters.malformedPayload++;
    this.logger.warn('malformed frame dropped', { type: frame.type, seq: frame.seq, reason });
  }

  private reply(type: FrameType, reply: Reply<unknown>): void {
    const waiter = this.waiters.get(reply.requestSeq);
    if (waiter === undefined || waiter.replyType !== type) {
      this.counters.unmatchedReplies++;
      return;
    }
    clearTimeout(waiter.timer);
    this.waiters.delete(reply.requestSeq);
    waiter.onReply?.(reply);
    waiter.resolve(reply);
  }

  /** Remembers the key; true when it was already there. Oldest keys go first beyond the capacity. */
  private alreadyHandled(type: FrameType, channel: number, callRef: number): boolean {
    const handled = type === FrameType.CallStart ? this.handledStarts : this.handledEnds;
    const key = `${channel}:${callRef}`;
    if (handled.has(key)) return true;
    handled.set(key, true);
    if (handled.size > this.dedupCapacity) {
      const oldest = handled.keys().next().value;
      if (oldest !== undefined) handled.delete(oldest);
    }
    return false;
  }
}
