import t from 'tap';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import wav from 'node-wav';
import { ALAW_TO_LINEAR } from '../../../src/recording/alaw.js';
import { exportWav, planWavByteRange, readWavRange, wavByteLength, wavHeader, WAV_HEADER_BYTES } from '../../../src/recording/wav-export.js';
import { prng, sealedRecording, storeFixture, tempDir } from './helpers.js';

void t.test('when a recording is exported, then the WAV is 8 kHz 16-bit mono with exactly the decoded samples', async (t) => {
  const fixture = await storeFixture(t);
  const { id, audio } = await sealedRecording(fixture, 700, 21); // 14 s: more than one export block
  const reader = await fixture.store.openReader(id);
  t.teardown(() => reader.close());
  const out = join(await tempDir(t), 'call.wav');
  const size = await exportWav(reader, out);
  const file = await readFile(out);
  t.equal(size, file.length);
  t.equal(file.length, WAV_HEADER_BYTES + audio.length * 2);
  t.equal((await stat(out)).mode & 0o777, 0o600);
  t.same(await readdir(join(out, '..')), ['call.wav'], 'no temp file left');
  let mismatch = -1;
  for (let i = 0; i < audio.length && mismatch < 0; i += 1) {
    if (file.readInt16LE(WAV_HEADER_BYTES + i * 2) !== ALAW_TO_LINEAR[audio[i] as number]) mismatch = i;
  }
  t.equal(mismatch, -1, 'every sample is the decoded A-law value');
  const decoded = wav.decode(file);
  t.equal(decoded.sampleRate, 8000);
  t.equal(decoded.channelData.length, 1);
  t.equal(decoded.channelData[0]?.length, audio.length);
});

void t.test('when the WAV header is built for any length, then it equals the one node-wav writes', async (t) => {
  for (const samples of [0, 1, 160, 8000, 12345]) {
    const reference = wav.encode([new Float32Array(samples)], { sampleRate: 8000, bitDepth: 16 });
    t.ok(wavHeader(samples).equals(reference.subarray(0, WAV_HEADER_BYTES)), `${samples} samples`);
    t.equal(wavByteLength(samples), reference.length);
  }
});

void t.test('when any byte range of the WAV is read, then it equals the same range of the full export', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 333, 22);
  const reader = await fixture.store.openReader(id);
  t.teardown(() => reader.close());
  const out = join(await tempDir(t), 'full.wav');
  await exportWav(reader, out);
  const full = await readFile(out);
  const last = full.length - 1;
  const ranges: [number, number][] = [
    [0, 0],
    [0, 43],
    [0, 44],
    [43, 44],
    [44, 44],
    [45, 45],
    [45, 46],
    [44, 16043],
    [16043, 16046],
    [last, last],
    [last - 1, last],
    [0, last],
  ];
  const random = prng(23);
  for (let i = 0; i < 300; i += 1) {
    const a = Math.floor(random() * full.length);
    const b = Math.floor(random() * full.length);
    ranges.push([Math.min(a, b), Math.max(a, b)]);
  }
  const wrong: string[] = [];
  for (const [start, end] of ranges) {
    const bytes = await readWavRange(reader, start, end);
    if (!bytes.equals(full.subarray(start, end + 1))) wrong.push(`${start}-${end}`);
  }
  t.same(wrong, [], `${ranges.length} ranges`);
});

void t.test('when a byte range is planned, then only the samples under it are decoded', async (t) => {
  t.same(planWavByteRange(0, 43, 100), { headerFrom: 0, headerTo: 44, sampleStart: 0, sampleEnd: 0, pcmSkip: 0, pcmBytes: 0 });
  t.same(planWavByteRange(45, 48, 100), { headerFrom: 44, headerTo: 44, sampleStart: 0, sampleEnd: 3, pcmSkip: 1, pcmBytes: 4 });
  t.same(planWavByteRange(40, 47, 100), { headerFrom: 40, headerTo: 44, sampleStart: 0, sampleEnd: 2, pcmSkip: 0, pcmBytes: 4 });
  const oneSecondIn = planWavByteRange(44 + 16000, 44 + 31999, 80000);
  t.same([oneSecondIn.sampleStart, oneSecondIn.sampleEnd], [8000, 16000]);
});

void t.test('when a byte range is outside the WAV or reversed, then RANGE_INVALID', async (t) => {
  for (const [start, end] of [
    [-1, 5],
    [10, 9],
    [0, 244],
    [244, 244],
    [0.5, 3],
  ] as [number, number][]) {
    t.throws(() => planWavByteRange(start, end, 100), { code: 'RANGE_INVALID' }, `${start}-${end}`);
  }
  t.doesNotThrow(() => planWavByteRange(0, 243, 100));
});

void t.test('when the export target cannot be written, then the error surfaces and nothing is left', async (t) => {
  const fixture = await storeFixture(t);
  const { id } = await sealedRecording(fixture, 50, 24);
  const reader = await fixture.store.openReader(id);
  t.teardown(() => reader.close());
  const dir = await tempDir(t);
  await t.rejects(exportWav(reader, join(dir, 'missing', 'x.wav')), { code: 'STORAGE_IO_ERROR' });
  const failing = { ...reader, sampleCount: reader.sampleCount, recordingId: id, alawParts: reader.alawParts.bind(reader), readAlaw: async () => Promise.reject(new Error('read failed')) };
  await t.rejects(exportWav(failing, join(dir, 'y.wav')), /read failed/);
  t.same(await readdir(dir), []);
});
