/**
 * Benchmarks of the access path (never part of `npm test`): playback time-to-first-byte into a
 * 60-minute recording against nginx serving the same WAV unencrypted over TLS, contact-history
 * search over 180,000 records against sqlite3 on an indexed table, login latency, playback
 * during a 50-parallel login flood, and the real user's sign-in from their usual browser during
 * that flood's minute. The service runs as its own process (`tallennin start`).
 *
 *   npm run build && node --expose-gc bench/access-bench.js [--requests N] [--keep] [--profile DIR]
 * Writes docs/benchmarks-access.md and prints the table. --profile writes a V8 CPU profile of
 * the service into DIR (open it in Chrome's DevTools).
 */
import { execFileSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers';
import { request } from 'node:https';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, ensureTool, makeTempDir, removeTempDirs } from './lib/setup.js';
import { killAll, startChild, stopChild } from './lib/children.js';
import { machineInfo } from './lib/proc.js';
import { writeSection } from './lib/docs-section.js';
import { administratorAndSupervisor, apiClient } from './lib/api-client.js';

const dist = (path) => import(join(REPO_ROOT, 'dist', path));
const args = process.argv.slice(2);
const REQUESTS = Number(args[args.indexOf('--requests') + 1] ?? 0) || 1000;
const PROFILE_DIR = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined;
/** Short recordings, each opened once: the first range of a playback waits for a committed audit entry. */
const OPENINGS = 20;
const PASSWORD = 'kuusi kettua juoksee metsässä';
const DAY_MS = 24 * 3600_000;
const RANGE_BYTES = 64 * 1024;
/** The playback series under the flood runs at least this long. */
const FLOOD_SERIES_MS = 8000;
/** The whole flood lasts this long; the real user signs in from their usual browser every FLOOD_SIGN_IN_EVERY_MS of it. */
const FLOOD_MS = 60_000;
const FLOOD_SIGN_IN_EVERY_MS = 5000;
/** The flood comes from this many other addresses (127.0.0.2 and up), the real user from 127.0.0.1. */
const FLOOD_ADDRESSES = 50;

process.on('exit', killAll);

async function main() {
  ensureTool('nginx', 'nginx-light');
  ensureTool('sqlite3', 'sqlite3');
  const dir = await makeTempDir('tallennin-access-bench-');
  const dataDir = join(dir, 'data');
  // The seed lives in its own function: the 180,000 records it holds are garbage once it returns
  // and are collected before anything is timed, so the measuring client is not slowed by them.
  const { callId, openings, wavPath, probeCaller, fromIso, toIso, sqliteMs, engineMs } = await seed(dir, dataDir);
  globalThis.gc?.();

  // --- The service.
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ mode: 'demo', dataDir, bridge: { path: join(dir, 'no-bridge') }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'info' } }));
  const profileArgs = PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`];
  const service = startChild(process.execPath, [...profileArgs, join(REPO_ROOT, 'bin/tallennin.js'), 'start', '--config', configPath]);
  const listening = await service.waitForLine('stderr', (line) => line.includes('"web UI listening"') && JSON.parse(line), 60_000, 'the web UI');
  const port = listening.result.port;
  const tokenLine = await service.waitForLine('stdout', (line) => /^\s+[A-Z2-9]{4}(-[A-Z2-9]{4}){7}$/.test(line), 10_000, 'the setup token');
  const ca = await readFile(join(dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const client = apiClient({ port, ca });
  await administratorAndSupervisor(client, tokenLine.line.trim(), PASSWORD);
  const userCookie = { value: undefined };
  const userCsrf = { value: undefined };
  const supervisor = client(userCookie, userCsrf);
  const loginMs = [];
  for (let i = 0; i < 20; i++) {
    const r = await supervisor('POST', '/api/v1/session', { username: 'esihenkilo', password: PASSWORD });
    loginMs.push(r.totalMs);
    userCsrf.value = JSON.parse(r.body).csrfToken;
  }

  // --- Playback TTFB: random 64 KiB ranges, Tallennin vs nginx.
  const wavSize = (await readFile(wavPath)).length;
  const ranges = Array.from({ length: REQUESTS }, () => {
    const start = 44 + Math.floor(Math.random() * (wavSize - 44 - RANGE_BYTES));
    return `bytes=${start}-${start + RANGE_BYTES - 1}`;
  });
  /** The ranges once, or over and over until `forMs` has passed. */
  const playback = async (label, forMs = 0) => {
    const times = [];
    const started = performance.now();
    do {
      for (const range of ranges) {
        const r = await supervisor('GET', `/api/v1/calls/${callId}/audio`, undefined, { range });
        if (r.status !== 206) throw new Error(`${label}: playback answered ${r.status}`);
        times.push(r.firstByteMs);
      }
    } while (performance.now() - started < forMs);
    return times;
  };
  // nginx's workers run as www-data: the WAV's folders must be readable to them.
  await chmod(dir, 0o755);
  await chmod(join(dir, 'www'), 0o755);
  const nginxPort = 20000 + Math.floor(Math.random() * 20000);
  await writeFile(join(dir, 'nginx.conf'), `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'nginx-error.log')};
