import t from 'tap';
import { osdpChecksum, osdpCrc16 } from '../../../../src/doors/osdp/osdp-check.js';

// SIA OSDP v2.2, Annex E: the CRC and checksum examples, byte for byte.
const CRC_EXAMPLE_1 = Buffer.from([0x53, 0x7f, 0x0d, 0x00, 0x04, 0x6e, 0x00, 0x80, 0x25, 0x00, 0x00]);
const CRC_EXAMPLE_2 = Buffer.from([0x53, 0x00, 0x09, 0x00, 0x04, 0x61, 0x00]);
const CHECKSUM_EXAMPLE_1 = Buffer.from([0x53, 0x7f, 0x0c, 0x00, 0x00, 0x6e, 0x00, 0x80, 0x25, 0x00, 0x00]);
const CHECKSUM_EXAMPLE_2 = Buffer.from([0x53, 0x00, 0x08, 0x00, 0x00, 0x61, 0x00]);

void t.test('when the CRC is computed over "123456789", then it is the CRC-16/AUG-CCITT check value 0xE5CC', async (t) => {
  t.equal(osdpCrc16(Buffer.from('123456789', 'ascii')), 0xe5cc);
  t.equal(osdpCrc16(Buffer.alloc(0)), 0x1d0f, 'the empty input gives the initial value');
});

void t.test('when the CRC is computed over the Annex E examples, then it is the published one (sent LSB first)', async (t) => {
  t.equal(osdpCrc16(CRC_EXAMPLE_1), 0x386e);
  t.equal(osdpCrc16(CRC_EXAMPLE_2), 0x66c0);
  const padded = Buffer.concat([Buffer.from([0xff]), CRC_EXAMPLE_2, Buffer.from([0x42])]);
  t.equal(osdpCrc16(padded, 1, 1 + CRC_EXAMPLE_2.length), 0x66c0, 'only the range counts');
});

void t.test('when the checksum is computed over the Annex E examples, then it is the published one', async (t) => {
  t.equal(osdpChecksum(CHECKSUM_EXAMPLE_1), 0x0f);
  t.equal(osdpChecksum(CHECKSUM_EXAMPLE_2), 0x44);
});
