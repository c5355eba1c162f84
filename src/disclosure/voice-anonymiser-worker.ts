/** The worker thread of the voice anonymiser (voice-anonymiser-thread.ts): one recording's stream. */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnonymiserRequest } from './voice-anonymiser-thread.js';
import { McAdamsStream } from './voice-anonymiser.js';

const stream = new McAdamsStream((workerData as { alpha: number }).alpha);
parentPort!.on('message', (request: AnonymiserRequest) => {
  const out = request.type === 'block' ? stream.push(request.samples) : stream.end();
  parentPort!.postMessage(out, [out.buffer as ArrayBuffer]);
});
