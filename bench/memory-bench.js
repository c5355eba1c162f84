/**
 * Where the service's memory goes (never part of `npm test`): the service started as the unit
 * starts it (`tallennin start`, with the unit's Environment= and node options), a full history
 * (180,000 contact records, the demo's generator) and 120 channels live at real time from the
 * firmware's host build. A preloaded hook (lib/memory-stages-hook.js) measures the process at
 * each stage of the start (src/main.ts, the `tallennin:start-stage` channel): resident memory of
 * the whole process (VmRSS, and VmHWM its peak so far), the main thread's V8 heap and the capture
 * thread's own heap. Then the cost of importing each large package, each in a fresh process.
 *
 *   npm run bench:memory [-- --days N --calls N --channels N --live S --plain --env K=V
 *                            --node-arg X --no-modules --no-docs]
 * --plain: a bare `node bin/tallennin.js start` (without the unit's settings), for a before/after.
 * Writes its section of docs/benchmarks.md (not with --plain, --env or --node-arg) and prints the tables.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BRIDGE_SIM, FLOOD_CALLED_NUMBER, REPO_ROOT, ensureSimulator, makeTempDir, oneCallPerChannel, removeTempDirs, startService } from './lib/setup.js';
import { killAll, sleep, startChild, stopChild } from './lib/children.js';
import { childPids, machineInfo, memoryKb } from './lib/proc.js';
import { writeSection } from './lib/docs-section.js';
import { unitLaunch } from './lib/unit-launch.js';

const dist = (path) => import(join(REPO_ROOT, 'dist', path));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const repeated = (name) => args.flatMap((arg, i) => (arg === name ? [args[i + 1]] : []));
const DAYS = option('--days', 90);
const CALLS = option('--calls', 2000);
const CHANNELS = option('--channels', 120);
const LIVE_S = option('--live', 20);
const PLAIN = args.includes('--plain');
const EXTRA_ENV = Object.fromEntries(repeated('--env').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const EXTRA_NODE_ARGS = repeated('--node-arg');
const WRITE_DOCS = !args.includes('--no-docs') && !PLAIN && repeated('--env').length === 0 && EXTRA_NODE_ARGS.length === 0;
const HOOK = join(REPO_ROOT, 'bench', 'lib', 'memory-stages-hook.js');

/** The packages the service uses, heaviest suspects first; each imported alone in a fresh process. */
const PACKAGES = ['pdfkit', 'age-encryption', 'serialport', 'nodemailer', '@zxcvbn-ts/language-common', 'zod', 'express', 'net-snmp', 'libphonenumber-js/max', 'prom-client', 'systeminformation', 'ml-matrix', 'qrcode', 'reflect-metadata + @peculiar/x509', 'tar', 'argon2', 'helmet', 'lowdb', 'otpauth', 'node-wav'];

