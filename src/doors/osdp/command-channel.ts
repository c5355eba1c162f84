/**
 * One command and its reply at a time, the ACU's half of an OSDP line: numbers the packets,
 * wraps them in the Secure Channel once it is up, sends, and waits for the one reply that
 * belongs to the command. Half duplex: the receive buffer is cleared before each command, and a
 * reply that does not come (or comes corrupted) is asked for again by sending the very same
 * bytes, which the reader answers with its last reply again (same sequence number).
 *
 * What went wrong is told as a fault, never thrown, for the poll loop to count and decide:
 *   'timeout'   no whole valid packet within the reply timeout
 *   'check'     a packet came with a bad CRC or checksum (resent at once, no need to wait)
 *   'sequence'  the reply's sequence number is not the command's: resynchronise (sequence 0)
 *   'secure'    the reply's MAC or ciphertext is wrong, or it left the Secure Channel
 *   'link'      the serial line is closed or went away
 */
import type { BridgeLink } from '../../capture/serial-link.js';
import { PacketReader } from './packet-reader.js';
import { SCS, carriesMac, encodePacket, type OsdpPacket, type SecurityBlock } from './packet-codec.js';
import { REPLY, decodeReply, type Reply } from './messages.js';
import { sameBytes, type SecureSession } from './secure-channel.js';
import type { Timers } from './timers.js';

export type ExchangeFault = 'timeout' | 'check' | 'sequence' | 'secure' | 'link';
export type ExchangeResult = { readonly ok: true; readonly reply: Reply; readonly packet: OsdpPacket } | { readonly ok: false; readonly fault: ExchangeFault };
/** What arrived for the command in flight, before its sequence number and MAC are checked. */
type Arrival = { readonly ok: true; readonly packet: OsdpPacket } | { readonly ok: false; readonly fault: ExchangeFault };

/** The link as the channel needs it: SerialLink, or anything with the same events. */
export type OsdpLink = Pick<BridgeLink, 'on' | 'off' | 'write'>;

export interface CommandChannelCounters {
  commandsSent: number;
  retransmissions: number;
  sequenceErrors: number;
  macErrors: number;
  /** Valid packets not from our reader (another address, or a command echoed on the line). */
  strayPackets: number;
  /** A second copy of the previous command's reply (it came late, after a resend): skipped. */
  lateReplies: number;
}

export class CommandChannel {
  private sequence = 0;
  private session: SecureSession | null = null;
  private readonly reader = new PacketReader();
  private waiting: { resolve: (arrival: Arrival) => void; timer: unknown; checkErrorsBefore: number; sequence: number } | null = null;
  /** The sequence number of the last command answered, to recognise its late second reply. */
  private answeredSequence: number | null = null;
  readonly counters: CommandChannelCounters = { commandsSent: 0, retransmissions: 0, sequenceErrors: 0, macErrors: 0, strayPackets: 0, lateReplies: 0 };

  constructor(
    private readonly link: OsdpLink,
    private readonly address: number,
    private readonly replyTimeoutMs: number,
    private readonly timers: Timers,
  ) {
    link.on('data', (chunk) => this.onData(chunk));
  }

  /** The faults of the byte stream (garbage, CRC, format), for the health counters. */
  get streamFaults(): PacketReader['faults'] {
    return this.reader.faults;
  }

  get secure(): boolean {
    return this.session !== null;
  }

  /** Starts over: the next command goes with sequence 0 (the reader resets) and in clear. */
  restart(): void {
    this.sequence = 0;
    this.session = null;
    this.answeredSequence = null;
  }

  /** From the next command on, packets are MACed and their data encrypted. */
  enterSecureChannel(session: SecureSession): void {
    this.session = session;
  }

