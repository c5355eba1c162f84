/**
 * A simulated OSDP reader (the PD side) on a serial line: what drives the tests and the demo in
 * place of a reader at the server-room door. It answers the box's commands as a v2.2 reader
 * with the Secure Channel does, and plays a script given by calls: card swipes, keys, tamper,
 * power loss, and the faults of a real line (noise, a bad CRC, a wrong sequence number, silence).
 * Unplugging is closing the pseudo-terminal pair (pty-pair.ts), not something the reader does.
 *
 * It shares the packet codec and the Secure Channel with the box; both are checked against the
 * published SIA vectors (test/unit/doors/osdp), so a bug in them cannot hide behind the pair.
 */
import { SafeEmitter } from '../../capture/safe-emitter.js';
import { SerialLink } from '../../capture/serial-link.js';
import { silentLogger, type Logger } from '../../log.js';
import { osdpCrc16 } from './osdp-check.js';
import { SCS, carriesMac, encodePacket, type OsdpPacket, type SecurityBlock } from './packet-codec.js';
import { PacketReader } from './packet-reader.js';
import { CAPABILITY, COMMAND, NAK_CODE, encodeReplyData, type ReaderIdentity, type Reply } from './messages.js';
import { SCBK_DEFAULT, SecureSession, acuCryptogram, deriveSessionKeys, initialRmac, newRandom, readerCryptogram, sameBytes, type SessionKeys } from './secure-channel.js';

export const SIMULATED_READER_IDENTITY: ReaderIdentity = { vendorCode: 0x5441_4c, model: 1, version: 1, serialNumber: 0x2026_0013, firmware: '2.2.0' };

export interface ReaderSimulatorOptions {
  readonly path: string;
  readonly baudRate?: number;
  readonly address: number;
  /** The reader's own SCBK; without one (and without install mode) it has no Secure Channel. */
  readonly scbk?: Buffer;
  /** Takes SCBK-D, as a reader fresh from the box does. */
  readonly installMode?: boolean;
  readonly identity?: ReaderIdentity;
  readonly logger?: Logger;
}

export interface ReaderSimulatorEvents {
  /** A command taken (after its checks), by code. */
  command: [code: number];
  /** The line to the box opened. */
  open: [];
}

type SimulatedReply = Exclude<Reply, { kind: 'malformed' }>;

export class ReaderSimulator extends SafeEmitter<ReaderSimulatorEvents> {
  private readonly link: SerialLink;
  private readonly reader = new PacketReader();
  private readonly identity: ReaderIdentity;
  private readonly pending: SimulatedReply[] = [];
  private status = { tamper: false, powerFailure: false };
  private session: SecureSession | null = null;
  /** Established once osdp_RMAC_I has gone out: that reply itself is not MACed. */
  private pendingSession: SecureSession | null = null;
  private handshake: { keys: SessionKeys; acuRandom: Buffer; readerRandom: Buffer } | null = null;
  private last: { sequence: number; code: number; wire: Buffer } | null = null;
  /** The event in the last reply, kept until the box moves on to its next sequence number. */
  private unacknowledged: SimulatedReply | null = null;
  private muted = false;
  private garbageBeforeNextReply: Buffer | null = null;
  private corruptNextCheck = false;
  private wrongNextSequence = false;
  private lateCopyOfNextReply = false;
  private lateCopy: Buffer | null = null;
  /** The reader's key, and whether it takes SCBK-D: osdp_KEYSET changes both. */
  private scbk: Buffer | undefined;
  private installMode: boolean;
  /** Commands taken, by code; for tests and the demo's output. */
  readonly commands = new Map<number, number>();

  constructor(private readonly options: ReaderSimulatorOptions) {
    super(() => undefined);
    this.identity = options.identity ?? SIMULATED_READER_IDENTITY;
    this.scbk = options.scbk;
    this.installMode = options.installMode === true;
    const logger = (options.logger ?? silentLogger).child('osdp-reader-simulator');
    this.link = new SerialLink({ path: options.path, baudRate: options.baudRate ?? 9600, logger, label: 'simulated OSDP reader line', reconnectMaxDelayMs: 500 });
    this.link.on('data', (chunk) => this.onData(chunk));
    this.link.on('open', () => this.emit('open'));
  }

  start(): void {
    this.link.start();
  }

  async stop(): Promise<void> {
    await this.link.stop();
  }

  /** A card held to the reader: `bits` of `data`, left-aligned, reported at the next poll. */
  swipe(bits: number, data: Buffer): void {
    this.pending.push({ kind: 'card-read', readerNumber: 0, format: 0, bits, data: Buffer.from(data) });
  }

  /** Keys pressed on the reader's keypad (ASCII digits, '*' and '#'). */
  press(keys: string): void {
    this.pending.push({ kind: 'keypad', readerNumber: 0, keys: Buffer.from(keys, 'ascii') });
  }

