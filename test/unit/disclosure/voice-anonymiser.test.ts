/**
 * The McAdams voice anonymiser, measured on real speech: espeak-ng speaks Finnish, sox makes it
 * 8 kHz mono 16-bit, the audio is recorded into a sealed recording as the capture path would,
 * and the anonymised WAV written from that recording is analysed again with LPC. The strongest
 * formant poles of the original must reappear at angle phi^alpha, not at phi.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import wav from 'node-wav';
import { ALAW_TO_LINEAR, linearToAlaw } from '../../../src/recording/alaw.js';
import { SAMPLES_PER_TICK } from '../../../src/recording/recording-format.js';
import { WAV_HEADER_BYTES } from '../../../src/recording/wav-export.js';
import { hannWindow, lpcOfFrame } from '../../../src/disclosure/linear-prediction.js';
import { polynomialRoots } from '../../../src/disclosure/polynomial-roots.js';
import { anonymiseSamples, drawMcAdamsAlpha, MCADAMS_ALPHA_MAX, MCADAMS_ALPHA_MIN } from '../../../src/disclosure/mcadams-method.js';
import { writeAnonymisedWav } from '../../../src/disclosure/voice-anonymiser.js';
import { AnonymiserThread } from '../../../src/disclosure/voice-anonymiser-thread.js';
import { meta, storeFixture, tempDir } from '../recording/helpers.js';


const SENTENCE = 'Hyvää päivää, soitan vakuutusasiassa. Olisin halunnut kysyä korvauksesta ja laskusta.';

/** Finnish test speech as 8 kHz linear samples, already through A-law (what a recording holds). */
async function speech(dir: string): Promise<Int16Array> {
  const raw = join(dir, 'speech.wav');
  const narrow = join(dir, 'speech-8k.wav');
  execFileSync('espeak-ng', ['-v', 'fi', '-w', raw, SENTENCE]);
  execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', narrow]);
  const file = await readFile(narrow);
  const samples = wav.decode(file).channelData[0] as Float32Array;
  return Int16Array.from(samples, (value) => ALAW_TO_LINEAR[linearToAlaw(Math.round(value * 32767))] as number);
}

/** Angles (0..pi) of the upper-half-plane LPC poles of each 20 ms frame, strongest first. */
function framePoles(samples: ArrayLike<number>, start: number): { angle: number; radius: number }[] {
  const window = hannWindow(160);
  const frame = new Float64Array(160);
  for (let n = 0; n < 160; n += 1) frame[n] = (samples[start + n] as number) * (window[n] as number);
  return polynomialRoots(lpcOfFrame(frame, 20))
    .filter((pole) => pole.im > 0)
    .map((pole) => ({ angle: Math.atan2(pole.im, pole.re), radius: Math.hypot(pole.re, pole.im) }))
    .sort((a, b) => b.radius - a.radius);
}

/** Strong formant poles of the original and sharp poles of the anonymised audio, per loud frame. */
interface FramePoles {
  original: number[];
  anonymised: number[];
}

function polesOfLoudFrames(original: Int16Array, anonymised: ArrayLike<number>): FramePoles[] {
  const energies: number[] = [];
  for (let start = 0; start + 160 <= original.length; start += 80) {
    let sum = 0;
    for (let n = 0; n < 160; n += 1) sum += (original[start + n] as number) ** 2;
    energies.push(sum);
  }
  const loud = Math.max(...energies) * 0.05;
  const frames: FramePoles[] = [];
  energies.forEach((frameEnergy, index) => {
    if (frameEnergy < loud) return;
    const start = index * 80;
    // A formant: a sharp resonance (pole near the unit circle), away from 0 and pi.
    const formants = framePoles(original, start).filter((pole) => pole.radius > 0.95 && pole.angle > 0.3 && pole.angle < 2.8);
    const sharp = framePoles(anonymised, start).filter((pole) => pole.radius > 0.9);
    frames.push({ original: formants.map((pole) => pole.angle), anonymised: sharp.map((pole) => pole.angle) });
  });
  return frames;
}

/**
 * Mean distance (radians) from each original formant angle phi, moved to phi^alpha, to the
 * nearest sharp pole of the anonymised frame (capped at 0.3 so one missing pole does not dominate).
 */
function angleError(frames: FramePoles[], alpha: number): number {
  let sum = 0;
  let count = 0;
  for (const frame of frames) {
    for (const phi of frame.original) {
      const target = phi ** alpha;
      sum += Math.min(0.3, ...frame.anonymised.map((angle) => Math.abs(angle - target)));
      count += 1;
    }
  }
  return sum / count;
}

/** The exponent that best explains the anonymised poles, searched over [0.5, 1.2] in steps of 0.01. */
function recoveredAlpha(frames: FramePoles[]): number {
  let best = 1;
  let bestError = Number.POSITIVE_INFINITY;
  for (let step = 50; step <= 120; step += 1) {
    const error = angleError(frames, step / 100);
    if (error < bestError) {
      bestError = error;
      best = step / 100;
    }
  }
  return best;
}