/** Measured by hand on 2026-11-30 with this script (load average 9-13 on 2 cores: other work ran) and kept as written: not rewritten by the runs. */
const READING = `### The cuts, one at a time (measured 2026-11-30, not rewritten by the runs)
Peak resident memory (VmHWM) of the service with 180,000 records and 120 live channels, each
step measured with this script (\`--plain\`, \`--env\`, \`--node-arg\` for the steps before the
unit had them); memory figures are little disturbed by the machine's load, but they do vary
from run to run by up to ~30 MB (below):

| step | modules imported | history index built | capture thread started | 120 channels live | peak |
|---|---|---|---|---|---|
| before (every package imported at start, plain \`node\`) | +93.9 MB | +57.5 MB | +19.0 MB | +46.0 MB | 260.3 MB |
| rarely used packages loaded at first use | +50.6 MB | +89.3 MB | +1.7 MB | +24.3 MB | 211.2 MB |
| + \`MALLOC_ARENA_MAX=2\` | +48.7 MB | +84.4 MB | +11.5 MB | +13.7 MB | 203.9 MB |
| + \`MALLOC_MMAP_THRESHOLD_=131072\` | +50.3 MB | +52.6 MB | +15.3 MB | +17.1 MB | 182.1 MB |
| + \`--max-semi-space-size=2\`, capture thread young generation 8 MB | +40.4 MB | +48.2 MB | +15.7 MB | +8.2 MB | 157.8 MB |
| the same with 4 MB semi-spaces | +40.0 MB | +62.2 MB | +16.9 MB | +13.3 MB | 175.8 MB |
| the same with 1 MB semi-spaces, capture thread 4 MB | +39.3 MB | +72.7 MB | +11.9 MB | -44.9 MB (a late full GC) | 177.3 MB |
| as shipped (unit: the two malloc settings, 2 MB semi-spaces; capture thread 6 MB), 4 runs | +40.7 MB | +57.9 to +64.0 MB | +12.6 to +16.1 MB | +7.3 to +9.4 MB | 166.8, 167.7, 168.5, 170.6 MB |
| as shipped, a run where the allocator gave the build's garbage back | +40.5 MB | +29.1 MB | +14.8 MB | +9.3 MB | 143.8 MB |
| + the index sized while it is built (one step, not six growths by half), 2 runs | +38 to +41 MB | +29.7, +33.5 MB | +14.5, +16.2 MB | +9.9, +5.9 MB | 140.6, 141.9 MB |

- **What the start imports** (+94 MB before, +40 MB now). pdfkit and its fonts, qrcode,
  age-encryption (with @noble's curves and post-quantum code), tar, @peculiar/x509 with
  reflect-metadata (needed only to make the self-signed certificate at the first start), the
  breached-password list of @zxcvbn-ts (read at the first password set), serialport's native
  binding (the capture thread reads the line through its own tty binding) and the CLI's other
  commands (the demo's simulators) are loaded when used. nodemailer and net-snmp were already
  loaded by the first delivery; ml-matrix is no longer reached from the research desk (the
  McAdams coefficient is drawn in a module of its own). What a start still imports: zod
  (21 schema files, ~11 MB alone), express, libphonenumber-js with its full metadata (~10 MB in
  each of the two threads; its single-file browser bundle costs 2.8 MB but is not an exported
  entry of the package), prom-client, systeminformation, lowdb, argon2's binding, otpauth.
  \`test/integration/start-imports.test.ts\` keeps the rarely used packages out of the start.
- **The allocator.** Every thread that allocates (main, capture thread, libuv's 16 pool
  threads, V8's helpers) had a glibc arena of its own, each keeping what was freed in it:
  \`MALLOC_ARENA_MAX=2\` (-7 MB). Blocks of 128 KiB and more (a day document decrypted and
  parsed at start, the index's arrays as they grow) are now mapped apart and unmapped when
  freed; without a fixed threshold glibc raises it after the first such free and keeps them
  in the heap (-22 MB). \`MALLOC_TRIM_THRESHOLD_\` adds nothing: a fixed mmap threshold
  already stops glibc from moving the trim threshold (143.8 and 168.5 MB with it, 166.8 and
  167.7 MB without).
- **V8's young generation.** By default each semi-space grows to 16 MB, so the main thread's
  heap reached 73 MB with 35 MB in use. 2 MB semi-spaces: 25-39 MB total (-24 MB at the
  peak). The index build takes as long either way (history alone, two runs each at load
  ~10: 3.1 and 2.0 s with node's defaults, 4.3 and 1.8 s with the unit's settings). 1 MB promotes the build's short-lived
  objects into the old generation (62 MB used after the build) and makes the peak worse. The
  capture thread gets the same 6 MB young generation (\`resourceLimits\`, 13-14 MB used of
  17 MB, 49 MB before) and an old-generation cap of 256 MB as a guard only. Its real time
  held: \`npm run bench:capture -- --window 30\` at load average 9-13 on 2 cores, 0 s of gaps
  in 120 recordings, event-loop delay p99 20 ms in the median second (11 ms on a quiet machine
  before the change; at this load most of it is the wait for a core).
- **The index's arrays** grew by half whenever full: six growths on the way to 180,000
  records, each leaving its discarded copy resident until V8 collected it (12 MB for the last
  one alone), and the last leaving up to half of the arrays unused. The build now sizes them as
  it reads: room for the days still to read, as busy as the busiest so far, and two days more
  (today's calls and tomorrow's before the purge frees a day's slots). The build's share fell
  from +58 to +64 MB (and run-to-run luck) to +30 to +34 MB.
- **The start-up read of the history** reads, decrypts and parses one day at a time and lets
  it go (\`ContactHistory.build\` keeps no day: \`bench/lib/history-memory-probe.js\`, the
  history alone in its own process after a forced GC, is 54 MB before the build and 89-91 MB
  after it, 94-96 MB at its peak, with the unit's settings; 137-139 MB after it and 137-141 MB
  at its peak with node's defaults; 22.3 MB of it typed arrays, ~7 MB strings and maps). What
  varies between runs of the service (+29 to +64 MB for the build) is how much of what the
  build freed V8 and the allocator have given back before the next stage.
- **120 open recordings** cost the capture thread little: an 8 KB chunk buffer, a cipher and a
  SHA-256 per call (~1 MB for 120); their audio is buffered only until the call's contact
  record is durable. What 120 calls add (+7 to +9 MB) is mostly garbage between two sweeps.

**Verdict.** Under 150 MB is reached with the index kept in memory: 134.7, 140.6 and 141.9 MB
in the runs after the last cut (the table above is one). With a client busy on the service as
well (\`npm run bench:capture\`: sign-ins, a search, a page and a health report every second) the
peak is 158 MB, 8 MB over: that part is not broken down yet. The margin is small, and run-to-run
variation of the allocator has been up to ~30 MB before the index was sized in one step: keep
this benchmark in the release checks. What is resident at the peak: node itself 44 MB, the
modules of a start 38-41 MB (zod, express, libphonenumber-js, prom-client, systeminformation),
the history index ~30 MB (22 MB of arrays, strings and maps), the capture thread 14-16 MB (a
second V8 isolate and its own copy of libphonenumber-js), 120 calls 6-10 MB. The password
hasher's process (argon2id, its own row) peaks at ~113 MB while a sign-in is hashed and is not
counted in the service's figure. The SQLite proposal ("Contact history at three months") would
take the index's ~30 MB out of the process; its figures stay as they are.`;

