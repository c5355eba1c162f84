import t from 'tap';
import { OSDP_MARK, SCS, encodePacket, parsePacket } from '../../../../src/doors/osdp/packet-codec.js';
import { PacketReader } from '../../../../src/doors/osdp/packet-reader.js';
import { COMMAND, REPLY, cardNumberOf, decodeReply, encodeReplyData } from '../../../../src/doors/osdp/messages.js';

// SIA OSDP v2.2 Annex E, CRC example 2: osdp_ID (0x61, data 0x00) to address 0, sequence 0.
const ANNEX_E_ID = Buffer.from([0x53, 0x00, 0x09, 0x00, 0x04, 0x61, 0x00, 0xc0, 0x66]);

void t.test('when osdp_ID is encoded to address 0 with sequence 0, then it is the Annex E packet after the mark byte', async (t) => {
  const wire = encodePacket({ address: 0, isReply: false, sequence: 0, useCrc: true, code: COMMAND.ID, payload: Buffer.from([0]) });
  t.equal(wire[0], OSDP_MARK);
  t.same(wire.subarray(1), ANNEX_E_ID);
  const parsed = parsePacket(ANNEX_E_ID);
  t.ok(parsed.ok);
  if (parsed.ok) t.match(parsed.packet, { address: 0, isReply: false, sequence: 0, useCrc: true, code: COMMAND.ID });
});

void t.test('when a secure reply is encoded and parsed, then its block, payload and MAC come back', async (t) => {
  let covered = Buffer.alloc(0);
  const wire = encodePacket(
    { address: 5, isReply: true, sequence: 3, useCrc: true, securityBlock: { type: SCS.REPLY_MAC_ENC, data: Buffer.alloc(0) }, code: REPLY.RAW, payload: Buffer.alloc(16, 9) },
    (bytes) => {
      covered = Buffer.from(bytes);
      return Buffer.from('0102030405060708', 'hex');
    },
  );
  const parsed = parsePacket(wire.subarray(1));
  t.ok(parsed.ok);
  if (!parsed.ok) return;
  t.match(parsed.packet, { address: 5, isReply: true, sequence: 3, code: REPLY.RAW });
  t.same(parsed.packet.mac, Buffer.from('01020304', 'hex'), 'the first 4 bytes of the MAC');
  t.same(parsed.packet.macInput, covered, 'the MAC covers SOM..DATA');
  t.same(parsed.packet.payload, Buffer.alloc(16, 9));
  t.throws(() => encodePacket({ address: 5, isReply: true, sequence: 0, useCrc: true, securityBlock: { type: SCS.REPLY_MAC, data: Buffer.alloc(0) }, code: REPLY.ACK, payload: Buffer.alloc(0) }), { code: 'OSDP_BAD_PACKET' });
  t.throws(() => encodePacket({ address: 200, isReply: false, sequence: 0, useCrc: true, code: 0x60, payload: Buffer.alloc(0) }), { code: 'OSDP_BAD_PACKET' });
  t.throws(() => encodePacket({ address: 1, isReply: false, sequence: 4, useCrc: true, code: 0x60, payload: Buffer.alloc(0) }), { code: 'OSDP_BAD_PACKET' });
  t.throws(() => encodePacket({ address: 1, isReply: false, sequence: 1, useCrc: true, code: 0x60, payload: Buffer.alloc(600) }), { code: 'OSDP_BAD_PACKET' });
});

void t.test('when a checksum packet is parsed, then the checksum is checked', async (t) => {
  const wire = encodePacket({ address: 1, isReply: true, sequence: 1, useCrc: false, code: REPLY.ACK, payload: Buffer.alloc(0) }).subarray(1);
  t.ok(parsePacket(wire).ok);
  const bad = Buffer.from(wire);
  bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
  t.same(parsePacket(bad), { ok: false, fault: 'check' });
  t.same(parsePacket(Buffer.from([0x53, 0, 7, 0, 4, 0, 0])), { ok: false, fault: 'format' }, 'too short for a code');
});

