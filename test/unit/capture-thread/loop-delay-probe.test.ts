/**
 * The capture thread's delay probe sees a stall wherever it happens, a timer callback included
 * (where perf_hooks.monitorEventLoopDelay sees nothing). The stall is a real busy wait: a busier
 * machine can only make the measured delay larger, never smaller.
 */
import t from 'tap';
import { performance } from 'node:perf_hooks';
import { LoopDelayProbe } from '../../../src/capture-thread/loop-delay-probe.js';

const stall = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // held up
  }
};
const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

t.test('when a timer callback holds the loop up 300 ms, then the probe measures it, and a reset starts afresh', async (t) => {
  const probe = new LoopDelayProbe();
  t.same(probe.read(), { p99Ms: 0, maxMs: 0 }, 'nothing measured before it runs');
  probe.enable();
  t.teardown(() => probe.disable());
  await later(50);
  // Inside a timer's callback, as the capture thread's statistics and checks run.
  await new Promise<void>((resolve) => setTimeout(() => {
    stall(300);
    resolve();
  }, 20));
  await later(50);
  t.ok(probe.read().maxMs >= 250, `the stall is measured (${probe.read().maxMs} ms)`);
  probe.reset();
  t.same(probe.read(), { p99Ms: 0, maxMs: 0 }, 'a reset forgets it');
  probe.disable();
  probe.disable();
  t.pass('disabling twice is harmless');
});