process.on('exit', killAll);
const step = (text) => process.stderr.write(`bench: ${text}\n`);

/** A box that has started before: its key, its self-signed certificate (made once) and the history. */
async function prepare(dataDir) {
  const { systemClock } = await dist('clock.js');
  const { silentLogger } = await dist('log.js');
  const { openStorage } = await dist('storage/open-storage.js');
  const { seedHistory } = await dist('history/seed-history.js');
  const { loadTlsMaterial } = await dist('http/tls-certificate.js');
  const storage = await openStorage({ dataDir, mode: 'demo', clock: systemClock, logger: silentLogger });
  await loadTlsMaterial({ dataDir, clock: systemClock, logger: silentLogger });
  if (DAYS * CALLS === 0) return;
  step(`seeding ${DAYS} days x ${CALLS} calls...`);
  await seedHistory(storage.documents, {
    days: DAYS,
    callsPerDay: CALLS,
    nowMs: Date.now(),
    serviceNumbers: ['+358912345678'],
    agents: ['2001', '2002', '2003', '2004'].map((extension) => ({ extension, name: `Agent ${extension}`, phone: `+35850100${extension}` })),
  });
}

const readStages = (file) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  } catch {
    return [];
  }
};

async function waitForStage(file, name, timeoutMs) {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const found = readStages(file).find((stage) => stage.stage === name);
    if (found !== undefined) return found;
    await sleep(100);
  }
  throw new Error(`no "${name}" stage within ${timeoutMs} ms`);
}

