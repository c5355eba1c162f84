import t from 'tap';
import { crc16CcittFalse, crc32 } from '../../../src/capture/crc.js';
import { type DecodedFrame, encodeFrame, FrameType, MAX_FRAME, MAX_PAYLOAD } from '../../../src/capture/frame-codec.js';
import { FrameDecoder } from '../../../src/capture/frame-decoder.js';
import { sampleFrames } from './helpers.js';

/** What the frames carry, detached from the buffers they view. */
function summary(frames: DecodedFrame[]): Array<{ type: number; seq: number; payload: string }> {
  return frames.map((f) => ({ type: f.type, seq: f.seq, payload: f.payload.toString('hex') }));
}

function expected(frames: Buffer[]): Array<{ type: number; seq: number; payload: string }> {
  return frames.map((f) => ({ type: f[3] as number, seq: f.readUInt16LE(4), payload: f.subarray(10, f.length - 4).toString('hex') }));
}

/** Rewrites a frame's header CRC after a header field was changed on purpose. */
function fixHeaderCrc(frame: Buffer): Buffer {
  frame.writeUInt16LE(crc16CcittFalse(frame, 0, 8), 8);
  return frame;
}

const good = sampleFrames(100);

void t.test('when whole frames arrive in one chunk, then all are decoded and no byte is skipped', async (t) => {
  const d = new FrameDecoder();
  const frames = d.push(Buffer.concat(good));
  t.same(summary(frames), expected(good));
  t.same(d.stats(), { bytesSkipped: 0, headerCrcErrors: 0, tooLong: 0, frameCrcErrors: 0, unsupportedVersion: 0, framesDecoded: good.length, resyncs: 0 });
  t.equal(d.bufferedBytes, 0);
});

void t.test('when frames are split across two chunks at every byte position, then every frame is decoded once', async (t) => {
  const stream = Buffer.concat(good);
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    if (JSON.stringify(summary(frames)) !== JSON.stringify(expected(good))) {
      t.fail(`split at ${cut} lost or changed frames`);
      return;
    }
    t.equal(d.stats().bytesSkipped, 0, `split at ${cut} skips nothing`);
  }
});

void t.test('when bytes arrive one at a time, then every frame is decoded and at most one frame is buffered', async (t) => {
  const stream = Buffer.concat(good);
  const d = new FrameDecoder();
  const frames: DecodedFrame[] = [];
  let maxBuffered = 0;
  for (let i = 0; i < stream.length; i++) {
    for (const f of d.push(stream.subarray(i, i + 1))) frames.push({ ...f, payload: Buffer.from(f.payload) });
    maxBuffered = Math.max(maxBuffered, d.bufferedBytes);
  }
  t.same(summary(frames), expected(good));
  t.ok(maxBuffered < Math.max(...good.map((f) => f.length)), 'only the unfinished frame is carried');
});

void t.test('when garbage surrounds frames, then it is counted in bytesSkipped and the frames survive', async (t) => {
  const d = new FrameDecoder();
  const garbage = Buffer.from([0x00, 0xa5, 0x00, 0x5a, 0xff, 0xa5]);
  const frames = d.push(Buffer.concat([garbage, good[0]!, garbage, good[1]!]));
  t.same(summary(frames), expected([good[0]!, good[1]!]));
  t.equal(d.stats().bytesSkipped, 12);
});

void t.test('when a header CRC is wrong, then headerCrcErrors counts it and the frames before and after arrive', async (t) => {
  const broken = Buffer.from(good[2]!);
  broken[4] = (broken[4] as number) ^ 0x01; // SEQ changes, header CRC no longer matches
  const d = new FrameDecoder();
  const frames = d.push(Buffer.concat([good[0]!, good[1]!, broken, good[3]!, good[4]!]));
  t.same(summary(frames), expected([good[0]!, good[1]!, good[3]!, good[4]!]));
  t.equal(d.stats().headerCrcErrors, 1);
  t.equal(d.stats().bytesSkipped, broken.length);
});

void t.test('when a header claims more than MAX_PAYLOAD with a good header CRC, then tooLong counts it and nothing waits for the length', async (t) => {
  const long = Buffer.from(good[2]!);
  long.writeUInt16LE(MAX_PAYLOAD + 1, 6);
  fixHeaderCrc(long);
  const d = new FrameDecoder();
  const frames = d.push(Buffer.concat([good[0]!, long, good[3]!]));
  t.same(summary(frames), expected([good[0]!, good[3]!]));
  t.equal(d.stats().tooLong, 1);
  t.equal(d.bufferedBytes, 0);
});

void t.test('when a frame CRC is wrong, then frameCrcErrors counts it and only that frame is lost', async (t) => {
  const broken = Buffer.from(good[3]!);
  broken[50] = (broken[50] as number) ^ 0x10;
  const d = new FrameDecoder();
  const frames = d.push(Buffer.concat([good[0]!, good[1]!, good[2]!, broken, good[4]!, good[5]!]));
  t.same(summary(frames), expected([good[0]!, good[1]!, good[2]!, good[4]!, good[5]!]));
  t.equal(d.stats().frameCrcErrors, 1);
  t.equal(d.stats().framesDecoded, 5);
});