void t.test('when packets arrive split, glued, behind noise, with a bad CRC or a corrupt length, then the reader keeps every good one and counts the rest', async (t) => {
  const ack = (sequence: number): Buffer => encodePacket({ address: 1, isReply: true, sequence, useCrc: true, code: REPLY.ACK, payload: Buffer.alloc(0) });
  const reader = new PacketReader();
  const first = ack(1);
  t.same(reader.push(first.subarray(0, 4)), [], 'half a packet waits');
  t.equal(reader.push(first.subarray(4)).length, 1);
  const badCrc = Buffer.from(ack(2));
  badCrc[badCrc.length - 1] = (badCrc[badCrc.length - 1] as number) ^ 0xff;
  // A SOM followed by a length of 0xFFFF: refused at once, not waited for.
  const corruptLength = Buffer.from([0x53, 0x81, 0xff, 0xff, 0x05]);
  const stream = Buffer.concat([Buffer.from([0x00, 0x13, 0x42]), badCrc, corruptLength, ack(3), ack(1)]);
  const got = [...stream].flatMap((byte) => reader.push(Buffer.from([byte])));
  t.same(got.map((p) => p.sequence), [3, 1], 'the good packets behind the bad ones');
  t.equal(reader.faults.checkErrors, 1);
  t.ok(reader.faults.formatErrors >= 1);
  t.ok(reader.faults.garbageBytes >= 3);
  reader.push(Buffer.from([0x01, 0x53, 0x81]));
  t.equal(reader.clear(), 2, 'a stale partial packet is dropped before the next command');
});

void t.test('when replies are decoded, then wrong lengths are malformed, never thrown', async (t) => {
  const cases = [
    { kind: 'ack' },
    { kind: 'busy' },
    { kind: 'nak', reason: 4 },
    { kind: 'identity', identity: { vendorCode: 0x0a0b0c, model: 2, version: 3, serialNumber: 0x01020304, firmware: '1.2.3' } },
    { kind: 'capabilities', capabilities: [{ functionCode: 9, compliance: 1, items: 1 }] },
    { kind: 'local-status', tamper: true, powerFailure: false },
    { kind: 'card-read', readerNumber: 0, format: 0, bits: 26, data: Buffer.from([0x12, 0x34, 0x56, 0x40]) },
    { kind: 'keypad', readerNumber: 0, keys: Buffer.from('12#') },
    { kind: 'ccrypt', clientUid: Buffer.alloc(8, 1), readerRandom: Buffer.alloc(8, 2), readerCryptogram: Buffer.alloc(16, 3) },
    { kind: 'rmac-i', initialRmac: Buffer.alloc(16, 4) },
  ] as const;
  for (const reply of cases) {
    const { code, data } = encodeReplyData(reply);
    t.same(decodeReply(code, data), reply, reply.kind);
    if (data.length > 0) t.equal(decodeReply(code, data.subarray(0, data.length - 1)).kind, 'malformed', `${reply.kind} cut short`);
  }
  t.equal(decodeReply(REPLY.ACK, Buffer.from([1])).kind, 'malformed');
  t.equal(decodeReply(REPLY.BUSY, Buffer.from([1])).kind, 'malformed');
  t.equal(decodeReply(REPLY.RAW, Buffer.from([0, 0, 0, 0])).kind, 'malformed', 'a card read of 0 bits');
  t.equal(decodeReply(0x99, Buffer.alloc(0)).kind, 'malformed', 'an unknown reply');
});

void t.test('when a card number is named, then the bit count leads and the bits are right-aligned in hex', async (t) => {
  t.equal(cardNumberOf(26, Buffer.from([0x12, 0x34, 0x56, 0x40])), '26:48d159');
  t.equal(cardNumberOf(32, Buffer.from([0xde, 0xad, 0xbe, 0xef])), '32:deadbeef');
});
