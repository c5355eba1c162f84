/**
 * The McAdams coefficient of a speaker (mcadams-method.ts says what it does), drawn on the main
 * thread when a research package is made. Its own module so that the desk does not load the
 * anonymiser's signal code and matrix library, which only the anonymiser's worker thread needs.
 */
import { randomInt } from 'node:crypto';

export const MCADAMS_ALPHA_MIN = 0.7;
export const MCADAMS_ALPHA_MAX = 0.9;
/** The resolution of the drawn alpha: far finer than any audible or measurable difference. */
const ALPHA_STEPS = 1_000_000;

/** A McAdams coefficient drawn uniformly from [0.7, 0.9] with the system's CSPRNG. */
export function drawMcAdamsAlpha(): number {
  return MCADAMS_ALPHA_MIN + ((MCADAMS_ALPHA_MAX - MCADAMS_ALPHA_MIN) * randomInt(0, ALPHA_STEPS + 1)) / ALPHA_STEPS;
}