void t.test('when a recording of speech is anonymised, then the WAV has its duration and its formant poles sit at phi^alpha', async (t) => {
  const dir = await tempDir(t);
  const original = await speech(dir);
  const fixture = await storeFixture(t);
  const m = meta();
  const writer = await fixture.store.create(m);
  const ticks = Math.floor(original.length / SAMPLES_PER_TICK);
  const recorded = original.subarray(0, ticks * SAMPLES_PER_TICK);
  for (let tick = 0; tick < ticks; tick += 1) {
    const audio = Buffer.from(Uint8Array.from(recorded.subarray(tick * SAMPLES_PER_TICK, (tick + 1) * SAMPLES_PER_TICK), (value) => linearToAlaw(value)));
    writer.writeTick(m.startTick + tick, audio);
  }
  await writer.close('completed');
  const recordingFile = join(fixture.dataDir, 'recordings', `${m.recordingId}.tlr`);
  const before = await readFile(recordingFile);

  const thread = new AnonymiserThread();
  t.teardown(() => thread.close());
  for (const alpha of [MCADAMS_ALPHA_MIN, 0.8, MCADAMS_ALPHA_MAX]) {
    const reader = await fixture.store.openReader(m.recordingId);
    const out = join(dir, `anonymised-${alpha}.wav`);
    const written = await writeAnonymisedWav(reader, alpha, out, thread);
    await reader.close();
    const file = await readFile(out);
    const decoded = wav.decode(file);
    t.equal(decoded.sampleRate, 8000, 'an 8 kHz WAV');
    t.equal(written, recorded.length, 'as many samples written as recorded');
    t.equal(decoded.channelData[0]?.length, recorded.length, `alpha ${alpha}: the duration of the original`);
    t.equal((await stat(out)).size, WAV_HEADER_BYTES + recorded.length * 2);
    const anonymised = Int16Array.from(decoded.channelData[0] as Float32Array, (value) => Math.round(value * 32768));
    const frames = polesOfLoudFrames(recorded, anonymised);
    const formants = frames.reduce((sum, frame) => sum + frame.original.length, 0);
    const moved = angleError(frames, alpha);
    const unmoved = angleError(frames, 1);
    const recovered = recoveredAlpha(frames);
    t.comment(`alpha ${alpha}: ${formants} formant poles, error at phi^alpha ${moved.toFixed(3)} rad, at phi ${unmoved.toFixed(3)} rad, recovered alpha ${recovered}`);
    t.ok(formants >= 200, `alpha ${alpha}: enough formant poles measured`);
    t.ok(moved < 0.04, `alpha ${alpha}: the formant poles sit at phi^alpha (mean error ${moved.toFixed(3)} rad)`);
    t.ok(unmoved > 2 * moved, `alpha ${alpha}: and no longer at phi (mean error there ${unmoved.toFixed(3)} rad)`);
    t.ok(Math.abs(recovered - alpha) <= 0.03, `alpha ${alpha}: the exponent measured from the poles is ${recovered}`);
  }
  t.ok((await readFile(recordingFile)).equals(before), 'the original recording is untouched');
});

void t.test('when alpha is 1, then the method gives the input back (the overlap-add loses nothing)', async (t) => {
  const input = new Int16Array(8000);
  for (let n = 0; n < input.length; n += 1) input[n] = Math.round(8000 * Math.sin(n * 0.3) + 3000 * Math.sin(n * 1.7 + 0.4));
  const blocks = [input.subarray(0, 1234), input.subarray(1234, 1234), input.subarray(1234, 5000), input.subarray(5000)];
  const out: number[] = [];
  for await (const block of anonymiseSamples(blocks, 1)) out.push(...block);
  t.equal(out.length, input.length);
  let worst = 0;
  // The first 10 ms are faded in by the first frame's window, alone there.
  for (let n = 80; n < input.length - 80; n += 1) worst = Math.max(worst, Math.abs((out[n] as number) - (input[n] as number)));
  t.ok(worst <= 2, `largest difference ${worst}`);
});

void t.test('when silence is anonymised, then it stays silence and keeps its length', async (t) => {
  const out: number[] = [];
  for await (const block of anonymiseSamples([new Int16Array(1000)], 0.8)) out.push(...block);
  t.equal(out.length, 1000);
  t.ok(out.every((value) => value === 0));
  const empty: number[] = [];
  for await (const block of anonymiseSamples([], 0.8)) empty.push(...block);
  t.equal(empty.length, 0);
});

void t.test('when alpha is drawn, then it lies in [0.7, 0.9] and varies', async (t) => {
  const drawn = Array.from({ length: 200 }, () => drawMcAdamsAlpha());
  t.ok(drawn.every((alpha) => alpha >= MCADAMS_ALPHA_MIN && alpha <= MCADAMS_ALPHA_MAX));
  t.ok(new Set(drawn).size > 150, 'not one fixed value');
});
