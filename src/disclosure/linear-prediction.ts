/**
 * Linear prediction (LPC) of short speech frames: the autocorrelation method, solved by the
 * Levinson-Durbin recursion. The polynomial A(z) = 1 + a1 z^-1 + ... + ap z^-p it returns is
 * minimum phase (all roots inside the unit circle), so 1/A(z) is a stable synthesis filter; the
 * voice anonymiser relies on that when it moves the roots' angles and keeps their radii.
 */

/**
 * A periodic Hann window of `length` samples. Periodic rather than symmetric (numpy.hanning):
 * shifted by half its length the copies add up to exactly 1, so overlap-add at a 50 % hop gives
 * the input back unchanged where nothing was modified.
 */
export function hannWindow(length: number): Float64Array {
  const window = new Float64Array(length);
  for (let n = 0; n < length; n += 1) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return window;
}

/** Autocorrelation r[0..maxLag] of a frame. */
export function autocorrelation(frame: ArrayLike<number>, maxLag: number): Float64Array {
  const r = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag += 1) {
    let sum = 0;
    for (let n = lag; n < frame.length; n += 1) sum += (frame[n] as number) * (frame[n - lag] as number);
    r[lag] = sum;
  }
  return r;
}

/**
 * Levinson-Durbin: the prediction polynomial [1, a1, ..., ap] from the autocorrelation. A frame
 * of silence (r[0] = 0) has no prediction: A(z) = 1. When the prediction error stops falling
 * (a reflection coefficient at magnitude 1, only in degenerate frames), the recursion stops at
 * the order reached, so the polynomial stays minimum phase.
 */
export function levinsonDurbin(r: ArrayLike<number>, order: number): Float64Array {
  const a = new Float64Array(order + 1);
  a[0] = 1;
  let error = r[0] as number;
  if (!(error > 0)) return a;
  const previous = new Float64Array(order + 1);
  for (let i = 1; i <= order; i += 1) {
    let acc = r[i] as number;
    for (let j = 1; j < i; j += 1) acc += (a[j] as number) * (r[i - j] as number);
    const k = -acc / error;
    if (!(Math.abs(k) < 1)) break;
    previous.set(a);
    for (let j = 1; j < i; j += 1) a[j] = (previous[j] as number) + k * (previous[i - j] as number);
    a[i] = k;
    error *= 1 - k * k;
  }
  return a;
}

/**
 * LPC of one (already windowed) frame. The tiny white-noise correction on r[0] (a factor of
 * 1e-9, far under a quantisation step) keeps the recursion well conditioned on near-silent frames.
 */
export function lpcOfFrame(frame: ArrayLike<number>, order: number): Float64Array {
  const r = autocorrelation(frame, order);
  r[0] = (r[0] as number) * (1 + 1e-9);
  return levinsonDurbin(r, order);
}

/** FIR filter y = A(z) x with zero initial state: the residual of the frame under A. */
export function inverseFilter(a: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let n = 0; n < x.length; n += 1) {
    let sum = 0;
    for (let k = 0; k < a.length && k <= n; k += 1) sum += (a[k] as number) * (x[n - k] as number);
    y[n] = sum;
  }
  return y;
}

/** IIR filter y = x / A(z) with zero initial state (a[0] is 1). */
export function synthesisFilter(a: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let n = 0; n < x.length; n += 1) {
    let sum = x[n] as number;
    for (let k = 1; k < a.length && k <= n; k += 1) sum -= (a[k] as number) * (y[n - k] as number);
    y[n] = sum;
  }
  return y;
}
