import t from 'tap';
import { performance } from 'node:perf_hooks';
import { LoginTarpit } from '../../../src/access/login-tarpit.js';

t.test('when a throttled answer is held, then it waits the shorter of the throttle wait and the longest hold', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 80 });
  let started = performance.now();
  await tarpit.hold(30);
  const short = performance.now() - started;
  t.ok(short >= 14 && short < 75, `held for half to all of the throttle wait (${short.toFixed(0)} ms)`);
  started = performance.now();
  await tarpit.hold(60_000);
  const capped = performance.now() - started;
  t.ok(capped >= 39 && capped < 1000, `held for half to all of the longest hold, no longer (${capped.toFixed(0)} ms)`);
  started = performance.now();
  await tarpit.hold(0);
  t.ok(performance.now() - started < 20, 'nothing to wait for: answered at once');
});

t.test('when many answers are held together, then they are spread over the hold instead of all going out at once', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 200 });
  const started = performance.now();
  const finished = await Promise.all(Array.from({ length: 20 }, async () => {
    await tarpit.hold(200);
    return performance.now() - started;
  }));
  const spread = Math.max(...finished) - Math.min(...finished);
  t.ok(spread >= 30, `the answers went out over ${spread.toFixed(0)} ms`);
  t.ok(Math.min(...finished) >= 95, 'none before half the hold');
});

t.test('when more answers wait than allowed, then the rest go out at once and the count comes back down', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 100, maxHeld: 3 });
  const held = Array.from({ length: 3 }, () => tarpit.hold(100));
  t.equal(tarpit.holding(), 3);
  const started = performance.now();
  await tarpit.hold(100);
  t.ok(performance.now() - started < 50, 'the fourth is not held');
  await Promise.all(held);
  t.equal(tarpit.holding(), 0);
});

t.test('when the settings are not whole numbers, then the tarpit refuses them', async (t) => {
  t.throws(() => new LoginTarpit({ maxHoldMs: -1 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginTarpit({ maxHeld: 1.5 }), { code: 'CONFIG_INVALID' });
});