void t.test('when a corrupt length byte still passes the header CRC, then the frames inside the claimed length are not swallowed', async (t) => {
  // A short frame whose LENGTH was changed to cover the next frames (with a matching header CRC,
  // the worst case): the claimed bytes end in the middle of later frames.
  const liar = Buffer.from(good[4]!);
  const following = Buffer.concat([good[0]!, good[1]!, good[2]!]);
  liar.writeUInt16LE(liar.length - 14 + following.length - 7, 6);
  fixHeaderCrc(liar);
  const d = new FrameDecoder();
  const frames = [...d.push(liar), ...d.push(following), ...d.push(good[5]!)];
  t.same(summary(frames), expected([good[0]!, good[1]!, good[2]!, good[5]!]));
  t.equal(d.stats().frameCrcErrors, 1);
});

void t.test('when a corrupt length byte fails the header CRC, then the following good frames are decoded', async (t) => {
  const liar = Buffer.from(good[4]!);
  liar[6] = 0xff;
  const d = new FrameDecoder();
  const frames = d.push(Buffer.concat([liar, good[0]!, good[1]!]));
  t.same(summary(frames), expected([good[0]!, good[1]!]));
  t.equal(d.stats().headerCrcErrors, 1);
});

void t.test('when a frame has a good CRC but another VERSION, then unsupportedVersion counts it and it is skipped whole', async (t) => {
  const v2 = Buffer.from(encodeFrame(FrameType.Heartbeat, 1, Buffer.concat(good).subarray(0, 300)));
  v2[2] = 2;
  fixHeaderCrc(v2);
  v2.writeUInt32LE(crc32(v2.subarray(0, v2.length - 4)), v2.length - 4);
  const d = new FrameDecoder();
  const frames = d.push(Buffer.concat([good[0]!, v2, good[1]!]));
  t.same(summary(frames), expected([good[0]!, good[1]!]), 'a good frame inside the payload of the skipped one is not decoded');
  t.equal(d.stats().unsupportedVersion, 1);
  t.equal(d.stats().framesDecoded, 2);
  t.equal(d.stats().bytesSkipped, 0);
});

void t.test('when corruption hits a frame carried across chunks, then resync uses the carried bytes and the next chunk', async (t) => {
  for (const kind of ['header', 'frame'] as const) {
    const broken = Buffer.from(good[3]!);
    if (kind === 'header') broken[5] = (broken[5] as number) ^ 0x80;
    else broken[broken.length - 1] = (broken[broken.length - 1] as number) ^ 0x01;
    // Good frames directly behind the broken one, and the split inside each region.
    const stream = Buffer.concat([good[0]!, broken, good[1]!, good[2]!]);
    const start = good[0]!.length;
    for (const cut of [start + 1, start + 5, start + 10, start + 11, start + 200, start + broken.length - 1, start + broken.length + 3]) {
      const d = new FrameDecoder();
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      t.same(summary(frames), expected([good[0]!, good[1]!, good[2]!]), `${kind} corruption, split at ${cut}`);
    }
  }
});

void t.test('when a corrupt candidate hides the start of a good frame, then the good frame is found in the carried bytes', async (t) => {
  // A false sync 0xA5 0x5A directly followed by a real frame, delivered in pieces.
  const stream = Buffer.concat([Buffer.from([0xa5, 0x5a, 0x01]), good[1]!, good[2]!]);
  for (let cut = 1; cut < 30; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    t.same(summary(frames), expected([good[1]!, good[2]!]), `split at ${cut}`);
    t.equal(d.stats().headerCrcErrors, 1);
  }
});

void t.test('when a lone 0xA5 ends a chunk and the next chunk does not continue the sync, then the byte is skipped', async (t) => {
  const d = new FrameDecoder();
  t.same(d.push(Buffer.from([0x01, 0xa5])), []);
  t.equal(d.bufferedBytes, 1);
  const frames = d.push(Buffer.concat([Buffer.from([0x02]), good[0]!]));
  t.same(summary(frames), expected([good[0]!]));
  t.equal(d.stats().bytesSkipped, 3);
});

void t.test('when the decoder is reset with a partial frame carried, then the partial bytes are dropped and counted', async (t) => {
  const d = new FrameDecoder();
  d.push(good[3]!.subarray(0, 40));
  t.equal(d.bufferedBytes, 40);
  d.reset();
  t.equal(d.bufferedBytes, 0);
  t.equal(d.stats().bytesSkipped, 40);
  t.same(summary(d.push(good[3]!.subarray(40))), [], 'the rest alone is no frame');
  t.same(summary(d.push(good[4]!)), expected([good[4]!]));
});

void t.test('when the largest frame arrives in small chunks, then the carried bytes never exceed MAX_FRAME', async (t) => {
  const big = encodeFrame(FrameType.Audio, 9, Buffer.alloc(MAX_PAYLOAD, 0xa5));
  t.equal(big.length, MAX_FRAME);
  const d = new FrameDecoder();
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < big.length; i += 97) {
    frames.push(...d.push(big.subarray(i, i + 97)));
    t.ok(d.bufferedBytes <= MAX_FRAME);
  }
  t.equal(frames.length, 1);
  t.equal(frames[0]!.payload.length, MAX_PAYLOAD);
});

void t.test('when a frame lies wholly inside a chunk, then its payload is a view of the chunk (no copy)', async (t) => {
  const chunk = Buffer.concat(good);
  const frames = new FrameDecoder().push(chunk);
  t.equal(frames[3]!.payload.buffer, chunk.buffer);
});
