/**
 * The bridge's side of the wire for client tests: reads the frames the host wrote to the mock
 * port and sends frames back through it. Deliberately small: each test scripts what the bridge
 * says, with the real codec.
 */
import {
  type BridgeMessage,
  type DecodedFrame,
  decodePayload,
  encodeFrame,
  encodeHelloReply,
  FrameType,
  nextSeq,
  ReplyStatus,
} from '../../../src/capture/frame-codec.js';
import { FrameDecoder } from '../../../src/capture/frame-decoder.js';
import type { MockPortBinding, RecordingBinding } from './mock-port.js';
import { until } from './mock-port.js';

export interface HostFrame extends DecodedFrame {
  /** The host only ever sends the commands of PROTOCOL.md. */
  decoded: BridgeMessage | null;
}

export class BridgeSim {
  seq = 0;
  private port: MockPortBinding | null = null;
  private decoder = new FrameDecoder();
  private readOffset = 0;
  /** Host frames received on the current port, in order. */
  received: HostFrame[] = [];

  constructor(private readonly mock: RecordingBinding) {}

  /** Frames the host wrote since the port was (re)opened; follows a reopen automatically. */
  private poll(): void {
    if (this.mock.opened.length === 0) return;
    const port = this.mock.current();
    if (port !== this.port) {
      this.port = port;
      this.decoder = new FrameDecoder();
      this.readOffset = 0;
      this.received = [];
    }
    const fresh = port.recording.subarray(this.readOffset);
    this.readOffset = port.recording.length;
    for (const f of this.decoder.push(Buffer.from(fresh))) {
      this.received.push({ ...f, payload: Buffer.from(f.payload), decoded: decodePayload(f.type, f.payload) as BridgeMessage | null });
    }
  }

  frames(type?: FrameType): HostFrame[] {
    this.poll();
    return type === undefined ? this.received : this.received.filter((f) => f.type === type);
  }

  async waitFor(type: FrameType, count = 1, timeoutMs = 2000): Promise<HostFrame> {
    await until(() => this.frames(type).length >= count, timeoutMs, `${count} host frame(s) of type ${FrameType[type]}`);
    return this.frames(type)[count - 1] as HostFrame;
  }

  /** Sends a frame with the next sequence number (or the one given, for retransmissions). */
  send(type: FrameType | number, payload: Buffer, seq?: number): number {
    const s = seq ?? this.seq;
    if (seq === undefined) this.seq = nextSeq(this.seq);
    this.mock.current().emitData(encodeFrame(type, s, payload));
    return s;
  }

  sendRaw(bytes: Buffer): void {
    this.mock.current().emitData(bytes);
  }

  /** Waits for the n-th HELLO on the current port and answers it. */
  async answerHello(options: { bootId: number; channelCount?: number; status?: ReplyStatus; protocolVersion?: number; nth?: number }): Promise<void> {
    const hello = await this.waitFor(FrameType.Hello, options.nth ?? 1);
    const status = options.status ?? ReplyStatus.Ok;
    const payload =
      status === ReplyStatus.Ok
        ? encodeHelloReply({
            requestSeq: hello.seq,
            status,
            body: { bootId: options.bootId, protocolVersion: options.protocolVersion ?? 1, channelCount: options.channelCount ?? 8, firmwareVersion: '1.0.0-test' },
          })
        : encodeHelloReply({ requestSeq: hello.seq, status, body: null });
    this.send(FrameType.HelloReply, payload);
  }
}
