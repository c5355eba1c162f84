// Shared fixtures of the recording tests: temp data dirs, keys, deterministic audio.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { createKeyHierarchy, type KeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import { ALAW_SILENCE } from '../../../src/recording/alaw.js';
import { SAMPLES_PER_TICK } from '../../../src/recording/recording-format.js';
import { RecordingStore } from '../../../src/recording/recording-store.js';
import type { RecordingMeta, RecordingWriter } from '../../../src/recording/recording-writer.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function tempDir(t: Teardown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-rec-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface StoreFixture {
  dataDir: string;
  keys: KeyHierarchy;
  clock: ManualClock;
  store: RecordingStore;
}

export async function storeFixture(t: Teardown, keys: KeyHierarchy = createKeyHierarchy(randomBytes(32))): Promise<StoreFixture> {
  const dataDir = await tempDir(t);
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  const store = await RecordingStore.open({ dataDir, keys, clock, logger: silentLogger });
  return { dataDir, keys, clock, store };
}

/** Deterministic PRNG (mulberry32) so a failing case can be reproduced. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function frame(random: () => number): Buffer {
  const bytes = Buffer.alloc(SAMPLES_PER_TICK);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

export function meta(overrides: Partial<RecordingMeta> = {}): RecordingMeta {
  return {
    recordingId: randomUUID(),
    callId: 'call-0001',
    channel: 3,
    startTick: 1000,
    startedAtMs: Date.UTC(2026, 10, 28, 9, 0, 0),
    ...overrides,
  };
}

/**
 * Writes `ticks` consecutive frames from `meta.startTick` and returns the A-law the recording
 * must contain.
 */
export function writeTicks(writer: RecordingWriter, ticks: number, random: () => number, firstTick = writer.meta.startTick): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < ticks; i += 1) {
    const audio = frame(random);
    writer.writeTick(firstTick + i, audio);
    parts.push(audio);
  }
  return Buffer.concat(parts);
}

export function silence(ticks: number): Buffer {
  return Buffer.alloc(ticks * SAMPLES_PER_TICK, ALAW_SILENCE);
}

/** Writes and seals a recording of `ticks` ticks; returns its id and expected A-law. */
export async function sealedRecording(
  fixture: StoreFixture,
  ticks: number,
  seed: number,
  overrides: Partial<RecordingMeta> = {},
): Promise<{ id: string; audio: Buffer }> {
  const m = meta(overrides);
  const writer = await fixture.store.create(m);
  const audio = writeTicks(writer, ticks, prng(seed));
  await writer.close('completed');
  return { id: m.recordingId, audio };
}
