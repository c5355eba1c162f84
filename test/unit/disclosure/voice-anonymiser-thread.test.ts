/**
 * The anonymiser's worker thread: what it gives back is exactly what the method gives in this
 * thread, one thread serves several speakers one after the other, and a failing audio source
 * reaches the caller and leaves the thread usable. One thread for the whole file: starting a
 * worker under the test runner's TypeScript loader is slow on a busy machine.
 */
import t from 'tap';
import { AnonymiserThread } from '../../../src/disclosure/voice-anonymiser-thread.js';
import { anonymiseSamples } from '../../../src/disclosure/mcadams-method.js';


function noise(length: number): Int16Array {
  let seed = 7;
  return Int16Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed % 20000) - 10000;
  });
}

async function collect(blocks: AsyncIterable<Int16Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const block of blocks) out.push(...block);
  return out;
}

void t.test('when audio goes through the worker thread, then it comes back exactly as the method gives it here, speaker after speaker', async (t) => {
  const thread = new AnonymiserThread();
  t.teardown(() => thread.close());
  const input = noise(20_000);
  const blocks = [input.subarray(0, 7_000), input.subarray(7_000, 7_000), input.subarray(7_000)];
  const here = await collect(anonymiseSamples(blocks, 0.83));
  const first = await collect(thread.anonymise(blocks, 0.72));
  const second = await collect(thread.anonymise(blocks, 0.83));
  t.equal(second.length, input.length);
  t.same(second, here, 'the second stream is exactly the method’s, undisturbed by the first');
  t.not(JSON.stringify(first), JSON.stringify(here), 'another coefficient, another voice');
  t.same(Array.from(input.subarray(0, 3)), Array.from(noise(3)), 'the caller’s blocks are not taken from it');

  async function* failing(): AsyncGenerator<Int16Array> {
    yield noise(1_000);
    throw new Error('disk read failed');
  }
  await t.rejects(collect(thread.anonymise(failing(), 0.75)), { message: 'disk read failed' });
  t.same(await collect(thread.anonymise(blocks, 0.83)), here, 'the thread goes on with the next recording');

  await thread.close();
  await t.rejects(collect(thread.anonymise(blocks, 0.8)), { code: 'ANONYMISER_FAILED' }, 'a thread that ended refuses with a code');
});
