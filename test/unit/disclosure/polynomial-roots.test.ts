import t from 'tap';
import { autocorrelation, levinsonDurbin, lpcOfFrame } from '../../../src/disclosure/linear-prediction.js';
import { polynomialFromRoots, polynomialRoots, type Complex } from '../../../src/disclosure/polynomial-roots.js';

function sortRoots(roots: Complex[]): Complex[] {
  return [...roots].sort((a, b) => a.re - b.re || a.im - b.im);
}

void t.test('when known roots are multiplied out and solved again, then the same roots come back', async (t) => {
  const roots: Complex[] = [
    { re: 0.5, im: 0 },
    { re: -0.25, im: 0 },
    { re: 0.9 * Math.cos(0.4), im: 0.9 * Math.sin(0.4) },
    { re: 0.9 * Math.cos(0.4), im: -0.9 * Math.sin(0.4) },
    { re: 0.99 * Math.cos(2.5), im: 0.99 * Math.sin(2.5) },
    { re: 0.99 * Math.cos(2.5), im: -0.99 * Math.sin(2.5) },
  ];
  const polynomial = polynomialFromRoots(roots);
  t.equal(polynomial[0], 1);
  const found = sortRoots(polynomialRoots(polynomial));
  const expected = sortRoots(roots);
  t.equal(found.length, expected.length);
  found.forEach((root, i) => {
    t.ok(Math.abs(root.re - (expected[i] as Complex).re) < 1e-9 && Math.abs(root.im - (expected[i] as Complex).im) < 1e-9, `root ${i}`);
  });
});

void t.test('when a polynomial ends in zero coefficients, then those are roots at 0 and a constant has none', async (t) => {
  t.same(polynomialRoots([1, -1, 0, 0]), [{ re: 1, im: 0 }, { re: 0, im: 0 }, { re: 0, im: 0 }]);
  t.same(polynomialRoots([1]), []);
  t.same(polynomialRoots([2, 0]), [{ re: 0, im: 0 }]);
});

void t.test('when Levinson-Durbin meets silence or a degenerate frame, then the polynomial stays minimum phase', async (t) => {
  t.same([...lpcOfFrame(new Float64Array(160), 20)], [1, ...new Array<number>(20).fill(0)], 'silence: no prediction');
  // r[1] = r[0]: a perfectly predictable (constant) frame; the recursion stops at |k| = 1.
  const degenerate = levinsonDurbin([1, 1, 1, 1], 3);
  t.equal(degenerate[0], 1);
  t.ok(polynomialRoots(degenerate).every((root) => Math.hypot(root.re, root.im) <= 1 + 1e-12));
  const r = autocorrelation([1, 2, 3], 5);
  t.same([...r], [14, 8, 3, 0, 0, 0]);
});
