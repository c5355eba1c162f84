/** The worker thread of the voice anonymiser (voice-anonymiser-thread.ts): one recording's stream at a time. */
import { parentPort } from 'node:worker_threads';
import type { AnonymiserRequest } from './voice-anonymiser-thread.js';
import { McAdamsStream } from './mcadams-method.js';

let stream = new McAdamsStream(1);
parentPort!.on('message', (request: AnonymiserRequest) => {
  if (request.type === 'start') {
    stream = new McAdamsStream(request.alpha);
    return;
  }
  const out = request.type === 'block' ? stream.push(request.samples) : stream.end();
  parentPort!.postMessage(out, [out.buffer as ArrayBuffer]);
});
