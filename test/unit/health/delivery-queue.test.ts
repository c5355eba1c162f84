/**
 * A receiver's queue with injected timers (no waiting): pushing never blocks, the queue is
 * bounded (the oldest is dropped and counted), a failure is retried after its back-off, a few
 * failures in a row report the receiver dead, and the next success recovers it.
 */
import t from 'tap';
import { silentLogger } from '../../../src/log.js';
import { DeliveryQueue, failureCode, type Timers } from '../../../src/health/delivery-queue.js';

function manualTimers(): Timers & { fire(): void; pending(): number[] } {
  const waiting: Array<{ fn: () => void; ms: number }> = [];
  return {
    setTimeout: (fn, ms) => {
      const entry = { fn, ms };
      waiting.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      const index = waiting.indexOf(handle as { fn: () => void; ms: number });
      if (index >= 0) waiting.splice(index, 1);
    },
    fire: () => waiting.splice(0).forEach((entry) => entry.fn()),
    pending: () => waiting.map((entry) => entry.ms),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

t.test('when the receiver fails, then the message is retried with growing back-off, the receiver is reported dead, and recovered at the next success', async (t) => {
  const timers = manualTimers();
  const sent: string[] = [];
  let failing = true;
  const events: string[] = [];
  const queue = new DeliveryQueue<string>({
    send: (message) => (failing ? Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })) : (sent.push(message), Promise.resolve())),
    logger: silentLogger,
    backoffMs: [10, 20, 40],
    failuresBeforeDead: 3,
    timers,
    onDead: (error) => events.push(`dead ${error}`),
    onRecovered: () => events.push('recovered'),
  });
  queue.push('a');
  queue.push('b');
  await settle();
  t.same(timers.pending(), [10]);
  timers.fire();
  await settle();
  t.same(timers.pending(), [20]);
  timers.fire();
  await settle();
  t.same(events, ['dead ECONNREFUSED'], 'dead after three failures in a row');
  t.same(timers.pending(), [40]);
  t.match(queue.stats(), { queued: 2, sent: 0, failures: 3, dead: true, lastError: 'ECONNREFUSED' });
  failing = false;
  timers.fire();
  await settle();
  await settle();
  t.same(sent, ['a', 'b'], 'in order, nothing lost');
  t.same(events, ['dead ECONNREFUSED', 'recovered']);
  t.match(queue.stats(), { queued: 0, sent: 2, dead: false });
});

t.test('when more messages come than the queue holds, then the oldest are dropped and counted', async (t) => {
  const timers = manualTimers();
  const queue = new DeliveryQueue<number>({ send: () => Promise.reject(new Error('down')), logger: silentLogger, capacity: 3, timers });
  for (let i = 0; i < 10; i++) queue.push(i);
  await settle();
  t.match(queue.stats(), { queued: 3, dropped: 7, lastError: 'Error' });
  queue.retryNow();
  await settle();
  t.equal(queue.stats().failures, 2, 'retried at once');
  queue.close();
  queue.push(99);
  t.equal(queue.stats().queued, 0, 'a closed queue takes nothing');
});

t.test('when an error has no usable code, then its class names it', async (t) => {
  t.equal(failureCode(Object.assign(new Error('x'), { code: 'EAUTH' })), 'EAUTH');
  t.equal(failureCode(new TypeError('x')), 'TypeError');
  t.equal(failureCode(Object.assign(new Error('x'), { code: 'has spaces and a password' })), 'Error');
  t.equal(failureCode('text'), 'unknown');
});
