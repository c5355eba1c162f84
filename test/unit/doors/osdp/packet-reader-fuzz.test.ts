import t from 'tap';
import { encodePacket, MAX_PACKET_LENGTH } from '../../../../src/doors/osdp/packet-codec.js';
import { PacketReader } from '../../../../src/doors/osdp/packet-reader.js';

/** A seeded generator (mulberry32), so a failure can be run again as it was. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

void t.test('when noise of every kind comes between good packets, then the reader never throws, stays bounded, and finds every good packet', async (t) => {
  const next = random(13);
  const reader = new PacketReader();
  let sent = 0;
  let found = 0;
  for (let round = 0; round < 300; round++) {
    // Noise rich in start-of-message bytes, so false packet heads are common.
    const noise = Buffer.from(Array.from({ length: Math.floor(next() * 40) }, () => (next() < 0.2 ? 0x53 : Math.floor(next() * 256))));
    const payload = Buffer.from(Array.from({ length: Math.floor(next() * 30) }, () => Math.floor(next() * 256)));
    const packet = encodePacket({ address: 5, isReply: true, sequence: 1 + (round % 3), useCrc: next() < 0.8, code: 0x50, payload });
    // Enough mark bytes after it that any false head before it runs out of claimed length.
    const flush = Buffer.alloc(MAX_PACKET_LENGTH, 0xff);
    sent++;
    const stream = Buffer.concat([noise, packet, flush]);
    for (let at = 0; at < stream.length; ) {
      const size = 1 + Math.floor(next() * 64);
      found += reader.push(stream.subarray(at, at + size)).filter((p) => p.address === 5 && p.code === 0x50 && p.payload.equals(payload)).length;
      at += size;
    }
  }
  t.equal(found, sent, 'every good packet found once');
  t.ok(reader.faults.garbageBytes > 0);
  t.equal(reader.clear() <= MAX_PACKET_LENGTH, true, 'never more than one packet buffered');
});