events {}
http { access_log off; server { listen 127.0.0.1:${nginxPort} ssl; ssl_certificate ${join(dataDir, 'tls', 'self-signed-cert.pem')}; ssl_certificate_key ${join(dataDir, 'tls', 'self-signed-key.pem')}; root ${join(dir, 'www')}; } }
`);
  const nginx = startChild('nginx', ['-c', join(dir, 'nginx.conf'), '-e', join(dir, 'nginx-error.log')]);
  // The floor of any Node service: the same TLS, the same 64 KiB from memory, no work at all.
  const bare = startChild(process.execPath, [join(REPO_ROOT, 'bench/lib/bare-https.js'), join(dataDir, 'tls', 'self-signed-cert.pem'), join(dataDir, 'tls', 'self-signed-key.pem')]);
  const barePort = Number((await bare.waitForLine('stdout', (line) => line.startsWith('port '), 10_000, 'the bare https server')).line.slice(5));
  await new Promise((r) => setTimeout(r, 500));
  const peerGet = (range, toPort) => new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: '127.0.0.1', port: toPort, path: '/call.wav', ca, servername: 'localhost', headers: { range } }, (r) => {
      let first;
      r.once('data', () => (first = performance.now() - started));
      r.on('data', () => undefined);
      r.on('end', () => resolve({ status: r.statusCode, firstByteMs: first }));
    });
    req.on('error', reject);
    req.end();
  });
  // The three servers answer the same ranges in turn, request by request: whatever else the
  // machine does at a moment slows all three alike, and the comparison is of the servers alone.
  const seekSeries = async (label) => {
    const times = { tallennin: [], nginx: [], bare: [] };
    for (const range of ranges) {
      const r = await supervisor('GET', `/api/v1/calls/${callId}/audio`, undefined, { range });
      if (r.status !== 206) throw new Error(`${label}: playback answered ${r.status}`);
      times.tallennin.push(r.firstByteMs);
      for (const [name, toPort] of [['nginx', nginxPort], ['bare', barePort]]) {
        const peer = await peerGet(range, toPort);
        if (peer.status !== 206) throw new Error(`${label}: ${name} answered ${peer.status}`);
        times[name].push(peer.firstByteMs);
      }
    }
    return times;
  };
  await seekSeries('warm-up');
  const { tallennin: tallenninTtfb, nginx: nginxTtfb, bare: bareTtfb } = await seekSeries('measured');
  // The same ranges to each server alone, back to back: each at its warmest (a second view).
  const alone = { tallennin: await playback('alone'), nginx: [], bare: [] };
  for (const [name, toPort] of [['nginx', nginxPort], ['bare', barePort]]) {
    for (const range of ranges) alone[name].push((await peerGet(range, toPort)).firstByteMs);
  }
  await stopChild(nginx, 5000);
  await stopChild(bare, 5000);
  const openingTtfb = [];
  for (const opening of openings) {
    const r = await supervisor('GET', `/api/v1/calls/${opening.callId}/audio`, undefined, { range: 'bytes=44-65579' });
    if (r.status !== 206) throw new Error(`opening a playback answered ${r.status}`);
    openingTtfb.push(r.firstByteMs);
  }

  // --- Search over 180,000 records.
  const searchMs = [];
  const query = `/api/v1/calls?caller=${encodeURIComponent(probeCaller)}&from=${encodeURIComponent(fromIso)}&to=${encodeURIComponent(toIso)}&pageSize=50`;
  await supervisor('GET', query);
  for (let i = 0; i < 50; i++) {
    const r = await supervisor('GET', query);
    if (r.status !== 200) throw new Error(`search answered ${r.status}`);
    searchMs.push(r.totalMs);
  }

  // --- At rest again, in the state the flood starts from (after the searches): the reference
  // for the flood, so that the comparison is of the flood alone.
  const restBeforeFlood = await playback('at rest before the flood');

  // --- Playback during a 50-parallel login flood, sent from its own process.
  const flood = startChild(process.execPath, [join(REPO_ROOT, 'bench/lib/login-flood.js'), String(port), join(dataDir, 'tls', 'self-signed-cert.pem'), 'esihenkilo', '50', String(FLOOD_ADDRESSES)]);
  await flood.waitForLine('stdout', (line) => line === 'flooding', 30_000, 'the login flood');
  const floodStarted = performance.now();
  await new Promise((r) => setTimeout(r, 300));
  // Long enough for the first attempts' hashing and then several rounds of held answers.
  const underFlood = await playback('during the login flood', FLOOD_SERIES_MS);
  // The rest of the flood's minute: the supervisor signs in from their usual browser (the device
  // cookie of the 20 logins above) every few seconds, as a person arriving at work would.
  const deviceSignIns = [];
  const floodMinute = async () => {
    for (let at = FLOOD_SERIES_MS + FLOOD_SIGN_IN_EVERY_MS; at <= FLOOD_MS; at += FLOOD_SIGN_IN_EVERY_MS) {
      await new Promise((r) => setTimeout(r, Math.max(0, floodStarted + at - performance.now())));
      const r = await supervisor('POST', '/api/v1/session', { username: 'esihenkilo', password: PASSWORD });
      deviceSignIns.push({ status: r.status, ms: r.totalMs });
      if (r.status === 201) userCsrf.value = JSON.parse(r.body).csrfToken;
    }
  };
  await floodMinute();
  // A browser the account does not know, with the right password, at the end of the minute.
  const stranger = await client({ value: undefined }, { value: undefined })('POST', '/api/v1/session', { username: 'esihenkilo', password: PASSWORD });
  const floodAnswers = flood.waitForLine('stdout', (line) => line.startsWith('answers '), 10_000, 'the flood count');
  flood.child.kill('SIGTERM');
  console.error(`login flood ${(await floodAnswers).line}`);
  await stopChild(service, 20_000);

  const p = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
  const f = (ms) => `${ms.toFixed(2)} ms`;
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  const rows = [
    ['Playback TTFB, seek: random 64 KiB range of a 60-min recording being played, p50 / p95', `${f(p(tallenninTtfb, 0.5))} / ${f(p(tallenninTtfb, 0.95))}`, 'p50 <= 2x nginx', p(tallenninTtfb, 0.5) <= 2 * p(nginxTtfb, 0.5)],
    ['Playback TTFB, first range of a playback (audit entry committed first), p50 / p95', `${f(p(openingTtfb, 0.5))} / ${f(p(openingTtfb, 0.95))}`, 'reference', null],
    ['Peer: nginx, same WAV unencrypted over TLS, p50 / p95', `${f(p(nginxTtfb, 0.5))} / ${f(p(nginxTtfb, 0.95))}`, 'reference', null],
    ['Floor: bare Node https server, 64 KiB from memory, p50 / p95', `${f(p(bareTtfb, 0.5))} / ${f(p(bareTtfb, 0.95))}`, 'reference', null],
    ['Second view, each server alone, back to back: Tallennin / nginx / bare Node, p50', `${f(p(alone.tallennin, 0.5))} / ${f(p(alone.nginx, 0.5))} / ${f(p(alone.bare, 0.5))} (${(p(alone.tallennin, 0.5) / p(alone.nginx, 0.5)).toFixed(1)}x nginx)`, 'reference', null],
    ['Search by caller over 180,000 records (90 days x 2,000) over HTTPS, audited, p50 / p95', `${f(p(searchMs, 0.5))} / ${f(p(searchMs, 0.95))}`, 'p95 < 50 ms', p(searchMs, 0.95) < 50],
    ['The same query in the contact history (in process), p50 / p95 / mean', `${f(p(engineMs, 0.5))} / ${f(p(engineMs, 0.95))} / ${f(mean(engineMs))}`, `<= 3x sqlite3 (${f(3 * p(sqliteMs, 0.5))})`, mean(engineMs) <= 3 * p(sqliteMs, 0.5)],
    ['Peer: sqlite3, indexed table, same query (mean of 1,000 in one session, median of 7)', f(p(sqliteMs, 0.5)), 'reference', null],
    ['Login (argon2id m=64 MiB t=3 p=1, in the worker under SCHED_BATCH, niceness 5), p50', f(p(loginMs, 0.5)), 'reference', null],
    ['Playback TTFB at rest just before the flood, p50 / p95', `${f(p(restBeforeFlood, 0.5))} / ${f(p(restBeforeFlood, 0.95))}`, 'reference', null],
    ['Playback TTFB during a 50-parallel login flood, p50 / p95', `${f(p(underFlood, 0.5))} / ${f(p(underFlood, 0.95))}`, `p95 <= 2x at rest just before (${f(2 * p(restBeforeFlood, 0.95))})`, p(underFlood, 0.95) <= 2 * p(restBeforeFlood, 0.95)],
    [
      `Real user sign-in during the ${FLOOD_MS / 1000} s flood (from ${FLOOD_ADDRESSES} other addresses), from their device: ${deviceSignIns.length} sign-ins, statuses / max`,
      `${[...new Set(deviceSignIns.map((r) => r.status))].join(', ')} / ${f(Math.max(...deviceSignIns.map((r) => r.ms)))}`,
      'all 201, each <= 5 s',
      deviceSignIns.every((r) => r.status === 201 && r.ms <= 5000),
    ],
    ['The right password from a browser the account does not know, at the end of the flood', `${stranger.status} in ${f(stranger.totalMs)}`, 'reference (429 while a flood attempt holds the account’s check, or once the account took its cap)', null],
  ];
  const table = ['| measurement | value | target | result |', '|---|---|---|---|', ...rows.map(([a, b, c, d]) => `| ${a} | ${b} | ${c} | ${d === null ? '' : d ? 'PASS' : 'FAIL'} |`)].join('\n');
  console.log(table);
  const machine = machineInfo();
  await writeFile(join(REPO_ROOT, 'docs', 'benchmarks-access.md'), `# Benchmarks of the access path

