/**
 * G.711 A-law (ITU-T G.711, the European PCM companding law the telephony card delivers).
 * One byte per sample at 8 kHz; decoding is a 256-entry table, encoding follows the reference
 * segment search. encode(decode(b)) === b for every byte b.
 */

/** A-law code of (near) zero: what missing audio is filled with. Decodes to +8. */
export const ALAW_SILENCE = 0xd5;

const SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff] as const;

function decodeOne(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return (a & 0x80) !== 0 ? t : -t;
}

/** A-law byte -> signed 16-bit linear sample. */
export const ALAW_TO_LINEAR: Int16Array = (() => {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code += 1) table[code] = decodeOne(code);
  return table;
})();

/** Signed 16-bit linear sample -> A-law byte. */
export function linearToAlaw(sample: number): number {
  let value = Math.max(-32768, Math.min(32767, Math.trunc(sample))) >> 3;
  let mask: number;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  let segment = 0;
  while (segment < 8 && value > (SEGMENT_ENDS[segment] as number)) segment += 1;
  if (segment >= 8) return 0x7f ^ mask;
  let code = segment << 4;
  code |= segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return code ^ mask;
}

/** True on x86 and ARM: typed arrays then hold exactly the bytes of little-endian PCM. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes A-law bytes into 16-bit little-endian PCM (2 bytes per sample). Every range a player
 * asks for goes through here, so on a little-endian host (x86, ARM) the samples are stored
 * through an Int16Array view instead of one writeInt16LE call each (several times faster). A
 * table of two samples at a time was tried: its 256 KiB fall out of the cache between requests
 * and it was no faster in the service.
 */
export function alawToPcm16le(alaw: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(alaw.length * 2);
  if (LITTLE_ENDIAN_HOST && out.byteOffset % 2 === 0) {
    const samples = new Int16Array(out.buffer, out.byteOffset, alaw.length);
    for (let i = 0; i < alaw.length; i += 1) samples[i] = ALAW_TO_LINEAR[alaw[i] as number] as number;
    return out;
  }
  for (let i = 0; i < alaw.length; i += 1) out.writeInt16LE(ALAW_TO_LINEAR[alaw[i] as number] as number, i * 2);
  return out;
}

/** Decodes A-law bytes into linear samples. */
export function alawToLinear(alaw: Uint8Array): Int16Array {
  const out = new Int16Array(alaw.length);
  for (let i = 0; i < alaw.length; i += 1) out[i] = ALAW_TO_LINEAR[alaw[i] as number] as number;
  return out;
}

/** Encodes linear samples into A-law bytes. */
export function linearToAlawBuffer(samples: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i += 1) out[i] = linearToAlaw(samples[i] as number);
  return out;
}