  /** The tamper switch opened (true) or closed again. */
  setTamper(tamper: boolean): void {
    this.status = { ...this.status, tamper };
    this.pending.push({ kind: 'local-status', ...this.status });
  }

  /** The reader's power failed (true) or came back. */
  setPowerFailure(powerFailure: boolean): void {
    this.status = { ...this.status, powerFailure };
    this.pending.push({ kind: 'local-status', ...this.status });
  }

  /** Noise on the line in front of the next reply. */
  noiseBeforeNextReply(bytes: Buffer): void {
    this.garbageBeforeNextReply = Buffer.from(bytes);
  }

  /** The next reply goes out with its CRC broken (once; a resend is whole). */
  corruptNextReply(): void {
    this.corruptNextCheck = true;
  }

  /** The next reply goes out with a sequence number one off (once). */
  wrongSequenceOnNextReply(): void {
    this.wrongNextSequence = true;
  }

  /**
   * The next reply comes twice, its copy late: in front of the reply to the command after it
   * (as when the box resent a command whose reply was merely slow).
   */
  repeatNextReplyLate(): void {
    this.lateCopyOfNextReply = true;
  }

  /** The reader goes silent (its RS-485 pair cut, or it lost power entirely) until unmute(). */
  mute(): void {
    this.muted = true;
  }

  unmute(): void {
    this.muted = false;
  }

  get secure(): boolean {
    return this.session !== null;
  }

  /** The SCBK the reader holds now (provisioned by osdp_KEYSET or given at start). */
  get currentScbk(): Buffer | undefined {
    return this.scbk;
  }

  private onData(chunk: Buffer): void {
    for (const packet of this.reader.push(chunk)) {
      if (this.muted || packet.isReply || packet.address !== this.options.address) continue;
      this.take(packet);
    }
  }

  private take(packet: OsdpPacket): void {
    if (packet.sequence === 0) {
      // The box starts over: so does the reader, Secure Channel included; an event the box may
      // not have read is told again.
      this.session = null;
      this.last = null;
      if (this.unacknowledged !== null) this.pending.unshift(this.unacknowledged);
    } else if (this.last !== null && packet.sequence === this.last.sequence && packet.code === this.last.code) {
      this.write(this.last.wire); // the box did not get the reply: the same bytes again
      return;
    }
    this.unacknowledged = null;
    const reply = this.answer(packet);
    this.commands.set(packet.code, (this.commands.get(packet.code) ?? 0) + 1);
    this.emit('command', packet.code);
    const wire = this.encode(packet.sequence, reply.reply, reply.block);
    this.last = { sequence: packet.sequence, code: packet.code, wire };
    if (this.lateCopy !== null) this.write(this.lateCopy);
    this.lateCopy = null;
    if (this.lateCopyOfNextReply) {
      this.lateCopyOfNextReply = false;
      this.lateCopy = wire;
    }
    this.write(wire);
  }

  /** The reply to a command, checked and deciphered first when the Secure Channel is up. */
  private answer(packet: OsdpPacket): { reply: SimulatedReply; block?: SecurityBlock } {
    let data = packet.payload;
    if (carriesMac(packet.securityBlock)) {
      const session = this.session;
      const mac = session?.macCommand(packet.macInput);
      if (session === null || mac === undefined || packet.mac === undefined || !sameBytes(mac.subarray(0, 4), packet.mac)) return this.dropSession();
      if (packet.securityBlock?.type === SCS.COMMAND_MAC_ENC) {
        const clear = session.decryptCommand(packet.payload);
        if (clear === null) return this.dropSession();
        data = clear;
      }
    } else if (this.session !== null && packet.code !== COMMAND.CHLNG) {
      return this.dropSession(); // a command in clear inside a session
    }
    switch (packet.code) {
      case COMMAND.ID:
        return { reply: { kind: 'identity', identity: this.identity } };
      case COMMAND.CAP:
        return {
          reply: {
            kind: 'capabilities',
            capabilities: [
              { functionCode: CAPABILITY.CHECK_CHARACTER, compliance: 1, items: 0 },
              { functionCode: CAPABILITY.COMMUNICATION_SECURITY, compliance: this.secureCapable ? 1 : 0, items: this.secureCapable ? 1 : 0 },
            ],
          },
        };
      case COMMAND.LSTAT:
        return { reply: { kind: 'local-status', ...this.status } };
      case COMMAND.POLL: {
        const event = this.pending.shift();
        this.unacknowledged = event ?? null;
        return { reply: event ?? { kind: 'ack' } };
      }
      case COMMAND.KEYSET:
        return this.keyset(data);
      case COMMAND.CHLNG:
        return this.challenge(packet, data);
      case COMMAND.SCRYPT:
        return this.confirm(data);
      default:
        return { reply: { kind: 'nak', reason: NAK_CODE.UNKNOWN_COMMAND } };
    }
  }