/** The service with the full history and CHANNELS live calls: a sample per stage. */
async function stages() {
  const dir = await makeTempDir('tallennin-memory-bench-');
  await prepare(join(dir, 'data'));
  const scenarioFile = join(dir, 'live.scenario');
  await writeFile(scenarioFile, oneCallPerChannel(CHANNELS, (LIVE_S + 30) * 1000));
  const sim = startChild(BRIDGE_SIM, ['--scenario', scenarioFile, '--link', join(dir, 'bridge.link'), '--wait-hello', '--quiet']);
  await sim.waitForLine('stdout', (line) => line.startsWith('PTY '), 10_000, 'its PTY line');
  const launch = PLAIN ? { env: {}, nodeArgs: [] } : unitLaunch();
  const stagesFile = join(dir, 'stages.jsonl');
  const env = { ...process.env, ...launch.env, ...EXTRA_ENV, TALLENNIN_MEMORY_STAGES: stagesFile };
  const nodeArgs = [...launch.nodeArgs, ...EXTRA_NODE_ARGS, '--import', HOOK];
  step(`starting the service: node ${nodeArgs.join(' ')} bin/tallennin.js start; environment ${JSON.stringify({ ...launch.env, ...EXTRA_ENV })}`);
  const launchedAt = performance.now();
  const { service } = await startService(dir, { recordedNumbers: [FLOOD_CALLED_NUMBER], extraNodeArgs: nodeArgs, env });
  const linkUp = service.waitForLine('stderr', (line) => line.includes('"bridge link up"'), 300_000, 'bridge link up');
  linkUp.catch(() => undefined);
  await service.waitForLine('stderr', (line) => line.includes('"service started"'), 300_000, 'service started');
  const startedMs = performance.now() - launchedAt;
  step(`service started in ${(startedMs / 1000).toFixed(2)} s`);
  await linkUp;
  const pid = service.child.pid;
  step(`${CHANNELS} calls for ${LIVE_S} s...`);
  let hasherHwmKb = 0;
  for (let second = 0; second < LIVE_S; second++) {
    await sleep(1000);
    for (const child of childPids(pid)) hasherHwmKb = Math.max(hasherHwmKb, memoryKb(child)?.hwmKb ?? 0);
  }
  process.kill(pid, 'SIGUSR2');
  const live = await waitForStage(stagesFile, 'live', 10_000);
  const atEnd = memoryKb(pid);
  await stopChild(service, 60_000);
  await stopChild(sim, 5000);
  const samples = readStages(stagesFile);
  return { startedMs, samples, live, peakKb: Math.max(atEnd?.hwmKb ?? 0, ...samples.map((s) => s.hwmKb)), hasherHwmKb, env: { ...launch.env, ...EXTRA_ENV }, nodeArgs: [...launch.nodeArgs, ...EXTRA_NODE_ARGS] };
}

/** RSS and heap a package adds when imported alone after node's own built-ins, after a full GC. */
function importCost(specifier) {
  const script = `
    import { readFileSync } from 'node:fs';
    await Promise.all(['node:crypto', 'node:https', 'node:http', 'node:net', 'node:tls', 'node:stream', 'node:zlib', 'node:worker_threads', 'node:child_process', 'node:dgram', 'node:events', 'node:util', 'node:fs/promises'].map((m) => import(m)));
    const rss = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
    globalThis.gc(); globalThis.gc();
    const before = { rss: rss(), heap: process.memoryUsage().heapUsed };
    for (const name of ${JSON.stringify(specifier.split(' + '))}) await import(name);
    globalThis.gc(); globalThis.gc();
    console.log(JSON.stringify({ rssKb: rss() - before.rss, heapBytes: process.memoryUsage().heapUsed - before.heap }));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim());
}

const mb = (kb) => `${(kb / 1000).toFixed(1)} MB`;
const mbBytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const STAGE_NAMES = {
  'bare-node': 'bare node (the launcher, nothing of the service imported)',
  'modules-loaded': "the service's modules imported (`tallennin start` up to startAppliance)",
  'storage-open': 'storage open (master key, key hierarchy, documents, recordings store)',
  'history-indexed': `the history's index built (${(DAYS * CALLS).toLocaleString('en')} records)`,
  'capture-thread-ready': 'the capture thread started and ready',
  'http-listening': 'the HTTPS server listening (accounts, audit trail, doors, cases, health)',
  started: '"service started"',
  live: `${CHANNELS} channels live for ${LIVE_S} s`,
};

