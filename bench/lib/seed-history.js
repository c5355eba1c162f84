/**
 * A box three months into its life for the benchmarks: the demo's generator
 * (`src/history/seed-history.ts`, the same as `tallennin demo --seed-history DAYS:CALLS`) fills a
 * data directory's history, and `callerCounts` says how often each caller called, for the
 * searches a benchmark makes.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './setup.js';

const dist = (path) => import(join(REPO_ROOT, 'dist', path));

const AGENT_NAMES = ['Aino Asiakaspalvelija', 'Eero Esimerkki', 'Liisa Laaksonen', 'Matti Meikäläinen'];

/** Seeds `days` × `callsPerDay` contact records ending now; resolves with the report, the time it took and each caller's count. */
export async function seedThreeMonths(dataDir, { days, callsPerDay }) {
  const { systemClock } = await dist('clock.js');
  const { silentLogger } = await dist('log.js');
  const { openStorage } = await dist('storage/open-storage.js');
  const { seedHistory, syntheticDays } = await dist('history/seed-history.js');
  const storage = await openStorage({ dataDir, mode: 'demo', clock: systemClock, logger: silentLogger });
  const options = {
    days,
    callsPerDay,
    nowMs: Date.now(),
    serviceNumbers: ['+358912345678'],
    agents: ['2001', '2002', '2003', '2004'].map((extension, i) => ({ extension, name: AGENT_NAMES[i], phone: `+35850100${extension}` })),
  };
  const started = performance.now();
  const report = await seedHistory(storage.documents, options);
  const seedMs = performance.now() - started;
  const callerCounts = new Map();
  for (const day of syntheticDays(options)) for (const record of day.records) if (record.callerNumber !== null) callerCounts.set(record.callerNumber, (callerCounts.get(record.callerNumber) ?? 0) + 1);
  return { report, seedMs, callerCounts };
}
