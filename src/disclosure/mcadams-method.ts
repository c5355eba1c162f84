/**
 * Voice anonymisation for research disclosures (P9): the McAdams-coefficient method of the
 * VoicePrivacy 2020 baseline B2 (Patino et al., "Speaker anonymisation using the McAdams
 * coefficient", Interspeech 2021).
 *
 * Per frame of 20 ms (10 ms hop, Hann window split as sqrt into analysis and synthesis, so the
 * overlap-add of unmodified frames gives the input back): LPC of order 20 by autocorrelation and
 * Levinson-Durbin, the residual by inverse filtering, the poles of 1/A(z); every complex pole
 * with angle phi (radians) is moved to angle phi^alpha with its radius kept (real poles stay),
 * and the residual is filtered through the all-pole filter of the moved poles. The radii are
 * kept, so the new filter is as stable as the old one. alpha is drawn once per speaker (one
 * channel of one recording) from [0.7, 0.9]: phi^alpha moves formants below 1 rad (1.27 kHz at
 * 8 kHz) up and those above down, which changes the voice but keeps the words intelligible.
 *
 * Two departures from the baseline's script, both for a box that streams long calls: each
 * output frame gets the energy of its input frame (the script scales the whole signal to full
 * scale at the end, which needs all of it in memory, and would make quiet calls loud), and every
 * frame is used (the script skips the first).
 *
 * Voice anonymisation changes who seems to speak, not what is said: names and numbers spoken
 * aloud stay, which is why the registrar confirms the content was checked before a disclosure.
 */
import { SAMPLE_RATE_HZ } from '../recording/recording-format.js';
import { hannWindow, inverseFilter, lpcOfFrame, synthesisFilter } from './linear-prediction.js';
import { polynomialFromRoots, polynomialRoots, type Complex } from './polynomial-roots.js';

export { drawMcAdamsAlpha, MCADAMS_ALPHA_MAX, MCADAMS_ALPHA_MIN } from './mcadams-alpha.js';

export const MCADAMS_LPC_ORDER = 20;
export const MCADAMS_FRAME_MS = 20;
export const MCADAMS_HOP_MS = 10;

const FRAME_SAMPLES = (MCADAMS_FRAME_MS * SAMPLE_RATE_HZ) / 1000;
const HOP_SAMPLES = (MCADAMS_HOP_MS * SAMPLE_RATE_HZ) / 1000;

/** sqrt(Hann / K), K = sum(Hann) / hop: applied at analysis and at synthesis. */
const HALF_WINDOW: Float64Array = (() => {
  const hann = hannWindow(FRAME_SAMPLES);
  const k = hann.reduce((sum, value) => sum + value, 0) / HOP_SAMPLES;
  return hann.map((value) => Math.sqrt(value / k));
})();

/** The poles with every complex one's angle phi moved to phi^alpha (within [0, pi]); radii kept. */
export function movePoleAngles(poles: readonly Complex[], alpha: number): Complex[] {
  return poles.map((pole) => {
    if (pole.im === 0) return pole;
    const radius = Math.hypot(pole.re, pole.im);
    const angle = Math.min(Math.PI, Math.max(0, Math.abs(Math.atan2(pole.im, pole.re)) ** alpha));
    const sign = pole.im > 0 ? 1 : -1;
    return { re: radius * Math.cos(angle), im: sign * radius * Math.sin(angle) };
  });
}

function energy(samples: Float64Array): number {
  let sum = 0;
  for (const value of samples) sum += value * value;
  return sum;
}

/** One frame through the method: returns the synthesis-windowed frame to overlap-add. */
export function anonymiseFrame(frame: Float64Array, alpha: number): Float64Array {
  const analysed = frame.map((value, n) => value * (HALF_WINDOW[n] as number));
  const a = lpcOfFrame(analysed, MCADAMS_LPC_ORDER);
  const moved = polynomialFromRoots(movePoleAngles(polynomialRoots(a), alpha));
  const residual = inverseFilter(a, analysed);
  const out = synthesisFilter(moved, residual).map((value, n) => value * (HALF_WINDOW[n] as number));
  // The frame the identity would give back (alpha = 1): window applied twice.
  const target = energy(analysed.map((value, n) => value * (HALF_WINDOW[n] as number)));
  const produced = energy(out);
  if (produced > 0 && Number.isFinite(produced)) {
    const gain = Math.sqrt(target / produced);
    for (let n = 0; n < out.length; n += 1) out[n] = (out[n] as number) * gain;
  } else {
    out.fill(0);
  }
  return out;
}

function toInt16(values: Float64Array, count: number): Int16Array {
  const out = new Int16Array(count);
  for (let n = 0; n < count; n += 1) out[n] = Math.max(-32768, Math.min(32767, Math.round(values[n] as number)));
  return out;
}

/**
 * The method over a stream of 16-bit samples: push() takes the next block and gives back the
 * samples that are final (every frame covering them is added); end() zero-pads the last frames
 * and gives back the rest. Out come exactly as many samples as went in.
 */
export class McAdamsStream {
  // input[i] and overlap[i] are the sample at absolute index base + i.
  private base = 0;
  private input = new Float64Array(0);
  private overlap = new Float64Array(FRAME_SAMPLES);
  private nextFrameStart = 0;
  private total = 0;

  constructor(private readonly alpha: number) {}

  push(block: ArrayLike<number>): Int16Array {
    if (block.length === 0) return new Int16Array(0);
    const grown = new Float64Array(this.input.length + block.length);
    grown.set(this.input);
    grown.set(block, this.input.length);
    this.input = grown;
    const grownOverlap = new Float64Array(this.input.length + FRAME_SAMPLES);
    grownOverlap.set(this.overlap.subarray(0, Math.min(this.overlap.length, grownOverlap.length)));
    this.overlap = grownOverlap;
    this.total += block.length;
    this.runFrames(Number.POSITIVE_INFINITY, true);
    // Every frame that starts at or before a sample has been added: samples before nextFrameStart are final.
    return this.take(this.nextFrameStart - this.base);
  }

  end(): Int16Array {
    this.runFrames(this.total, false);
    return this.take(this.total - this.base);
  }

  private take(count: number): Int16Array {
    if (count <= 0) return new Int16Array(0);
    const out = toInt16(this.overlap, count);
    this.base += count;
    this.input = this.input.slice(count);
    this.overlap = this.overlap.slice(count);
    return out;
  }

  private runFrames(untilStartBelow: number, needWhole: boolean): void {
    while (this.nextFrameStart < untilStartBelow && (!needWhole || this.nextFrameStart + FRAME_SAMPLES <= this.base + this.input.length)) {
      const offset = this.nextFrameStart - this.base;
      const frame = new Float64Array(FRAME_SAMPLES);
      frame.set(this.input.subarray(offset, Math.min(this.input.length, offset + FRAME_SAMPLES)));
      const out = anonymiseFrame(frame, this.alpha);
      for (let n = 0; n < FRAME_SAMPLES; n += 1) this.overlap[offset + n] = (this.overlap[offset + n] as number) + (out[n] as number);
      this.nextFrameStart += HOP_SAMPLES;
    }
  }
}

/** The method over blocks of samples, in this thread (what the worker runs; the tests use it directly). */
export async function* anonymiseSamples(blocks: AsyncIterable<Int16Array> | Iterable<Int16Array>, alpha: number): AsyncGenerator<Int16Array> {
  const stream = new McAdamsStream(alpha);
  for await (const block of blocks) {
    const out = stream.push(block);
    if (out.length > 0) yield out;
  }
  const rest = stream.end();
  if (rest.length > 0) yield rest;
}
