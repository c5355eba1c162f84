/**
 * The two checksums of the bridge protocol (firmware-bridge/PROTOCOL.md, "Frame"):
 * - CRC-16/CCITT-FALSE over the 8 header bytes (poly 0x1021, init 0xFFFF, not reflected, no
 *   final XOR; check value of "123456789" is 0x29B1), so a corrupt LENGTH is caught at once;
 * - CRC-32/ISO-HDLC over header and payload (the zlib CRC; check value 0xCBF43926).
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

const CRC16_POLY = 0x1021;
const CRC16_INIT = 0xffff;

/** One entry per value of the byte shifted in: the table form processes a byte per step. */
const CRC16_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ CRC16_POLY) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
})();

/** CRC-16/CCITT-FALSE of `data[start, end)`. */
export function crc16CcittFalse(data: Uint8Array, start = 0, end = data.length): number {
  let crc = CRC16_INIT;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >>> 8) ^ (data[i] as number)) & 0xff] as number);
  }
  return crc;
}

/** CRC-32/ISO-HDLC (zlib) of `data`; node:zlib computes it natively. */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}