\`npm run bench:access\` (never part of \`npm test\`). Rewritten by every run.

- Date: ${new Date().toISOString()}
- Machine: ${JSON.stringify(machine)}
- ${REQUESTS} playback requests per series (after as many to warm up; during the flood, the series repeated for ${FLOOD_SERIES_MS / 1000} s); ${OPENINGS} playback openings; 50 searches over HTTPS, 1,000 in process; 20 logins.

${table}

## Method
- **Playback.** A 60-minute recording (180,000 ticks) written through the recording store, the
  service started as \`tallennin start\` in its own process, a supervisor signed in; random 64 KiB
  ranges of the WAV requested one after another over HTTPS (keep-alive) with the session cookie,
  as a player seeking around a recording it is playing. nginx serves the exported WAV from a
  plain file over TLS with the same certificate, and the bare Node server
  (\`bench/lib/bare-https.js\`) answers from memory with no work at all: the floor of any Node
  service on this machine. The three answer the same ranges in turn, request by request, so
  that whatever else the machine does slows all three alike. Time to first byte is measured in
  the client from the request to the first body byte. The target is judged on this interleaved
  series: a player asks for a range every few seconds, with the box busy with other work in
  between, never for a thousand in a row. The second view sends the same ranges to each server
  alone, back to back, where each has its caches to itself; the service gains most from that.
  Before its first byte, each range to
  Tallennin checks the session, reads the user, finds the call (index by id), writes its audit
  entry (hash chain, one write; committed with the next signed head within 250 ms,
  docs/audit-trail.md, "Durability"), reads the chunks under the range in one read, and
  decrypts and decodes the first of them; that first part is sent before the rest is decoded.
- **Opening a playback.** The first range of each of ${OPENINGS} one-minute recordings: the
  reader is opened (the seal checked over the whole file) and the audit entry is committed
  (fdatasync and a signed head) before the first byte.
- **Search.** 180,000 contact records in 90 daily documents; the query filters by caller and a
  90-day range and returns 50 rows. Over HTTPS the answer also waits for its committed audit
  entry. In process, the same query runs on the contact history's caller index. sqlite3 runs the
  same query on an indexed table of the same rows; its time per query is the difference between
  a session running it 1,001 times and one running it once.
- **Login.** Wall time of POST /api/v1/session with the production argon2id parameters; hashing
  runs in the worker process under SCHED_BATCH at niceness 5.
- **Login flood.** 50 clients in a separate process (\`bench/lib/login-flood.js\`, as attackers
  on other machines: ${FLOOD_ADDRESSES} loopback addresses from 127.0.0.2) send wrong passwords without pause while the playback series runs
  again, over and over for at least ${FLOOD_SERIES_MS / 1000} s. The first attempts are hashed (one at a time per account, in the
  worker; an attempt that overlaps the one being checked is refused at once); once each address has used its free attempts on the account, and the account its cap
  of failures from anywhere, the throttle answers without hashing, each answer held back for 1.5
  to 3 seconds. The reference is a series at rest run just before the flood, in the same state
  (after the searches), so that the comparison is of the flood alone.
- **Real user during the flood.** The flood goes on for ${FLOOD_MS / 1000} s in all; from the end of the
  playback series, every ${FLOOD_SIGN_IN_EVERY_MS / 1000} s, the supervisor signs in with the right password from their
  usual browser (127.0.0.1, with the device cookie its earlier sign-ins got). Wall time of each
  POST /api/v1/session. At the end, the right password from a browser without the cookie shows
  what the flood does to everyone else.

## Why playback misses 2x nginx (measured 2026-11-29, not rewritten by the runs)
- The bare Node https server, with no work at all, is already 1.3-1.5x nginx: 2x nginx leaves
  about 0.15 ms for everything a range needs before its first byte.
- Timed inside the service (medians from the request event, ranges interleaved as above):
  Express, helmet, the session and the policy 0.11 ms; finding the call 0.03 ms; the audit entry
  0.06 ms; reading the chunks 0.04 ms; decrypting and decoding the first part 0.04 ms; the first
  write 0.03 ms. About 0.32 ms in all.
- Served without Express at all (a trial, not kept), the same ranges took 2.2-2.4x nginx: the
  audit entry, the decryption and the read alone are more than the room left.
- Each server alone, back to back (the second view), gave 2.0-2.6x over three runs: at best at
  the target, never under it.
- Kept from that work: the first part of a range leaves before the rest is decoded (0.91 to
  0.73 ms), and entries nobody waits for are committed every 250 ms instead of every 10 ms (an
  fdatasync every 10 ms under a seeking player cost each range about 0.15 ms).
`);
  await writeSection(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'access-bench', `## Access path (\`npm run bench:access\`)

Written by the last run of \`npm run bench:access\` (${new Date().toISOString()}); the method and the
notes are in [benchmarks-access.md](benchmarks-access.md).

${table}`);
  if (!args.includes('--keep')) removeTempDirs();
}

