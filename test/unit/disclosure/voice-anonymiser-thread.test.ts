import t from 'tap';
import { anonymiseInWorker } from '../../../src/disclosure/voice-anonymiser-thread.js';
import { anonymiseSamples } from '../../../src/disclosure/voice-anonymiser.js';

function noise(length: number): Int16Array {
  let seed = 7;
  return Int16Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed % 20000) - 10000;
  });
}

void t.test('when audio goes through the worker thread, then it comes back exactly as the method gives it in this thread', async (t) => {
  const input = noise(20_000);
  const blocks = [input.subarray(0, 7_000), input.subarray(7_000, 7_000), input.subarray(7_000)];
  const here: number[] = [];
  for await (const block of anonymiseSamples(blocks, 0.83)) here.push(...block);
  const there: number[] = [];
  for await (const block of anonymiseInWorker(blocks, 0.83)) there.push(...block);
  t.equal(there.length, input.length);
  t.same(there, here);
  t.same(Array.from(input.subarray(0, 3)), Array.from(noise(3)), 'the caller’s blocks are not taken from it');
});

void t.test('when the audio source fails midway, then the failure reaches the caller and the worker ends', async (t) => {
  async function* failing(): AsyncGenerator<Int16Array> {
    yield noise(1_000);
    throw new Error('disk read failed');
  }
  const run = async (): Promise<void> => {
    for await (const block of anonymiseInWorker(failing(), 0.75)) void block;
  };
  await t.rejects(run(), { message: 'disk read failed' });
});
