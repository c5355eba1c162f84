/**
 * The voice anonymiser runs in a worker thread: it costs about a seventh of the audio's duration
 * of one core (npm run bench:anonymiser), so a package of long calls on the service's own thread
 * would hold every request, and the capture path, for seconds at a time. The worker gets the
 * blocks one at a time and answers each with the samples that are final; a failure of the worker
 * fails the package (ANONYMISER_FAILED), never the service.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';

// The worker file sits next to this one: .js when built, .ts when the tests run the sources.
const WORKER_ENTRY = fileURLToPath(new URL(`./voice-anonymiser-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** What the worker is sent: the next block, or the end. */
export type AnonymiserRequest = { readonly type: 'block'; readonly samples: Int16Array } | { readonly type: 'end' };

export async function* anonymiseInWorker(blocks: AsyncIterable<Int16Array> | Iterable<Int16Array>, alpha: number): AsyncGenerator<Int16Array> {
  const worker = new Worker(WORKER_ENTRY, { workerData: { alpha } });
  let failure: Error | undefined;
  let waiting: { resolve: (samples: Int16Array) => void; reject: (err: Error) => void } | undefined;
  const fail = (err: Error): void => {
    failure ??= new AppError('ANONYMISER_FAILED', 'the voice anonymiser stopped', { cause: err });
    waiting?.reject(failure);
    waiting = undefined;
  };
  worker.on('message', (samples: Int16Array) => {
    waiting?.resolve(samples);
    waiting = undefined;
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`worker exited with ${code}`)));
  const ask = (request: AnonymiserRequest): Promise<Int16Array> =>
    new Promise((resolve, reject) => {
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      waiting = { resolve, reject };
      worker.postMessage(request, request.type === 'block' ? [request.samples.buffer as ArrayBuffer] : []);
    });
  try {
    for await (const block of blocks) {
      // A copy the worker can own: the caller's block may be a view into a larger buffer.
      const out = await ask({ type: 'block', samples: Int16Array.from(block) });
      if (out.length > 0) yield out;
    }
    const rest = await ask({ type: 'end' });
    if (rest.length > 0) yield rest;
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
