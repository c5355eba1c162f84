/**
 * The contact history alone in a fresh process (node --expose-gc): memory with the index of
 * every record built, then after a sweep of searches over every day. Prints one JSON line.
 *
 *   node --expose-gc bench/lib/history-memory-probe.js DATA_DIR
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './setup.js';

const dist = (path) => import(join(REPO_ROOT, 'dist', path));
const { systemClock } = await dist('clock.js');
const { silentLogger } = await dist('log.js');
const { openStorage } = await dist('storage/open-storage.js');
const { ContactHistory } = await dist('history/contact-history.js');

const memory = () => {
  globalThis.gc();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 1e6, heapUsedMb: m.heapUsed / 1e6, externalMb: (m.external + m.arrayBuffers) / 1e6 };
};
const before = memory();
const storage = await openStorage({ dataDir: process.argv[2], mode: 'demo', clock: systemClock, logger: silentLogger });
const history = new ContactHistory(storage.documents);
const started = performance.now();
await history.ready();
const buildMs = performance.now() - started;
const indexOnly = memory();
// The sweep: every page of the whole history, newest first, 50 records at a time.
let total = 0;
for (let offset = 0; ; offset += 50) {
  const page = await history.page({}, { order: 'desc', offset, limit: 50 });
  total = page.total;
  if (page.records.length < 50) break;
}
const afterSweep = memory();
const stats = history.stats();
process.stdout.write(`${JSON.stringify({ buildMs, before, indexOnly, afterSweep, total, stats, peakRssMb: Number(/VmHWM:\s+(\d+)/.exec(await (await import('node:fs/promises')).readFile('/proc/self/status', 'utf8'))?.[1]) / 1000 })}\n`);
