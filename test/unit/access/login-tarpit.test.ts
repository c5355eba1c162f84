import t from 'tap';
import { performance } from 'node:perf_hooks';
import { LoginTarpit } from '../../../src/access/login-tarpit.js';

t.test('when a throttled answer is held, then it waits half to all of the longest hold, however short the throttle wait left', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 80 });
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await tarpit.hold();
    const held = performance.now() - started;
    t.ok(held >= 39 && held < 1000, `held for ${held.toFixed(0)} ms`);
  }
  const none = new LoginTarpit({ maxHoldMs: 0 });
  const started = performance.now();
  await none.hold();
  t.ok(performance.now() - started < 20, 'no hold configured: answered at once');
});

t.test('when many answers are held together, then they are spread over the hold instead of all going out at once', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 200 });
  const started = performance.now();
  const finished = await Promise.all(Array.from({ length: 20 }, async () => {
    await tarpit.hold();
    return performance.now() - started;
  }));
  const spread = Math.max(...finished) - Math.min(...finished);
  t.ok(spread >= 30, `the answers went out over ${spread.toFixed(0)} ms`);
  t.ok(Math.min(...finished) >= 95, 'none before half the hold');
});

t.test('when more answers wait than allowed, then the rest go out at once and the count comes back down', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 100, maxHeld: 3 });
  const held = Array.from({ length: 3 }, () => tarpit.hold());
  t.equal(tarpit.holding(), 3);
  const started = performance.now();
  await tarpit.hold();
  t.ok(performance.now() - started < 50, 'the fourth is not held');
  await Promise.all(held);
  t.equal(tarpit.holding(), 0);
});

t.test('when the settings are not whole numbers, then the tarpit refuses them', async (t) => {
  t.throws(() => new LoginTarpit({ maxHoldMs: -1 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginTarpit({ maxHeld: 1.5 }), { code: 'CONFIG_INVALID' });
});