  /**
   * Builds the command's packet once (the MAC chain moves on here) and returns a function that
   * sends those bytes and waits for the reply; call it again to resend after a fault.
   */
  prepare(code: number, data: Buffer, handshake?: SecurityBlock): () => Promise<ExchangeResult> {
    const sequence = this.sequence;
    const session = this.session;
    let wire: Buffer;
    if (session !== null) {
      const block = { type: data.length > 0 ? SCS.COMMAND_MAC_ENC : SCS.COMMAND_MAC, data: Buffer.alloc(0) };
      const payload = data.length > 0 ? session.encryptCommand(data) : data;
      wire = encodePacket({ address: this.address, isReply: false, sequence, useCrc: true, securityBlock: block, code, payload }, (covered) => session.macCommand(covered));
    } else {
      wire = encodePacket({ address: this.address, isReply: false, sequence, useCrc: true, securityBlock: handshake, code, payload: data });
    }
    let sent = 0;
    return async () => {
      if (sent++ > 0) this.counters.retransmissions++;
      const result = await this.send(wire, sequence, session);
      if (result.ok) {
        this.answeredSequence = sequence;
        this.sequence = sequence === 3 ? 1 : sequence + 1;
      }
      return result;
    };
  }

  /** The line went away: the command in flight fails now rather than at its timeout. */
  linkLost(): void {
    this.settle({ ok: false, fault: 'link' });
    this.reader.clear();
  }

  private async send(wire: Buffer, sequence: number, session: SecureSession | null): Promise<ExchangeResult> {
    this.settle({ ok: false, fault: 'timeout' });
    this.reader.clear();
    const outcome = new Promise<Arrival>((resolve) => {
      const timer = this.timers.setTimeout(() => this.settle({ ok: false, fault: 'timeout' }), this.replyTimeoutMs);
      this.waiting = { resolve, timer, checkErrorsBefore: this.reader.faults.checkErrors, sequence };
    });
    try {
      this.counters.commandsSent++;
      await this.link.write(wire);
    } catch {
      this.settle({ ok: false, fault: 'link' });
    }
    const arrival = await outcome;
    return arrival.ok ? this.open(arrival.packet, sequence, session) : arrival;
  }

  private onData(chunk: Buffer): void {
    for (const packet of this.reader.push(chunk)) {
      if (!packet.isReply || packet.address !== this.address) {
        this.counters.strayPackets++;
        continue;
      }
      if (this.waiting !== null && packet.sequence !== this.waiting.sequence && packet.sequence === this.answeredSequence) {
        this.counters.lateReplies++;
        continue;
      }
      this.settle({ ok: true, packet });
    }
    const waiting = this.waiting;
    if (waiting !== null && this.reader.faults.checkErrors > waiting.checkErrorsBefore) this.settle({ ok: false, fault: 'check' });
  }

  /** Checks the sequence number and the Secure Channel of a reply, and reads it. */
  private open(packet: OsdpPacket, waitedFor: number, session: SecureSession | null): ExchangeResult {
    // osdp_BUSY may come with any sequence number: the reader did not take the command yet.
    if (packet.code === REPLY.BUSY && packet.securityBlock === undefined) return { ok: true, reply: decodeReply(packet.code, packet.payload), packet };
    if (packet.sequence !== waitedFor) {
      this.counters.sequenceErrors++;
      return { ok: false, fault: 'sequence' };
    }
    if (session === null) return { ok: true, reply: decodeReply(packet.code, packet.payload), packet };
    if (!carriesMac(packet.securityBlock) || packet.mac === undefined) {
      // A reader that dropped the session answers in clear (osdp_NAK): start it again.
      this.counters.macErrors++;
      return { ok: false, fault: 'secure' };
    }
    const mac = session.macReply(packet.macInput);
    if (!sameBytes(mac.subarray(0, packet.mac.length), packet.mac)) {
      this.counters.macErrors++;
      return { ok: false, fault: 'secure' };
    }
    let data = packet.payload;
    if (packet.securityBlock?.type === SCS.REPLY_MAC_ENC) {
      const clear = session.decryptReply(packet.payload);
      if (clear === null) {
        this.counters.macErrors++;
        return { ok: false, fault: 'secure' };
      }
      data = clear;
    }
    return { ok: true, reply: decodeReply(packet.code, data), packet };
  }

  private settle(arrival: Arrival): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    this.waiting = null;
    this.timers.clearTimeout(waiting.timer);
    waiting.resolve(arrival);
  }
}
