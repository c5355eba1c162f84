#!/usr/bin/env node
/**
 * `npm run bench:anonymiser`: how fast the McAdams voice anonymiser (src/disclosure/mcadams-method.ts)
 * turns call audio into a research package's WAV, as a real-time factor (seconds of audio per
 * second of one core). The audio is Finnish speech from espeak-ng, resampled to 8 kHz by sox and
 * repeated to the length asked for, streamed through the method in the blocks a recording is
 * read in. Prints one line; never part of `npm test`.
 *
 *   --seconds S   length of the audio (default 600: a ten-minute call)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anonymiseSamples } from '../dist/disclosure/mcadams-method.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '600' } } });
const seconds = Number(values.seconds);
const dir = mkdtempSync(join(tmpdir(), 'tallennin-anon-bench-'));
try {
  execFileSync('espeak-ng', ['-v', 'fi', '-w', join(dir, 'speech.wav'), 'Hyvää päivää, soitan vakuutusasiassa. Olisin halunnut kysyä korvauksesta ja laskusta.']);
  execFileSync('sox', [join(dir, 'speech.wav'), '-r', '8000', '-c', '1', '-b', '16', '-t', 'raw', '-e', 'signed-integer', join(dir, 'speech.raw')]);
  const raw = readFileSync(join(dir, 'speech.raw'));
  const speech = new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
  const total = seconds * 8000;
  const audio = new Int16Array(total);
  for (let i = 0; i < total; i += 1) audio[i] = speech[i % speech.length];
  const block = 80_000; // ten chunks of a recording
  const blocks = [];
  for (let start = 0; start < total; start += block) blocks.push(audio.subarray(start, Math.min(total, start + block)));
  const started = process.hrtime.bigint();
  let samples = 0;
  for await (const out of anonymiseSamples(blocks, 0.8)) samples += out.length;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (samples !== total) throw new Error(`wrote ${samples} samples of ${total}`);
  console.log(`voice anonymiser: ${seconds} s of 8 kHz audio in ${elapsed.toFixed(1)} s: ${(seconds / elapsed).toFixed(1)}x real time on one core`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
