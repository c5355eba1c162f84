/**
 * Roots of a real polynomial and back. The roots are the eigenvalues of the companion matrix
 * (what numpy.roots does), computed by ml-matrix's general (non-symmetric) eigenvalue
 * decomposition: Hessenberg reduction and shifted QR, robust for the order-20 LPC polynomials
 * of speech, whose roots cluster near the unit circle where simple iterations converge badly.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface Complex {
  re: number;
  im: number;
}

/**
 * Roots of c[0] x^n + c[1] x^(n-1) + ... + c[n] (c[0] non-zero). For an LPC polynomial
 * [1, a1, ..., ap] in z^-1 these are its poles in z.
 */
export function polynomialRoots(coefficients: ArrayLike<number>): Complex[] {
  let degree = coefficients.length - 1;
  // Trailing zero coefficients are roots at 0 (an LPC recursion that stopped early).
  let zeros = 0;
  while (degree > 0 && coefficients[degree] === 0) {
    degree -= 1;
    zeros += 1;
  }
  const lead = coefficients[0] as number;
  const roots: Complex[] = [];
  if (degree > 0) {
    const companion = Matrix.zeros(degree, degree);
    for (let j = 0; j < degree; j += 1) companion.set(0, j, -(coefficients[j + 1] as number) / lead);
    for (let i = 1; i < degree; i += 1) companion.set(i, i - 1, 1);
    const decomposition = new EigenvalueDecomposition(companion, { assumeSymmetric: false });
    for (let i = 0; i < degree; i += 1) {
      roots.push({ re: decomposition.realEigenvalues[i] as number, im: decomposition.imaginaryEigenvalues[i] as number });
    }
  }
  for (let i = 0; i < zeros; i += 1) roots.push({ re: 0, im: 0 });
  return roots;
}

/**
 * The monic polynomial [1, c1, ..., cn] with the given roots. With roots in conjugate pairs the
 * product is real; the imaginary parts left are rounding, dropped as numpy.real(numpy.poly()).
 */
export function polynomialFromRoots(roots: readonly Complex[]): Float64Array {
  const re = new Float64Array(roots.length + 1);
  const im = new Float64Array(roots.length + 1);
  re[0] = 1;
  for (let k = 0; k < roots.length; k += 1) {
    const root = roots[k] as Complex;
    // Multiply the polynomial so far by (x - root), from the highest index down.
    for (let j = k + 1; j >= 1; j -= 1) {
      const pr = re[j - 1] as number;
      const pi = im[j - 1] as number;
      re[j] = (re[j] as number) - (pr * root.re - pi * root.im);
      im[j] = (im[j] as number) - (pr * root.im + pi * root.re);
    }
  }
  return re;
}
