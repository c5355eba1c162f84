import t from 'tap';
import { ManualClock, offsetClock } from '../../src/clock.js';

t.test('when a manual clock is advanced, then now() moves by exactly that much', async (t) => {
  const clock = new ManualClock(1000);
  clock.advance(250);
  t.equal(clock.now(), 1250);
  clock.set(5);
  t.equal(clock.now(), 5);
});

t.test('when an offset clock is read, then it runs ahead of its base by the offset', async (t) => {
  const base = new ManualClock(10_000);
  const shifted = offsetClock(3_600_000, base);
  t.equal(shifted.now(), 3_610_000);
});
