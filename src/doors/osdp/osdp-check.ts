/**
 * The two check characters of an OSDP packet (SIA OSDP v2.2, section 5.7 and Annex E):
 * - CRC-16/AUG-CCITT: poly 0x1021, init 0x1D0F, not reflected, no final XOR (check value of
 *   "123456789" is 0xE5CC), sent least significant byte first; what every packet of ours uses;
 * - the 8-bit checksum: the two's complement of the byte sum, which old readers may still send.
 */

const CRC16_POLY = 0x1021;
const CRC16_INIT = 0x1d0f;

const CRC16_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ CRC16_POLY) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** The OSDP CRC-16 of `data[start, end)`. */
export function osdpCrc16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = CRC16_INIT;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >>> 8) ^ (data[i] as number)) & 0xff] as number);
  }
  return crc;
}

/** The OSDP 8-bit checksum of `data[start, end)`: the byte that makes the sum 0 modulo 256. */
export function osdpChecksum(data: Uint8Array, start = 0, end = data.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += data[i] as number;
  return (0x100 - (sum & 0xff)) & 0xff;
}
