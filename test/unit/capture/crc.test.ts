import t from 'tap';
import { crc16CcittFalse, crc32 } from '../../../src/capture/crc.js';

const CHECK_INPUT = Buffer.from('123456789', 'ascii');

void t.test('when CRC-16/CCITT-FALSE is computed over "123456789", then it is the check value 0x29B1', async (t) => {
  t.equal(crc16CcittFalse(CHECK_INPUT), 0x29b1);
});

void t.test('when CRC-16 is computed over a range, then only that range counts', async (t) => {
  const padded = Buffer.concat([Buffer.from([0xff, 0x00]), CHECK_INPUT, Buffer.from([0x42])]);
  t.equal(crc16CcittFalse(padded, 2, 11), 0x29b1);
  t.equal(crc16CcittFalse(Buffer.alloc(0)), 0xffff, 'the empty input gives the initial value');
});

void t.test('when CRC-32 is computed over "123456789", then it is the check value 0xCBF43926', async (t) => {
  t.equal(crc32(CHECK_INPUT), 0xcbf43926);
  t.equal(crc32(Buffer.alloc(0)), 0);
});

void t.test('when one bit of the input flips, then both CRCs change', async (t) => {
  const flipped = Buffer.from(CHECK_INPUT);
  flipped[4] = (flipped[4] as number) ^ 0x08;
  t.not(crc16CcittFalse(flipped), 0x29b1);
  t.not(crc32(flipped), 0xcbf43926);
});
