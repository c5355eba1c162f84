/**
 * Benchmark of the contact history at three months (never part of `npm test`): 180,000 contact
 * records (90 days x 2,000, made by the demo's generator, src/history/seed-history.ts), the
 * service's memory with its index built and after a sweep of searches, the time to start, and
 * searches over HTTPS (audited) when their days are not in memory (cold) and when they are (warm).
 *
 *   npm run build && node bench/history-bench.js [--days N] [--calls N] [--no-docs]
 * Writes its section of docs/benchmarks.md and prints the table.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { URLSearchParams } from 'node:url';
import { REPO_ROOT, makeTempDir, removeTempDirs } from './lib/setup.js';
import { killAll, startChild, stopChild } from './lib/children.js';
import { machineInfo, memoryKb } from './lib/proc.js';
import { writeSection } from './lib/docs-section.js';
import { seedThreeMonths } from './lib/seed-history.js';
import { administratorAndSupervisor, apiClient } from './lib/api-client.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const DAYS = option('--days', 90);
const CALLS = option('--calls', 2000);
const PASSWORD = 'kuusi kettua juoksee metsässä';
const DAY_MS = 24 * 3600_000;
const COLD_SEARCHES = 60;
const WARM_SEARCHES = 60;

process.on('exit', killAll);

/** Measured once by hand (2026-11-30, load average ~18 on 2 cores) and kept as written: not rewritten by the runs. */
const VERDICT = `### What the memory target needs (measured 2026-11-30, not rewritten by the runs)
- Searches meet their target with the index, even in a run at load average ~18 on 2 cores: by
  caller cold p95 28 ms and warm p95 41 ms over HTTPS with the committed audit entry, paging p95
  6 ms (the table above is the last run).
- Memory does not: the service with an empty history peaks at 111 MB after start (115 MB after
  the searches); with 180,000 records at 189-199 MB (five runs). What the history adds: the index's typed arrays
  (22 MB: times, interned ids, call ids as bytes, the hash table of call ids), its strings and
  maps on the JS heap (about 7 MB: 60,000 distinct callers), and about 45 MB that the allocator
  and V8 keep after reading and decrypting 90 day documents at start (a young generation grown to
  its maximum, freed malloc chunks not returned). \`MALLOC_MMAP_THRESHOLD_=131072\` brings the
  history alone from 133 to 115 MB after the build (its peak stays ~132 MB);
  \`--max-semi-space-size=1\` to 114 MB at a 60 % slower build. Even with no slack at all the
  index costs ~30 MB on top of a 111 MB service, before the 120 live channels (\`npm run bench\`:
  145 MB peak recording them with an empty history): under 150 MB is out of reach for any index
  kept in the service's memory with node's default settings. (Later the same day: with the
  start's rarely used packages loaded at first use, the unit's allocator and V8 settings and
  the index sized in one step, the service peaks at ~141 MB with 180,000 records and 120 live
  channels: "Where the memory goes" below.)
- The store that can: SQLite through \`better-sqlite3@12\` (12.11.1; 13.x needs Node 22). The same
  180,000 records in one table with indexes on (caller, started_at), started_at, recording_id and
  the open calls, an 8 MB page cache: the process grows by 11 MB (50 to 62 MB peak), nothing to
  build at start, a caller page plus its count cold p95 2.9 ms and warm 0.05 ms in process. Deep
  pages by OFFSET cost up to 89 ms (p95) and want keyset paging. The documents are encrypted at
  rest today; SQLite would need the same (\`better-sqlite3-multiple-ciphers\`, SQLCipher-compatible,
  or the personal fields encrypted per row), which is a decision to take before switching.`;

async function seed(dataDir) {
  const { report, seedMs, callerCounts } = await seedThreeMonths(dataDir, { days: DAYS, callsPerDay: CALLS });
  // Callers for the cold searches: each called on a handful of days spread over the 90, so each
  // search reads days a search before it did not (4 days stay in memory).
  const callers = [...callerCounts.entries()].filter(([, n]) => n >= 5 && n <= 60).map(([caller]) => caller);
  const frequent = [...callerCounts.entries()].sort((a, b) => b[1] - a[1])[0];
  return { report, seedMs, callers: callers.slice(0, COLD_SEARCHES + 1), frequent };
}

