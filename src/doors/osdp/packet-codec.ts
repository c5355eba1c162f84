/**
 * The OSDP packet (SIA OSDP v2.2, section 5), one pure encode and one pure parse; no state, no I/O.
 *
 *   [0xFF]  optional mark byte before the packet (v2.2 recommends it on RS-485; we send it)
 *   0x53    SOM, start of message
 *   ADDR    the reader's address 0x00-0x7E (0x7F broadcast); bit 7 set on a reply from the reader
 *   LEN     2 bytes, LSB first: the whole packet from SOM to the last check byte
 *   CTRL    bits 0-1 sequence number (0 restarts, then 1, 2, 3, 1...); bit 2 set: CRC-16 (else the
 *           8-bit checksum); bit 3 set: a security control block follows
 *   [SCB]   LEN (counting itself), TYPE (SCS_11..SCS_18), DATA...: the secure channel's block
 *   CODE    the command (0x60 osdp_POLL...) or reply (0x40 osdp_ACK...)
 *   DATA    the command's or reply's data; encrypted under SCS_17/SCS_18
 *   [MAC]   4 bytes, under SCS_15..SCS_18: the first 4 bytes of the chained MAC of SOM..DATA
 *   CHECK   CRC-16 (LSB first) or the checksum, over SOM..MAC
 */
import { AppError } from '../../errors.js';
import { osdpChecksum, osdpCrc16 } from './osdp-check.js';

export const OSDP_MARK = 0xff;
export const OSDP_SOM = 0x53;
export const OSDP_BROADCAST_ADDRESS = 0x7f;
export const REPLY_ADDRESS_BIT = 0x80;
export const CONTROL_SEQUENCE_MASK = 0x03;
export const CONTROL_CRC = 0x04;
export const CONTROL_SCB = 0x08;
/** SOM, ADDR, LEN (2), CTRL. */
export const HEADER_LENGTH = 5;
/** The largest packet we take or send: far above what a reader's card read or status needs. */
export const MAX_PACKET_LENGTH = 512;
export const MAC_LENGTH = 4;

/** Security block types (v2.2 Table 42). */
export const SCS = {
  /** Command osdp_CHLNG: the ACU's random. */
  CHLNG: 0x11,
  /** Reply osdp_CCRYPT: the reader's identity, random and cryptogram. */
  CCRYPT: 0x12,
  /** Command osdp_SCRYPT: the ACU's cryptogram. */
  SCRYPT: 0x13,
  /** Reply osdp_RMAC_I: the initial reply MAC. */
  RMAC_I: 0x14,
  /** Command with a MAC, no data (or data in clear). */
  COMMAND_MAC: 0x15,
  /** Reply with a MAC, no data. */
  REPLY_MAC: 0x16,
  /** Command with a MAC and encrypted data. */
  COMMAND_MAC_ENC: 0x17,
  /** Reply with a MAC and encrypted data. */
  REPLY_MAC_ENC: 0x18,
} as const;

export const OSDP_BAD_PACKET = 'OSDP_BAD_PACKET';

export interface SecurityBlock {
  readonly type: number;
  /** The block's data after LEN and TYPE (one byte in the handshake: 1 SCBK, 0 SCBK-D). */
  readonly data: Buffer;
}

export interface OsdpPacketFields {
  /** 0x00-0x7F, without the reply bit. */
  readonly address: number;
  readonly isReply: boolean;
  readonly sequence: number;
  readonly useCrc: boolean;
  readonly securityBlock?: SecurityBlock | undefined;
  readonly code: number;
  /** The data after CODE as on the wire (encrypted under SCS_17/SCS_18). */
  readonly payload: Buffer;
}

export interface OsdpPacket extends OsdpPacketFields {
  /** The MAC bytes of a packet under SCS_15..SCS_18. */
  readonly mac?: Buffer;
  /** SOM..DATA: what the MAC covers. */
  readonly macInput: Buffer;
}

/** True for the security block types whose packets end in a MAC. */
export function carriesMac(block: SecurityBlock | undefined): boolean {
  return block !== undefined && block.type >= SCS.COMMAND_MAC && block.type <= SCS.REPLY_MAC_ENC;
}

/**
 * The wire bytes of a packet, mark byte first. `computeMac` is called with SOM..DATA when the
 * security block calls for a MAC, and returns at least its first 4 bytes.
 */
