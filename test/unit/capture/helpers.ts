/** Shared test helpers of the capture tests: a seeded PRNG and sample frames. */
import {
  encodeAudio,
  encodeBoot,
  encodeCallEnd,
  encodeCallStart,
  encodeFrame,
  encodeHeartbeat,
  FrameType,
} from '../../../src/capture/frame-codec.js';

/** mulberry32: small, fast and seeded, so a failing fuzz case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rand: () => number, maxExclusive: number): number {
  return Math.floor(rand() * maxExclusive);
}

export function randomBytes(rand: () => number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = randomInt(rand, 256);
  return out;
}

export function samples(fill: number): Buffer {
  return Buffer.alloc(160, fill);
}

/** One frame of each bridge -> host type, with sequence numbers from `firstSeq`. */
export function sampleFrames(firstSeq = 0): Buffer[] {
  let seq = firstSeq;
  const next = (): number => {
    const s = seq;
    seq = (seq + 1) & 0xffff;
    return s;
  };
  return [
    encodeFrame(FrameType.Boot, next(), encodeBoot({ bootId: 0xdeadbeef, protocolVersion: 1, channelCount: 120, firmwareVersion: '1.0.0-host' })),
    encodeFrame(FrameType.Heartbeat, next(), encodeHeartbeat({ uptimeMs: 5000, tick: 250, channelCount: 120, activeChannels: [0, 7, 119] })),
    encodeFrame(FrameType.CallStart, next(), encodeCallStart({ channel: 3, callRef: 42, tick: 100, resumed: false, caller: '+358401234567', called: '0201234567', agentExtension: '2101' })),
    encodeFrame(FrameType.Audio, next(), encodeAudio({ tick: 101, channels: [{ channel: 3, samples: samples(0x55) }, { channel: 4, samples: samples(0xd5) }] })),
    encodeFrame(FrameType.CallEnd, next(), encodeCallEnd({ channel: 3, callRef: 42, tick: 900, cause: 0 })),
    encodeFrame(FrameType.Heartbeat, next(), Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 1, 0])),
  ];
}