async function main() {
  const dir = await makeTempDir('tallennin-history-bench-');
  const dataDir = join(dir, 'data');
  console.error(`seeding ${DAYS} days x ${CALLS} calls...`);
  const { report, seedMs, callers, frequent } = await seed(dataDir);
  globalThis.gc?.();

  // --- The history alone, in its own process: heap and RSS with the index, then after a sweep.
  const probe = JSON.parse(execFileSync(process.execPath, ['--expose-gc', join(REPO_ROOT, 'bench/lib/history-memory-probe.js'), dataDir], { encoding: 'utf8' }));

  // --- The service.
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ mode: 'demo', dataDir, bridge: { path: join(dir, 'no-bridge') }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'info' } }));
  const launchedAt = performance.now();
  const service = startChild(process.execPath, [join(REPO_ROOT, 'bin/tallennin.js'), 'start', '--config', configPath]);
  const listening = await service.waitForLine('stderr', (line) => line.includes('"web UI listening"') && JSON.parse(line), 120_000, 'the web UI');
  await service.waitForLine('stderr', (line) => line.includes('"service started"'), 120_000, 'service started');
  const startMs = performance.now() - launchedAt;
  const pid = service.child.pid;
  const atStart = memoryKb(pid);
  const port = listening.result.port;
  const tokenLine = await service.waitForLine('stdout', (line) => /^\s+[A-Z2-9]{4}(-[A-Z2-9]{4}){7}$/.test(line), 10_000, 'the setup token');
  const ca = await readFile(join(dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const client = apiClient({ port, ca });
  await administratorAndSupervisor(client, tokenLine.line.trim(), PASSWORD);
  const userCookie = { value: undefined };
  const userCsrf = { value: undefined };
  const supervisor = client(userCookie, userCsrf);
  userCsrf.value = JSON.parse((await supervisor('POST', '/api/v1/session', { username: 'esihenkilo', password: PASSWORD })).body).csrfToken;
  const beforeSearches = memoryKb(pid);

  const fromIso = new Date(Date.now() - (DAYS + 1) * DAY_MS).toISOString();
  const toIso = new Date(Date.now() + 60_000).toISOString();
  const search = async (params) => {
    const r = await supervisor('GET', `/api/v1/calls?${new URLSearchParams({ from: fromIso, to: toIso, pageSize: '50', ...params })}`);
    if (r.status !== 200) throw new Error(`search answered ${r.status}: ${r.body}`);
    return r;
  };
  // Cold: the first search after the start, then each search by a caller not searched before.
  const first = await search({ caller: callers[0] });
  const coldMs = [first.totalMs];
  for (const caller of callers.slice(1)) coldMs.push((await search({ caller })).totalMs);
  // Warm: the same search again and again (its days in memory).
  const warmMs = [];
  for (let i = 0; i < WARM_SEARCHES; i++) warmMs.push((await search({ caller: frequent[0] })).totalMs);
  // Paging: the whole history, newest first, every 10th page of 50 back to the oldest (cold days).
  const pageMs = [];
  const pages = Math.ceil((DAYS * CALLS) / 50);
  for (let page = 1; page <= pages; page += 10) pageMs.push((await search({ page: String(page) })).totalMs);
  const afterSweep = memoryKb(pid);
  await stopChild(service, 20_000);

  const p = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
  const f = (ms) => `${ms.toFixed(1)} ms`;
  const mb = (kb) => `${(kb / 1000).toFixed(1)} MB`;
  const records = report.records.toLocaleString('en');
  const rows = [
    [`Service peak resident memory (VmHWM) with ${records} records: after start (index built) / after the searches below`, `${mb(atStart.hwmKb)} / ${mb(afterSweep.hwmKb)}`, '< 150 MB (no live channels here)', afterSweep.hwmKb < 150_000],
    ['Service resident memory (VmRSS): after start / signed in / after the searches', `${mb(atStart.rssKb)} / ${mb(beforeSearches.rssKb)} / ${mb(afterSweep.rssKb)}`, 'reference', null],
    ['History alone (own process, after GC): JS heap / RSS, index only', `${probe.indexOnly.heapUsedMb.toFixed(1)} MB / ${probe.indexOnly.rssMb.toFixed(1)} MB (empty process: ${probe.before.heapUsedMb.toFixed(1)} / ${probe.before.rssMb.toFixed(1)} MB; typed arrays ${(probe.stats.indexTypedBytes / 1e6).toFixed(1)} MB)`, 'reference', null],
    ['History alone: JS heap / RSS after paging through all records (day documents in memory at most)', `${probe.afterSweep.heapUsedMb.toFixed(1)} MB / ${probe.afterSweep.rssMb.toFixed(1)} MB (peak ${probe.stats.peakDaysInMemory} days; peak RSS ${probe.peakRssMb.toFixed(1)} MB)`, 'reference', null],
    ['Time from launch to "service started" (index of every day built)', `${(startMs / 1000).toFixed(2)} s (index build alone: ${(probe.buildMs / 1000).toFixed(2)} s)`, 'reference', null],
    ['Search by caller over HTTPS, audited: the first after the start', f(first.totalMs), '< 50 ms', first.totalMs < 50],
    [`Search by caller over HTTPS, audited, cold (${coldMs.length} callers never searched before), p50 / p95`, `${f(p(coldMs, 0.5))} / ${f(p(coldMs, 0.95))}`, 'p95 < 50 ms', p(coldMs, 0.95) < 50],
    [`Search by caller over HTTPS, audited, warm (the same caller ${WARM_SEARCHES} times), p50 / p95`, `${f(p(warmMs, 0.5))} / ${f(p(warmMs, 0.95))}`, 'p95 < 50 ms', p(warmMs, 0.95) < 50],
    [`Paging the whole history over HTTPS (every 10th page of 50, ${pageMs.length} pages), p50 / p95`, `${f(p(pageMs, 0.5))} / ${f(p(pageMs, 0.95))}`, 'p95 < 50 ms', p(pageMs, 0.95) < 50],
  ];
  const table = ['| measurement | value | target | result |', '|---|---|---|---|', ...rows.map(([a, b, c, d]) => `| ${a} | ${b} | ${c} | ${d === null ? '' : d ? 'PASS' : 'FAIL'} |`)].join('\n');
  console.log(table);
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  if (!args.includes('--no-docs')) {
    await writeSection(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'history-bench', `## Contact history at three months (\`npm run bench:history\`)

Written by the last run of \`npm run bench:history\` (${new Date().toISOString()}); machine ${JSON.stringify(machineInfo())}, load average at the end ${load}.
${records} records (${DAYS} days x ${CALLS.toLocaleString('en')}) made by the demo's generator (\`src/history/seed-history.ts\`, the same as \`tallennin demo --seed-history ${DAYS}:${CALLS}\`), seeded in ${(seedMs / 1000).toFixed(1)} s.

${table}

- The service runs as \`tallennin start\` with no bridge (no live channels: the capture path's
  memory is measured by \`npm run bench\`), signs in a supervisor and searches as the web UI
  does. VmHWM is the peak resident set of the whole process (all threads).
- The history alone: the index and the day cache in a fresh process, after a forced GC. The
  index holds every record's searchable fields in typed arrays (times, interned numbers,
  extensions and names, call and recording ids as 16 bytes); at most 4 day documents stay in
  memory, least recently used closed first.
- The index rebuilds the records of a page, so no search reads a day document; "cold" is a
  caller never searched before (nothing of it in any cache), "warm" the same search repeated.
  Every search over HTTPS waits for its audit entry to be committed (an fdatasync).

${VERDICT}`);
  }
  if (!args.includes('--keep')) removeTempDirs();
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
