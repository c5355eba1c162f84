/**
 * The OSDP Secure Channel (SIA OSDP v2.2, Annex D), both ends of it, on AES-128 from node:crypto.
 *
 * Handshake: the ACU sends osdp_CHLNG with its 8-byte random (RND.A); the reader answers
 * osdp_CCRYPT with its client UID, its random (RND.B) and its cryptogram; both derive the session
 * keys from the Secure Channel Base Key (SCBK: the reader's own key, or in install mode the
 * published default SCBK-D) and RND.A:
 *   S-ENC  = AES(SCBK, 01 82 RND.A[0..5] 00..)   S-MAC1 = AES(SCBK, 01 01 RND.A[0..5] 00..)
 *   S-MAC2 = AES(SCBK, 01 02 RND.A[0..5] 00..)
 *   reader ("client") cryptogram = AES(S-ENC, RND.A || RND.B)
 *   ACU ("server") cryptogram    = AES(S-ENC, RND.B || RND.A), sent in osdp_SCRYPT
 *   initial R-MAC                = AES(S-MAC2, AES(S-MAC1, ACU cryptogram)), sent in osdp_RMAC_I
 * From then on every packet carries a MAC chained through the whole session: a command's MAC is
 * an AES-CBC-MAC (S-MAC1 over all blocks but the last, S-MAC2 over the last, padding 0x80 00..
 * when not block aligned) with the last reply's MAC as IV, and a reply's with the last command's.
 * Data is AES-CBC under S-ENC, padded 0x80 00.., the IV the complement of that same last MAC.
 * The packet carries the first 4 bytes of the MAC; the whole 16 bytes go on in the chain.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';

export const BLOCK = 16;
/** SCBK-D, the published default key of install mode (v2.2 Annex D). */
export const SCBK_DEFAULT: Buffer = Buffer.from('303132333435363738393a3b3c3d3e3f', 'hex');
export const OSDP_SECURE_CHANNEL_FAILED = 'OSDP_SECURE_CHANNEL_FAILED';
const END_MARKER = 0x80;

export interface SessionKeys {
  readonly enc: Buffer;
  readonly mac1: Buffer;
  readonly mac2: Buffer;
}

