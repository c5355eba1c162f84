/**
 * The capture thread's entry (node:worker_threads): runs the capture engine with the start
 * data the main thread gave (capture-thread.ts). An error nobody caught ends the thread; the
 * main thread notices and starts another, which takes the calls in progress over.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureEngine } from './capture-engine.js';
import type { CaptureControl, CaptureEvent, CapturePort, CaptureStart } from './capture-messages.js';

if (parentPort === null) throw new Error('capture-worker runs only as a worker thread');
const port = parentPort as unknown as CapturePort<CaptureControl, CaptureEvent>;
const engine = await CaptureEngine.start(port, workerData as CaptureStart);
// Stopped: let the thread end once its last message is out.
port.on('message', (message) => {
  if (message.type === 'stop') void engine.stop().then(() => parentPort?.close());
});
