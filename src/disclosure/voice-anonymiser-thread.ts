/**
 * The voice anonymiser runs in a worker thread: it costs about a seventh of the audio's duration
 * of one core (npm run bench:anonymiser), so a package of long calls on the service's own thread
 * would hold every request, and the capture path, for seconds at a time. One thread serves a
 * whole package, one recording after the other: each recording starts a new stream with its own
 * coefficient, and each block sent is answered with the samples that are final. A failure of the
 * worker fails the package (ANONYMISER_FAILED), never the service.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';

// The worker file sits next to this one: .js when built, .ts when the tests run the sources.
const WORKER_ENTRY = fileURLToPath(new URL(`./voice-anonymiser-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** What the worker is sent: a new stream, its next block, or its end. */
export type AnonymiserRequest = { readonly type: 'start'; readonly alpha: number } | { readonly type: 'block'; readonly samples: Int16Array } | { readonly type: 'end' };

export class AnonymiserThread {
  private readonly worker = new Worker(WORKER_ENTRY);
  private failure: Error | undefined;
  private waiting: { resolve: (samples: Int16Array) => void; reject: (err: Error) => void } | undefined;

  constructor() {
    const fail = (err: Error): void => {
      this.failure ??= new AppError('ANONYMISER_FAILED', 'the voice anonymiser stopped', { cause: err });
      this.waiting?.reject(this.failure);
      this.waiting = undefined;
    };
    this.worker.on('message', (samples: Int16Array) => {
      this.waiting?.resolve(samples);
      this.waiting = undefined;
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`worker exited with ${code}`)));
  }

  /** One speaker's audio through the method with coefficient `alpha`: as many samples out as in. */
  async *anonymise(blocks: AsyncIterable<Int16Array> | Iterable<Int16Array>, alpha: number): AsyncGenerator<Int16Array> {
    if (this.failure !== undefined) throw this.failure;
    this.worker.postMessage({ type: 'start', alpha } satisfies AnonymiserRequest);
    for await (const block of blocks) {
      // A copy the worker can own: the caller's block may be a view into a larger buffer.
      const out = await this.ask({ type: 'block', samples: Int16Array.from(block) });
      if (out.length > 0) yield out;
    }
    const rest = await this.ask({ type: 'end' });
    if (rest.length > 0) yield rest;
  }

  async close(): Promise<void> {
    this.failure ??= new AppError('ANONYMISER_FAILED', 'the voice anonymiser thread has ended');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private ask(request: AnonymiserRequest): Promise<Int16Array> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      this.waiting = { resolve, reject };
      this.worker.postMessage(request, request.type === 'block' ? [request.samples.buffer as ArrayBuffer] : []);
    });
  }
}
