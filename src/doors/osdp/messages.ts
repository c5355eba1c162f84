/**
 * The commands the box sends and the replies it understands (SIA OSDP v2.2, sections 6 and 7),
 * as typed values; the packet around them is packet-codec.ts. Both directions are here because
 * the reader simulator speaks the other side of the same table.
 */

/** Commands, ACU to reader. */
export const COMMAND = {
  POLL: 0x60,
  ID: 0x61,
  CAP: 0x62,
  LSTAT: 0x64,
  KEYSET: 0x75,
  CHLNG: 0x76,
  SCRYPT: 0x77,
} as const;

/** Replies, reader to ACU. */
export const REPLY = {
  ACK: 0x40,
  NAK: 0x41,
  PDID: 0x45,
  PDCAP: 0x46,
  LSTATR: 0x48,
  RAW: 0x50,
  KEYPAD: 0x53,
  CCRYPT: 0x76,
  RMAC_I: 0x78,
  BUSY: 0x79,
} as const;

/** osdp_NAK error codes (v2.2 Table 50) the simulator sends and the logs name. */
export const NAK_CODE = {
  CHECK: 0x01,
  COMMAND_LENGTH: 0x02,
  UNKNOWN_COMMAND: 0x03,
  SEQUENCE: 0x04,
  SECURE_CHANNEL_UNSUPPORTED: 0x05,
  SECURE_CHANNEL_CONDITIONS: 0x06,
} as const;

/** osdp_PDCAP function codes the box looks at (v2.2 Table 53). */
export const CAPABILITY = {
  CHECK_CHARACTER: 8,
  COMMUNICATION_SECURITY: 9,
} as const;

export interface ReaderIdentity {
  /** IEEE OUI of the vendor, 3 bytes. */
  readonly vendorCode: number;
  readonly model: number;
  readonly version: number;
  readonly serialNumber: number;
  /** major.minor.build, one byte each. */
  readonly firmware: string;
}

export interface ReaderCapability {
  readonly functionCode: number;
  readonly compliance: number;
  readonly items: number;
}

export type Reply =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak'; readonly reason: number }
  | { readonly kind: 'busy' }
  | { readonly kind: 'identity'; readonly identity: ReaderIdentity }
  | { readonly kind: 'capabilities'; readonly capabilities: readonly ReaderCapability[] }
  /** osdp_LSTATR: the reader's tamper switch and its power (true: tampered / power failure). */
  | { readonly kind: 'local-status'; readonly tamper: boolean; readonly powerFailure: boolean }
  /** osdp_RAW: card data as read, `bits` bits left-aligned in `data`. */
  | { readonly kind: 'card-read'; readonly readerNumber: number; readonly format: number; readonly bits: number; readonly data: Buffer }
  | { readonly kind: 'keypad'; readonly readerNumber: number; readonly keys: Buffer }
  | { readonly kind: 'ccrypt'; readonly clientUid: Buffer; readonly readerRandom: Buffer; readonly readerCryptogram: Buffer }
  | { readonly kind: 'rmac-i'; readonly initialRmac: Buffer }
  /** A code we do not handle, or data of the wrong length for its code. */
  | { readonly kind: 'malformed'; readonly code: number };

