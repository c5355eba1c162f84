import t from 'tap';
import { performance } from 'node:perf_hooks';
import { LoginTarpit } from '../../../src/access/login-tarpit.js';

/** A wait that records what it was asked for and resolves when released (no test depends on timing). */
function recordingWait(): { asked: number[]; wait: (ms: number) => Promise<void>; releaseAll: () => void } {
  const asked: number[] = [];
  const pending: Array<() => void> = [];
  return {
    asked,
    wait: (ms) => {
      asked.push(ms);
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    releaseAll: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

t.test('when a throttled answer is held, then it waits half to all of the longest hold, however short the throttle wait left', async (t) => {
  const draws = [0, 0.25, 0.5, 0.999];
  const recorder = recordingWait();
  const tarpit = new LoginTarpit({ maxHoldMs: 3000, random: () => draws.shift()!, wait: recorder.wait });
  const held = Array.from({ length: 4 }, () => tarpit.hold());
  recorder.releaseAll();
  await Promise.all(held);
  t.same(recorder.asked, [1500, 1875, 2250, 2999], 'from half the hold (random 0) to all of it (random near 1)');
  const none = recordingWait();
  await new LoginTarpit({ maxHoldMs: 0, wait: none.wait }).hold();
  t.same(none.asked, [], 'no hold configured: answered at once');
});

t.test('when a hold runs on the real timer, then it is not answered before half the hold', async (t) => {
  const tarpit = new LoginTarpit({ maxHoldMs: 80 });
  const started = performance.now();
  await tarpit.hold();
  // Only a lower bound: a busy machine can make any hold longer, never shorter.
  t.ok(performance.now() - started >= 39, 'held');
});

t.test('when many answers are held together, then they are spread over the hold instead of all going out at once', async (t) => {
  const recorder = recordingWait();
  const tarpit = new LoginTarpit({ maxHoldMs: 200, wait: recorder.wait });
  const held = Array.from({ length: 20 }, () => tarpit.hold());
  t.equal(new Set(recorder.asked).size > 10, true, `20 held answers asked for ${new Set(recorder.asked).size} different holds`);
  t.ok(recorder.asked.every((ms) => ms >= 100 && ms <= 200), 'each within half to all of the hold');
  recorder.releaseAll();
  await Promise.all(held);
});

t.test('when more answers wait than allowed, then the rest go out at once and the count comes back down', async (t) => {
  const recorder = recordingWait();
  const tarpit = new LoginTarpit({ maxHoldMs: 100, maxHeld: 3, wait: recorder.wait });
  const held = Array.from({ length: 3 }, () => tarpit.hold());
  t.equal(tarpit.holding(), 3);
  await tarpit.hold();
  t.equal(recorder.asked.length, 3, 'the fourth is not held: it resolved without waiting');
  recorder.releaseAll();
  await Promise.all(held);
  t.equal(tarpit.holding(), 0);
});

t.test('when the settings are not whole numbers, then the tarpit refuses them', async (t) => {
  t.throws(() => new LoginTarpit({ maxHoldMs: -1 }), { code: 'CONFIG_INVALID' });
  t.throws(() => new LoginTarpit({ maxHeld: 1.5 }), { code: 'CONFIG_INVALID' });
});