function aesBlock(key: Buffer, block: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

function derive(scbk: Buffer, prefix: readonly [number, number], acuRandom: Buffer): Buffer {
  const block = Buffer.alloc(BLOCK);
  block[0] = prefix[0];
  block[1] = prefix[1];
  acuRandom.copy(block, 2, 0, 6);
  return aesBlock(scbk, block);
}

export function deriveSessionKeys(scbk: Buffer, acuRandom: Buffer): SessionKeys {
  if (scbk.length !== BLOCK || acuRandom.length !== 8) throw new AppError(OSDP_SECURE_CHANNEL_FAILED, 'the SCBK is 16 bytes and RND.A 8');
  return { enc: derive(scbk, [0x01, 0x82], acuRandom), mac1: derive(scbk, [0x01, 0x01], acuRandom), mac2: derive(scbk, [0x01, 0x02], acuRandom) };
}

/** The reader's ("client") cryptogram, in osdp_CCRYPT. */
export function readerCryptogram(keys: SessionKeys, acuRandom: Buffer, readerRandom: Buffer): Buffer {
  return aesBlock(keys.enc, Buffer.concat([acuRandom, readerRandom]));
}

/** The ACU's ("server") cryptogram, in osdp_SCRYPT. */
export function acuCryptogram(keys: SessionKeys, acuRandom: Buffer, readerRandom: Buffer): Buffer {
  return aesBlock(keys.enc, Buffer.concat([readerRandom, acuRandom]));
}

/** The initial reply MAC, in osdp_RMAC_I: the IV of the first command's MAC. */
export function initialRmac(keys: SessionKeys, acuCryptogramValue: Buffer): Buffer {
  return aesBlock(keys.mac2, aesBlock(keys.mac1, acuCryptogramValue));
}

/** Constant-time equality of two cryptograms or MACs. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The chained CBC-MAC of `data` with `iv` (see the header). */
export function chainedMac(keys: SessionKeys, iv: Buffer, data: Buffer): Buffer {
  const aligned = data.length > 0 && data.length % BLOCK === 0;
  const padded = aligned ? data : Buffer.concat([data, Buffer.from([END_MARKER]), Buffer.alloc(BLOCK - ((data.length + 1) % BLOCK || BLOCK))]);
  let chain = iv;
  const blocks = padded.length / BLOCK;
  for (let i = 0; i < blocks; i++) {
    const block = Buffer.from(padded.subarray(i * BLOCK, (i + 1) * BLOCK));
    for (let j = 0; j < BLOCK; j++) block[j] = (block[j] as number) ^ (chain[j] as number);
    chain = aesBlock(i === blocks - 1 ? keys.mac2 : keys.mac1, block);
  }
  return chain;
}

function complement(iv: Buffer): Buffer {
  return Buffer.from(iv.map((byte) => ~byte & 0xff));
}

export function encryptData(keys: SessionKeys, chainIv: Buffer, data: Buffer): Buffer {
  const padLength = BLOCK - ((data.length + 1) % BLOCK || BLOCK);
  const padded = Buffer.concat([data, Buffer.from([END_MARKER]), Buffer.alloc(padLength)]);
  const cipher = createCipheriv('aes-128-cbc', keys.enc, complement(chainIv)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}

/** The data in clear, or null when it is not whole blocks or its padding is wrong. */
export function decryptData(keys: SessionKeys, chainIv: Buffer, data: Buffer): Buffer | null {
  if (data.length === 0 || data.length % BLOCK !== 0) return null;
  const decipher = createDecipheriv('aes-128-cbc', keys.enc, complement(chainIv)).setAutoPadding(false);
  const clear = Buffer.concat([decipher.update(data), decipher.final()]);
  let end = clear.length - 1;
  while (end > 0 && clear[end] === 0) end--;
  if (clear[end] !== END_MARKER) return null;
  return clear.subarray(0, end);
}

/**
 * One established session's state: the keys and the two MAC chains. Used the same way by the ACU
 * (sending commands, checking replies) and the reader simulator (the other way round).
 */
export class SecureSession {
  /** The last command's whole MAC. */
  private commandMac: Buffer;
  /** The last reply's whole MAC (R-MAC-I at first). */
  private replyMac: Buffer;

  constructor(
    readonly keys: SessionKeys,
    initialReplyMac: Buffer,
  ) {
    this.replyMac = Buffer.from(initialReplyMac);
    this.commandMac = Buffer.alloc(BLOCK);
  }

  /** Encrypts a command's data: IV from the last reply's MAC. */
  encryptCommand(data: Buffer): Buffer {
    return encryptData(this.keys, this.replyMac, data);
  }

  /** Encrypts a reply's data: IV from the command's MAC just received. */
  encryptReply(data: Buffer): Buffer {
    return encryptData(this.keys, this.commandMac, data);
  }

  decryptCommand(data: Buffer): Buffer | null {
    return decryptData(this.keys, this.replyMac, data);
  }

  decryptReply(data: Buffer): Buffer | null {
    return decryptData(this.keys, this.commandMac, data);
  }

  /** The MAC of an outgoing or incoming command (SOM..DATA); moves the command chain on. */
  macCommand(covered: Buffer): Buffer {
    this.commandMac = chainedMac(this.keys, this.replyMac, covered);
    return this.commandMac;
  }

  /** The MAC of a reply (SOM..DATA); moves the reply chain on. */
  macReply(covered: Buffer): Buffer {
    this.replyMac = chainedMac(this.keys, this.commandMac, covered);
    return this.replyMac;
  }
}

/** 8 random bytes for RND.A / RND.B. */
export function newRandom(): Buffer {
  return randomBytes(8);
}

/** Reads an SCBK given in hex (32 digits). */
export function parseScbk(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new AppError(OSDP_SECURE_CHANNEL_FAILED, 'an SCBK is 32 hexadecimal digits');
  return Buffer.from(hex, 'hex');
}