/** Reads a reply's data; never throws (a reader's bytes are input from outside). */
export function decodeReply(code: number, data: Buffer): Reply {
  const malformed: Reply = { kind: 'malformed', code };
  switch (code) {
    case REPLY.ACK:
      return data.length === 0 ? { kind: 'ack' } : malformed;
    case REPLY.BUSY:
      return data.length === 0 ? { kind: 'busy' } : malformed;
    case REPLY.NAK:
      return data.length >= 1 ? { kind: 'nak', reason: data[0] as number } : malformed;
    case REPLY.PDID:
      if (data.length !== 12) return malformed;
      return {
        kind: 'identity',
        identity: {
          vendorCode: data.readUIntLE(0, 3),
          model: data[3] as number,
          version: data[4] as number,
          serialNumber: data.readUInt32LE(5),
          firmware: `${data[9]}.${data[10]}.${data[11]}`,
        },
      };
    case REPLY.PDCAP: {
      if (data.length % 3 !== 0) return malformed;
      const capabilities: ReaderCapability[] = [];
      for (let at = 0; at < data.length; at += 3) {
        capabilities.push({ functionCode: data[at] as number, compliance: data[at + 1] as number, items: data[at + 2] as number });
      }
      return { kind: 'capabilities', capabilities };
    }
    case REPLY.LSTATR:
      return data.length === 2 ? { kind: 'local-status', tamper: data[0] !== 0, powerFailure: data[1] !== 0 } : malformed;
    case REPLY.RAW: {
      if (data.length < 4) return malformed;
      const bits = data.readUInt16LE(2);
      if (bits === 0 || Math.ceil(bits / 8) !== data.length - 4) return malformed;
      return { kind: 'card-read', readerNumber: data[0] as number, format: data[1] as number, bits, data: Buffer.from(data.subarray(4)) };
    }
    case REPLY.KEYPAD: {
      if (data.length < 2 || data[1] !== data.length - 2) return malformed;
      return { kind: 'keypad', readerNumber: data[0] as number, keys: Buffer.from(data.subarray(2)) };
    }
    case REPLY.CCRYPT:
      if (data.length !== 32) return malformed;
      return { kind: 'ccrypt', clientUid: Buffer.from(data.subarray(0, 8)), readerRandom: Buffer.from(data.subarray(8, 16)), readerCryptogram: Buffer.from(data.subarray(16, 32)) };
    case REPLY.RMAC_I:
      return data.length === 16 ? { kind: 'rmac-i', initialRmac: Buffer.from(data) } : malformed;
    default:
      return malformed;
  }
}

/** The data of a reply, the reader simulator's side of decodeReply. */
export function encodeReplyData(reply: Exclude<Reply, { kind: 'malformed' }>): { code: number; data: Buffer } {
  switch (reply.kind) {
    case 'ack':
      return { code: REPLY.ACK, data: Buffer.alloc(0) };
    case 'busy':
      return { code: REPLY.BUSY, data: Buffer.alloc(0) };
    case 'nak':
      return { code: REPLY.NAK, data: Buffer.from([reply.reason]) };
    case 'identity': {
      const data = Buffer.alloc(12);
      const { identity } = reply;
      data.writeUIntLE(identity.vendorCode, 0, 3);
      data[3] = identity.model;
      data[4] = identity.version;
      data.writeUInt32LE(identity.serialNumber, 5);
      identity.firmware.split('.').slice(0, 3).forEach((part, i) => (data[9 + i] = Number(part) & 0xff));
      return { code: REPLY.PDID, data };
    }
    case 'capabilities':
      return { code: REPLY.PDCAP, data: Buffer.from(reply.capabilities.flatMap((c) => [c.functionCode, c.compliance, c.items])) };
    case 'local-status':
      return { code: REPLY.LSTATR, data: Buffer.from([reply.tamper ? 1 : 0, reply.powerFailure ? 1 : 0]) };
    case 'card-read': {
      const head = Buffer.alloc(4);
      head[0] = reply.readerNumber;
      head[1] = reply.format;
      head.writeUInt16LE(reply.bits, 2);
      return { code: REPLY.RAW, data: Buffer.concat([head, reply.data]) };
    }
    case 'keypad':
      return { code: REPLY.KEYPAD, data: Buffer.concat([Buffer.from([reply.readerNumber, reply.keys.length]), reply.keys]) };
    case 'ccrypt':
      return { code: REPLY.CCRYPT, data: Buffer.concat([reply.clientUid, reply.readerRandom, reply.readerCryptogram]) };
    case 'rmac-i':
      return { code: REPLY.RMAC_I, data: reply.initialRmac };
  }
}

/**
 * The card number as the box names it: the bit count and the bits in hex, "26:0a1b2c3" (the
 * reader sends the bits left-aligned; a short last byte is shifted down so equal cards give equal
 * strings). It is the value the door store pseudonymises and enrolment keeps; never logged.
 */
export function cardNumberOf(bits: number, data: Buffer): string {
  let value = 0n;
  for (const byte of data) value = (value << 8n) | BigInt(byte);
  value >>= BigInt(data.length * 8 - bits);
  return `${bits}:${value.toString(16)}`;
}
