import t from 'tap';
import { ALAW_SILENCE, ALAW_TO_LINEAR, alawToLinear, alawToPcm16le, linearToAlaw, linearToAlawBuffer } from '../../../src/recording/alaw.js';

void t.test('when the G.711 reference codes are decoded, then they give the published linear values', async (t) => {
  // ITU-T G.711 A-law: 0xD5/0x55 are +8/-8, 0xAA/0x2A the extremes +32256/-32256.
  t.equal(ALAW_TO_LINEAR[0xd5], 8);
  t.equal(ALAW_TO_LINEAR[0x55], -8);
  t.equal(ALAW_TO_LINEAR[0xaa], 32256);
  t.equal(ALAW_TO_LINEAR[0x2a], -32256);
  t.equal(ALAW_TO_LINEAR[0xd4], 24);
  t.equal(ALAW_TO_LINEAR[0xc5], 264);
  t.equal(ALAW_SILENCE, 0xd5);
});

void t.test('when every A-law code is decoded and encoded again, then the code comes back', async (t) => {
  const wrong: number[] = [];
  for (let code = 0; code < 256; code += 1) if (linearToAlaw(ALAW_TO_LINEAR[code] as number) !== code) wrong.push(code);
  t.same(wrong, []);
});

void t.test('when linear samples are encoded, then the result decodes to the nearest step and is monotonic', async (t) => {
  let previous = -Infinity;
  for (let sample = -32768; sample <= 32767; sample += 7) {
    const decoded = ALAW_TO_LINEAR[linearToAlaw(sample)] as number;
    if (decoded < previous) t.fail(`not monotonic at ${sample}`);
    previous = decoded;
    const step = Math.abs(sample) < 256 ? 16 : 1024;
    if (Math.abs(decoded - sample) > step) t.fail(`sample ${sample} decoded to ${decoded}`);
  }
  t.pass('every 7th sample within one quantisation step, monotonic');
  t.equal(linearToAlaw(100000), 0xaa, 'clipped high');
  t.equal(linearToAlaw(-100000), 0x2a, 'clipped low');
});

void t.test('when buffers are converted, then PCM is little-endian 16-bit of the table values', async (t) => {
  const alaw = Buffer.from([0xd5, 0x55, 0xaa, 0x2a]);
  const pcm = alawToPcm16le(alaw);
  t.same([pcm.readInt16LE(0), pcm.readInt16LE(2), pcm.readInt16LE(4), pcm.readInt16LE(6)], [8, -8, 32256, -32256]);
  t.same(Array.from(alawToLinear(alaw)), [8, -8, 32256, -32256]);
  t.same(linearToAlawBuffer([8, -8, 32256, -32256]), alaw);
});

void t.test('when any bytes are decoded, aligned or not, odd length or even, then every sample is the table value', async (t) => {
  // Every ordered pair of A-law bytes: each byte at an even and at an odd position.
  const all = Buffer.alloc(65536 * 2);
  for (let pair = 0; pair < 65536; pair += 1) all.writeUInt16BE(pair, pair * 2);
  const expected = (bytes: Uint8Array): number[] => Array.from(bytes, (byte) => ALAW_TO_LINEAR[byte] as number);
  const decoded = (pcm: Buffer): number[] => Array.from({ length: pcm.length / 2 }, (_, i) => pcm.readInt16LE(i * 2));
  t.same(decoded(alawToPcm16le(all)), expected(all), 'all 65,536 pairs');
  const odd = all.subarray(1, 1 + 4001);
  t.same(decoded(alawToPcm16le(odd)), expected(odd), 'an odd length at an odd offset');
  const evenStartOddLength = all.subarray(2, 2 + 4001);
  t.same(decoded(alawToPcm16le(evenStartOddLength)), expected(evenStartOddLength), 'an odd length at an even offset');
  t.equal(alawToPcm16le(Buffer.alloc(0)).length, 0);
});
