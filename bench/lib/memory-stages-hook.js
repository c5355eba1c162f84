/**
 * Preloaded into the service under measurement (`node --import bench/lib/memory-stages-hook.js
 * bin/tallennin.js start ...`): writes one JSON line per stage of the start to the file named by
 * TALLENNIN_MEMORY_STAGES, with the process's resident memory (VmRSS, VmHWM: all threads), the
 * main thread's V8 heap and, once started, the capture thread's own heap (its 1 s stats).
 * The stages come from the service's `tallennin:start-stage` diagnostics channel (src/main.ts);
 * SIGUSR2 adds a sample named by TALLENNIN_MEMORY_STAGE_NAME (default "live") on demand.
 * Only node's built-ins are loaded here, so the bare process is measured as node starts it.
 */
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync, readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const out = process.env.TALLENNIN_MEMORY_STAGES;
if (out === undefined) throw new Error('TALLENNIN_MEMORY_STAGES names the file the stages go to');
let appliance;
let captureHeap = null;

function sample(stage) {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  const heap = getHeapStatistics();
  const usage = process.memoryUsage();
  const line = {
    stage,
    rssKb: field('VmRSS'),
    hwmKb: field('VmHWM'),
    threads: field('Threads'),
    heapUsedBytes: heap.used_heap_size,
    heapTotalBytes: heap.total_heap_size,
    externalBytes: usage.external,
    arrayBuffersBytes: usage.arrayBuffers,
    captureHeap,
    activeCalls: appliance?.capture.activeCalls().length ?? null,
    history: appliance?.history.stats() ?? null,
  };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
}

// Workers run the --import preloads too (the capture thread's heap comes in its stats instead),
// and so does the password hasher's process, which inherits node's options: it has its own row.
if (isMainThread && process.argv[1]?.endsWith('tallennin.js')) {
  sample('bare-node');
  subscribe('tallennin:start-stage', (message) => {
    if (message.appliance !== undefined) {
      appliance = message.appliance;
      appliance.capture.on('stats', (stats) => (captureHeap = stats.heap ?? null));
    }
    sample(message.stage);
  });
  process.on('SIGUSR2', () => sample(process.env.TALLENNIN_MEMORY_STAGE_NAME ?? 'live'));
}