export function encodePacket(fields: OsdpPacketFields, computeMac?: (covered: Buffer) => Buffer): Buffer {
  if (fields.address < 0 || fields.address > OSDP_BROADCAST_ADDRESS) throw new AppError(OSDP_BAD_PACKET, 'an OSDP address is 0-127');
  if (fields.sequence < 0 || fields.sequence > 3) throw new AppError(OSDP_BAD_PACKET, 'an OSDP sequence number is 0-3');
  const block = fields.securityBlock;
  const blockLength = block === undefined ? 0 : 2 + block.data.length;
  const withMac = carriesMac(block);
  if (withMac && computeMac === undefined) throw new AppError(OSDP_BAD_PACKET, 'a secure packet needs its MAC');
  const checkLength = fields.useCrc ? 2 : 1;
  const length = HEADER_LENGTH + blockLength + 1 + fields.payload.length + (withMac ? MAC_LENGTH : 0) + checkLength;
  if (length > MAX_PACKET_LENGTH) throw new AppError(OSDP_BAD_PACKET, `an OSDP packet is at most ${MAX_PACKET_LENGTH} bytes`);
  const out = Buffer.alloc(1 + length);
  let at = 0;
  out[at++] = OSDP_MARK;
  out[at++] = OSDP_SOM;
  out[at++] = fields.address | (fields.isReply ? REPLY_ADDRESS_BIT : 0);
  out.writeUInt16LE(length, at);
  at += 2;
  out[at++] = fields.sequence | (fields.useCrc ? CONTROL_CRC : 0) | (block === undefined ? 0 : CONTROL_SCB);
  if (block !== undefined) {
    out[at++] = blockLength;
    out[at++] = block.type;
    at += block.data.copy(out, at);
  }
  out[at++] = fields.code;
  at += fields.payload.copy(out, at);
  if (withMac) {
    const mac = (computeMac as (covered: Buffer) => Buffer)(out.subarray(1, at));
    at += mac.copy(out, at, 0, MAC_LENGTH);
  }
  if (fields.useCrc) out.writeUInt16LE(osdpCrc16(out, 1, at), at);
  else out[at] = osdpChecksum(out, 1, at);
  return out;
}

/** Why a complete packet (its length already known) was refused. */
export type PacketFault = 'check' | 'format';

export type ParseResult = { ok: true; packet: OsdpPacket } | { ok: false; fault: PacketFault };

/** Parses one whole packet, SOM first, whose LEN bytes say `frame.length`. */
export function parsePacket(frame: Buffer): ParseResult {
  if (frame.length < HEADER_LENGTH + 2 || frame[0] !== OSDP_SOM) return { ok: false, fault: 'format' };
  const control = frame[4] as number;
  const useCrc = (control & CONTROL_CRC) !== 0;
  const checkAt = frame.length - (useCrc ? 2 : 1);
  if (checkAt < HEADER_LENGTH + 1) return { ok: false, fault: 'format' };
  const checkOk = useCrc ? frame.readUInt16LE(checkAt) === osdpCrc16(frame, 0, checkAt) : frame[checkAt] === osdpChecksum(frame, 0, checkAt);
  if (!checkOk) return { ok: false, fault: 'check' };
  let at = HEADER_LENGTH;
  let securityBlock: SecurityBlock | undefined;
  if ((control & CONTROL_SCB) !== 0) {
    const blockLength = frame[at] as number;
    if (blockLength < 2 || at + blockLength >= checkAt) return { ok: false, fault: 'format' };
    securityBlock = { type: frame[at + 1] as number, data: Buffer.from(frame.subarray(at + 2, at + blockLength)) };
    at += blockLength;
  }
  const payloadEnd = carriesMac(securityBlock) ? checkAt - MAC_LENGTH : checkAt;
  if (payloadEnd < at + 1) return { ok: false, fault: 'format' };
  const address = frame[1] as number;
  const packet: OsdpPacket = {
    address: address & ~REPLY_ADDRESS_BIT,
    isReply: (address & REPLY_ADDRESS_BIT) !== 0,
    sequence: control & CONTROL_SEQUENCE_MASK,
    useCrc,
    securityBlock,
    code: frame[at] as number,
    payload: Buffer.from(frame.subarray(at + 1, payloadEnd)),
    macInput: Buffer.from(frame.subarray(0, payloadEnd)),
    ...(payloadEnd < checkAt ? { mac: Buffer.from(frame.subarray(payloadEnd, checkAt)) } : {}),
  };
  return { ok: true, packet };
}