/** The recordings, the contact history and the sqlite3 peer; times the in-process searches. */
async function seed(dir, dataDir) {
  const { systemClock } = await dist('clock.js');
  const { silentLogger } = await dist('log.js');
  const { openStorage } = await dist('storage/open-storage.js');
  const { ContactHistory } = await dist('history/contact-history.js');
  const { exportWav } = await dist('recording/wav-export.js');

  // --- Seed: a 60-minute recording and 180,000 contact records (90 days x 2,000 calls).
  console.error('seeding a 60-minute recording and 180,000 contact records...');
  const now = Date.now();
  const storage = await openStorage({ dataDir, mode: 'demo', clock: systemClock, logger: silentLogger });
  const recordingId = randomUUID();
  const callId = randomUUID();
  const startedAtMs = now - 3600_000;
  const writer = await storage.recordings.create({ recordingId, callId, channel: 0, startTick: 0, startedAtMs });
  const tick = Buffer.alloc(160);
  for (let t = 0; t < 3600 * 50; t++) {
    for (let i = 0; i < 160; i++) tick[i] = (t * 7 + i) & 0xff;
    writer.writeTick(t, tick);
  }
  await writer.close('completed');
  const wavPath = join(dir, 'www', 'call.wav');
  await mkdir(join(dir, 'www'), { recursive: true });
  const reader = await storage.recordings.openReader(recordingId);
  await exportWav(reader, wavPath, 0o644);
  await reader.close();

  const openings = [];
  for (let n = 0; n < OPENINGS; n++) {
    const id = randomUUID();
    const shortCall = randomUUID();
    const w = await storage.recordings.create({ recordingId: id, callId: shortCall, channel: 1, startTick: 0, startedAtMs: now - 120_000 });
    for (let t = 0; t < 60 * 50; t++) w.writeTick(t, tick);
    await w.close('completed');
    openings.push({ recordingId: id, callId: shortCall });
  }

  // The history as `tallennin demo --seed-history 90:2000` makes it (src/history/seed-history.ts).
  const { seedHistory, syntheticDays } = await dist('history/seed-history.js');
  const seedOptions = {
    days: 90,
    callsPerDay: 2000,
    nowMs: now,
    serviceNumbers: ['+358912345678'],
    agents: Array.from({ length: 40 }, (_, i) => ({ extension: String(2001 + i), name: `Agentti ${i}`, phone: `+35850100${2001 + i}` })),
  };
  await seedHistory(storage.documents, seedOptions);
  const csv = [];
  const callCounts = new Map();
  for (const day of syntheticDays(seedOptions)) {
    for (const record of day.records) {
      csv.push(`${record.callId},${record.startedAt},${record.callerNumber ?? ''},${record.serviceNumber},${record.agentExtension},${record.agentName}`);
      if (record.callerNumber !== null) callCounts.set(record.callerNumber, (callCounts.get(record.callerNumber) ?? 0) + 1);
    }
  }
  // Callers by how often they called: the probe is one who called often (a few dozen times).
  const callers = [...callCounts.entries()].sort((a, b) => b[1] - a[1]).map(([caller]) => caller);
  const history = new ContactHistory(storage.documents);
  await history.add({
    callId, startedAt: new Date(startedAtMs).toISOString(), endedAt: new Date(now).toISOString(), callerNumber: callers[0], serviceNumber: '+358201234567',
    agentExtension: '2001', agentName: 'Agentti 1', agentPhone: '+358501002001', channel: 0, recordingId, recordingState: 'completed', endReason: 'completed', resumed: false,
  });
  for (const [n, opening] of openings.entries()) {
    await history.add({
      callId: opening.callId, startedAt: new Date(now - 120_000 + n).toISOString(), endedAt: new Date(now - 60_000).toISOString(), callerNumber: callers[1], serviceNumber: '+358201234567',
      agentExtension: '2002', agentName: 'Agentti 2', agentPhone: '+358501002002', channel: 1, recordingId: opening.recordingId, recordingState: 'completed', endReason: 'completed', resumed: false,
    });
  }

  // --- sqlite3 peer: the same rows, indexed, the same query.
  const dbPath = join(dir, 'history.db');
  await writeFile(join(dir, 'rows.csv'), csv.join('\n') + '\n');
  execFileSync('sqlite3', [dbPath], {
    input: `CREATE TABLE calls(call_id TEXT PRIMARY KEY, started_at TEXT, caller TEXT, service TEXT, extension TEXT, agent TEXT);
.mode csv
.import ${join(dir, 'rows.csv')} calls
CREATE INDEX calls_started ON calls(started_at);
CREATE INDEX calls_caller ON calls(caller, started_at);
ANALYZE;
`,
  });
  const probeCaller = callers[3];
  const fromIso = new Date(now - 91 * DAY_MS).toISOString();
  const toIso = new Date(now + 60_000).toISOString();
  const sqlQuery = `SELECT * FROM calls WHERE caller = '${probeCaller}' AND started_at >= '${fromIso}' AND started_at < '${toIso}' ORDER BY started_at DESC LIMIT 50;`;
  // sqlite3's own timer counts whole milliseconds, too coarse for one query: the time of one
  // query is the difference between a session running it 1,001 times and one running it once.
  const sqliteSession = (runs) => {
    const started = performance.now();
    execFileSync('sqlite3', [dbPath], { input: `${Array.from({ length: runs }, () => sqlQuery).join('\n')}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
    return performance.now() - started;
  };
  const sqlitePerQuery = [];
  for (let i = 0; i < 7; i++) sqlitePerQuery.push((sqliteSession(1001) - sqliteSession(1)) / 1000);
  const sqliteMs = sqlitePerQuery;

  // The same query on Tallennin's contact history, in process (the HTTP path adds TLS, the
  // session, the policy and the committed audit entry, measured below).
  const engineQuery = { callerNumber: probeCaller, fromMs: Date.parse(fromIso), toMs: Date.parse(toIso) };
  await history.search(engineQuery);
  const engineMs = [];
  for (let i = 0; i < 1000; i++) {
    const started = performance.now();
    (await history.search(engineQuery)).reverse().slice(0, 50);
    engineMs.push(performance.now() - started);
  }

  return { callId, openings, wavPath, probeCaller, fromIso, toIso, sqliteMs, engineMs };
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