function stageTable(result) {
  const rows = ['| stage | VmRSS | added | VmHWM (peak so far) | main thread heap used / total | capture thread heap used / total | threads |', '|---|---|---|---|---|---|---|'];
  let previous = 0;
  for (const s of result.samples) {
    const capture = s.captureHeap === null ? '' : `${mbBytes(s.captureHeap.usedBytes)} / ${mbBytes(s.captureHeap.totalBytes)}`;
    const live = s.stage === 'live' ? ` (${s.activeCalls} calls in progress)` : '';
    rows.push(`| ${STAGE_NAMES[s.stage] ?? s.stage}${live} | ${mb(s.rssKb)} | ${previous === 0 ? '' : `${s.rssKb >= previous ? '+' : ''}${mb(s.rssKb - previous)}`} | ${mb(s.hwmKb)} | ${mbBytes(s.heapUsedBytes)} / ${mbBytes(s.heapTotalBytes)} | ${capture} | ${s.threads} |`);
    previous = s.rssKb;
  }
  rows.push(`| **peak of the service (VmHWM, all threads), start to stop** | | | **${mb(result.peakKb)}** | | | |`);
  rows.push(`| launch to "service started" (the index of every day built) | ${(result.startedMs / 1000).toFixed(2)} s | | | | | |`);
  rows.push(`| the password hasher's process, own row (peak) | | | ${result.hasherHwmKb === 0 ? 'not started (no sign-in)' : mb(result.hasherHwmKb)} | | | |`);
  return rows.join('\n');
}

function moduleTable(costs) {
  const rows = ['| package | resident memory added | V8 heap added |', '|---|---|---|'];
  for (const [name, cost] of costs) rows.push(`| ${name} | ${mb(cost.rssKb)} | ${mbBytes(cost.heapBytes)} |`);
  return rows.join('\n');
}

async function main() {
  ensureSimulator();
  const result = await stages();
  const stageText = stageTable(result);
  console.log(stageText);
  let moduleText = '';
  if (!args.includes('--no-modules')) {
    step('import cost of each package...');
    const costs = PACKAGES.map((name) => [name, importCost(name)]);
    costs.push(['the service (dist/main.js: everything `tallennin start` imports)', importCost(join(REPO_ROOT, 'dist', 'main.js'))]);
    moduleText = moduleTable(costs);
    console.log(`\n${moduleText}

${READING}`);
  }
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\npeak ${mb(result.peakKb)} (target < 150 MB: ${result.peakKb < 150_000 ? 'PASS' : 'FAIL'}); load average ${load}`);
  if (WRITE_DOCS) {
    await writeSection(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'memory-bench', `## Where the memory goes (\`npm run bench:memory\`)

Written by the last run (${new Date().toISOString()}); machine ${JSON.stringify(machineInfo())}, load average at the end ${load}.
The service as the unit starts it: \`node ${[...result.nodeArgs].join(' ')} bin/tallennin.js start\` with ${Object.keys(result.env).length === 0 ? 'no environment of its own' : Object.entries(result.env).map(([k, v]) => `\`${k}=${v}\``).join(', ')} (read from systemd/tallennin.service),
${(DAYS * CALLS).toLocaleString('en')} contact records (the demo's generator), ${CHANNELS} channels at real time from the firmware's host build.

| measurement | value | target | result |
|---|---|---|---|
| Peak resident memory (VmHWM) of the service, all threads, capture thread included, ${(DAYS * CALLS).toLocaleString('en')} records and ${CHANNELS} channels live | ${mb(result.peakKb)} | < 150 MB | ${result.peakKb < 150_000 ? 'PASS' : 'FAIL'} |

The process at each stage of its start (a hook preloaded with \`--import\` samples \`/proc/self/status\`
and \`v8.getHeapStatistics()\` on the service's \`tallennin:start-stage\` diagnostics channel; the
capture thread reports its own heap in its 1 s stats):

${stageText}

What each package costs when it is imported alone in a fresh \`node\` that has already loaded the
built-ins the service uses (resident memory and V8 heap after a full GC; packages that share
dependencies each count them, so the rows do not add up):

${moduleText}

${READING}`);
  }
  if (!args.includes('--keep')) removeTempDirs();
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
