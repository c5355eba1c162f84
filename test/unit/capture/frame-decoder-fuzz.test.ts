/**
 * Fuzz of the streaming decoder: 100,000 seeded inputs, half random bytes, half valid frame
 * streams mutated by bit flips, inserted and deleted bytes and truncation. A failure prints the
 * seed and the input number, so it replays exactly.
 */
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DecodedFrame, encodeFrame, FrameType, MAX_FRAME, MAX_PAYLOAD } from '../../../src/capture/frame-codec.js';
import { FrameDecoder } from '../../../src/capture/frame-decoder.js';
import { prng, randomBytes, randomInt, sampleFrames } from './helpers.js';

const SEED = 0x7a11e221;
const INPUTS = 100_000;
const FILLER = Buffer.alloc(MAX_FRAME);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

function framePool(rand: () => number): Buffer[] {
  const pool = [...sampleFrames(0), ...sampleFrames(65533)];
  for (const size of [0, 1, 13, 160, 161, 1000, 7733, MAX_PAYLOAD]) {
    pool.push(encodeFrame(FrameType.Audio, randomInt(rand, 65536), randomBytes(rand, size)));
  }
  // Payloads full of sync bytes: false candidates inside good frames.
  pool.push(encodeFrame(FrameType.Heartbeat, 7, Buffer.from('a55a01a55aa5a5a5005a5aa5', 'hex')));
  return pool;
}

type Mutation = 'flip' | 'insert' | 'delete' | 'truncate';
const MUTATIONS: Mutation[] = ['flip', 'insert', 'delete', 'truncate'];

function mutate(rand: () => number, frame: Buffer): Buffer {
  const kind = MUTATIONS[randomInt(rand, MUTATIONS.length)] as Mutation;
  const at = kind === 'insert' ? 1 + randomInt(rand, frame.length - 1) : randomInt(rand, frame.length);
  switch (kind) {
    case 'flip': {
      const out = Buffer.from(frame);
      out[at] = (out[at] as number) ^ (1 << randomInt(rand, 8));
      return out;
    }
    case 'insert':
      // Strictly inside the frame: bytes before its 0xA5 would leave it intact.
      return Buffer.concat([frame.subarray(0, at), randomBytes(rand, 1 + randomInt(rand, 4)), frame.subarray(at)]);
    case 'delete':
      return Buffer.concat([frame.subarray(0, at), frame.subarray(at + 1 + randomInt(rand, 3))]);
    case 'truncate':
      return frame.subarray(0, at);
  }
}

function sameFrame(decoded: DecodedFrame, frame: Buffer): boolean {
  return decoded.type === frame[3] && decoded.seq === frame.readUInt16LE(4) && decoded.payload.equals(frame.subarray(10, frame.length - 4));
}

void t.test('when 100,000 random and mutated inputs are decoded, then nothing crashes, every untouched frame arrives and the buffer stays within MAX_FRAME', async (t) => {
  const rand = prng(SEED);
  const pool = framePool(rand);
  // One decoder sees every byte of the run: its buffer and the heap must stay bounded.
  const longLived = new FrameDecoder();
  let maxBuffered = 0;
  let pushed = 0;
  let heapStart = 0;
  let failures = 0;

  for (let input = 0; input < INPUTS; input++) {
    if (input === INPUTS / 10) heapStart = heapAfterGc();
    const pieces: Buffer[] = [];
    const expected: Buffer[] = [];
    if (input % 2 === 0) {
      const garbage = randomBytes(rand, randomInt(rand, 300));
      // Sprinkle sync pairs so that candidates, not just hunting, are exercised.
      for (let i = 0; i + 1 < garbage.length; i += 1 + randomInt(rand, 40)) {
        garbage[i] = 0xa5;
        garbage[i + 1] = 0x5a;
      }
      pieces.push(garbage);
    } else {
      const count = 1 + randomInt(rand, 5);
      for (let i = 0; i < count; i++) {
        // Mostly small frames keep the run fast; the large ones come now and then.
        let frame = pool[randomInt(rand, pool.length)] as Buffer;
        if (frame.length > 2000 && rand() < 0.9) frame = pool[randomInt(rand, 12)] as Buffer;
        if (rand() < 0.3) {
          const mutated = mutate(rand, frame);
          pieces.push(mutated);
          // Now and then an insertion recreates the frame (a random byte equal to its neighbour):
          // the frame is then intact and must be delivered like any other.
          if (mutated.includes(frame)) expected.push(frame);
        } else {
          pieces.push(frame);
          expected.push(frame);
        }
        if (rand() < 0.1) pieces.push(randomBytes(rand, 1 + randomInt(rand, 20)));
      }
    }
    const stream = Buffer.concat(pieces);
    pushed += stream.length;

    const decoder = new FrameDecoder();
    const decoded: DecodedFrame[] = [];
    try {
      for (let at = 0; at < stream.length; ) {
        const size = 1 + randomInt(rand, rand() < 0.5 ? 16 : 2000);
        const chunk = stream.subarray(at, at + size);
        at += size;
        decoded.push(...decoder.push(chunk));
        longLived.push(chunk);
        if (decoder.bufferedBytes > MAX_FRAME || longLived.bufferedBytes > MAX_FRAME) {
          t.fail(`seed ${SEED} input ${input}: buffered ${Math.max(decoder.bufferedBytes, longLived.bufferedBytes)} bytes`);
          return;
        }
        maxBuffered = Math.max(maxBuffered, longLived.bufferedBytes);
      }
      // Traffic goes on after the input: a truncated candidate that claims bytes beyond the end
      // completes, fails its CRC and releases the frames it was holding. Zeros hold no sync byte.
      decoded.push(...decoder.push(FILLER));
    } catch (err) {
      t.fail(`seed ${SEED} input ${input}: decoder threw ${String(err)}`);
      return;
    }
    // Every untouched frame, in order, and nothing else (a mutated frame never passes CRC-32 here).
    const ok = decoded.length === expected.length && decoded.every((d, i) => sameFrame(d, expected[i] as Buffer));
    if (!ok && ++failures <= 3) {
      t.fail(`seed ${SEED} input ${input}: decoded ${decoded.length} frames, expected ${expected.length}`);
    }
    for (const d of decoded) {
      if (d.payload.length > MAX_PAYLOAD) t.fail(`seed ${SEED} input ${input}: payload over MAX_PAYLOAD`);
    }
    // Every byte is accounted for: in a delivered frame, skipped, or still buffered.
    const s = decoder.stats();
    const inFrames = decoded.reduce((sum, d) => sum + d.payload.length + 14, 0);
    if (s.unsupportedVersion === 0 && inFrames + s.bytesSkipped + decoder.bufferedBytes !== stream.length + FILLER.length) {
      t.fail(`seed ${SEED} input ${input}: ${stream.length + FILLER.length} bytes in, ${inFrames} in frames, ${s.bytesSkipped} skipped, ${decoder.bufferedBytes} buffered`);
      return;
    }
  }
  const heapGrowth = heapAfterGc() - heapStart;
  const totals = longLived.stats();
  t.equal(failures, 0, 'no input lost an untouched frame');
  t.ok(maxBuffered <= MAX_FRAME, `the long-lived decoder buffered at most ${maxBuffered} bytes`);
  t.ok(heapGrowth < 8 * 1024 * 1024, `heap grew ${Math.round(heapGrowth / 1024)} KiB over ${Math.round(pushed / 1024 / 1024)} MiB of input`);
  t.ok(totals.headerCrcErrors > 0 && totals.frameCrcErrors > 0 && totals.framesDecoded > 0 && totals.tooLong > 0, 'the run exercised every error path');
});