  private get secureCapable(): boolean {
    return this.scbk !== undefined || this.installMode;
  }

  /** A new SCBK, taken only inside the Secure Channel; used from the next handshake on. */
  private keyset(data: Buffer): { reply: SimulatedReply } {
    if (this.session === null || data.length !== 18 || data[0] !== 0x01 || data[1] !== 16) return { reply: { kind: 'nak', reason: NAK_CODE.SECURE_CHANNEL_CONDITIONS } };
    this.scbk = Buffer.from(data.subarray(2));
    this.installMode = false;
    return { reply: { kind: 'ack' } };
  }

  private challenge(packet: OsdpPacket, acuRandom: Buffer): { reply: SimulatedReply; block?: SecurityBlock } {
    this.session = null;
    const wantsDefaultKey = packet.securityBlock?.data[0] === 0;
    const scbk = wantsDefaultKey ? (this.installMode ? SCBK_DEFAULT : undefined) : this.scbk;
    if (scbk === undefined || acuRandom.length !== 8) return { reply: { kind: 'nak', reason: NAK_CODE.SECURE_CHANNEL_UNSUPPORTED } };
    const readerRandom = newRandom();
    const keys = deriveSessionKeys(scbk, acuRandom);
    this.handshake = { keys, acuRandom, readerRandom };
    const clientUid = Buffer.alloc(8);
    clientUid.writeUIntLE(this.identity.vendorCode, 0, 3);
    clientUid[3] = this.identity.model;
    clientUid.writeUInt32LE(this.identity.serialNumber, 4);
    return {
      reply: { kind: 'ccrypt', clientUid, readerRandom, readerCryptogram: readerCryptogram(keys, acuRandom, readerRandom) },
      block: { type: SCS.CCRYPT, data: Buffer.from([wantsDefaultKey ? 0 : 1]) },
    };
  }

  private confirm(cryptogram: Buffer): { reply: SimulatedReply; block?: SecurityBlock } {
    const handshake = this.handshake;
    this.handshake = null;
    if (handshake === null || !sameBytes(acuCryptogram(handshake.keys, handshake.acuRandom, handshake.readerRandom), cryptogram)) {
      return { reply: { kind: 'nak', reason: NAK_CODE.SECURE_CHANNEL_UNSUPPORTED } };
    }
    const rmacI = initialRmac(handshake.keys, cryptogram);
    this.pendingSession = new SecureSession(handshake.keys, rmacI);
    return { reply: { kind: 'rmac-i', initialRmac: rmacI }, block: { type: SCS.RMAC_I, data: Buffer.from([1]) } };
  }

  private dropSession(): { reply: SimulatedReply } {
    this.session = null;
    return { reply: { kind: 'nak', reason: NAK_CODE.SECURE_CHANNEL_CONDITIONS } };
  }

  private encode(sequence: number, reply: SimulatedReply, handshakeBlock?: SecurityBlock): Buffer {
    const { code, data } = encodeReplyData(reply);
    const base = { address: this.options.address, isReply: true, sequence, useCrc: true, code };
    const session = this.session;
    let wire: Buffer;
    if (session !== null && handshakeBlock === undefined && reply.kind !== 'nak') {
      const block = { type: data.length > 0 ? SCS.REPLY_MAC_ENC : SCS.REPLY_MAC, data: Buffer.alloc(0) };
      wire = encodePacket({ ...base, securityBlock: block, payload: data.length > 0 ? session.encryptReply(data) : data }, (covered) => session.macReply(covered));
    } else {
      wire = encodePacket({ ...base, securityBlock: handshakeBlock, payload: data });
    }
    if (this.pendingSession !== null) {
      this.session = this.pendingSession;
      this.pendingSession = null;
    }
    return wire;
  }

  private write(wire: Buffer): void {
    let out = wire;
    if (this.wrongNextSequence) {
      this.wrongNextSequence = false;
      out = Buffer.from(out);
      const control = out[5] as number; // after the mark, SOM, ADDR and LEN
      out[5] = (control & ~0x03) | (((control & 0x03) % 3) + 1);
      out.writeUInt16LE(osdpCrc16(out, 1, out.length - 2), out.length - 2);
    }
    if (this.corruptNextCheck) {
      this.corruptNextCheck = false;
      out = Buffer.from(out);
      out[out.length - 1] = (out[out.length - 1] as number) ^ 0x5a;
    }
    if (this.garbageBeforeNextReply !== null) {
      out = Buffer.concat([this.garbageBeforeNextReply, out]);
      this.garbageBeforeNextReply = null;
    }
    this.link.write(out).catch(() => undefined); // a line gone: the box notices by itself
  }
}
