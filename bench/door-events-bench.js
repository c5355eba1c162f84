/**
 * The door webhook under load, against playback (never part of `npm test`): a door controller in
 * its own process posts 1,000 signed events a second for 30 s while a supervisor seeks through a
 * recording; every event must be stored, and playback's p95 time-to-first-byte may rise at most
 * 10% against the same series without the events. The service runs as its own process.
 *
 *   npm run build && node bench/door-events-bench.js [--seconds N] [--keep]
 * Writes its section of docs/benchmarks.md and prints the table.
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, makeTempDir, removeTempDirs } from './lib/setup.js';
import { killAll, startChild, stopChild } from './lib/children.js';
import { machineInfo } from './lib/proc.js';
import { writeSection } from './lib/docs-section.js';
import { administratorAndSupervisor, apiClient } from './lib/api-client.js';

const dist = (path) => import(join(REPO_ROOT, 'dist', path));
const args = process.argv.slice(2);
const SECONDS = Number(args[args.indexOf('--seconds') + 1] ?? 0) || 30;
const EVENTS_PER_SECOND = 1000;
const EVENTS_PER_BATCH = 10;
const PASSWORD = 'kuusi kettua juoksee metsässä';
const RANGE_BYTES = 64 * 1024;
const SECRET = 'bench-door-controller-secret-0123456789';
const SOURCE = 'bench-ovijarjestelma';

process.on('exit', killAll);

/** Measured by hand on 2026-11-30 and kept as written: not rewritten by the runs. */
const READING = `### Reading of the runs of 2026-11-30 (not rewritten by the runs)
- On a quiet machine (load average 1-2 on 2 cores) every event was stored (30,000 of 30,000 in
  30.0 s, batch latency p95 33 ms) and playback's p50 hardly moved (0.48 ms with and without the
  events), but its p95 rose from 0.66 ms (0.61 ms after) to 0.99 ms: +0.33 ms, +50 %, against a
  target of +10 % (66 µs). With the controller at nice 19 and the settings' clone gone (the
  table above, also quiet): 0.62 / 0.84 ms without, 1.06 ms with the events, +26 % over the
  worse quiet series. The target is missed; it is not shown met.
- Where the time goes (a CPU profile of the service's main thread over 15 s of events): the door
  path costs about 1.1 ms of the main thread per batch of 10 (the rate limit, the signature's
  HMAC, JSON and the schema, the card's pseudonym, and per event the log's canonical JSON, hash
  and write), about 11 % of the thread at 1,000 events a second, with the TLS and HTTP work of
  100 requests a second on top. A playback request that arrives while a batch is handled waits
  for it: that is the p95's rise. Splitting the work finer or moving only the log's writes to a
  thread leaves the signature, the parsing and the HTTP work of every batch on the thread that
  serves playback, and 10 % of a 0.66 ms p95 is 66 µs.
- Found on the way and fixed: every audit entry (one per played range) cloned the whole door
  settings twice for the hands-on check, about 1 s of the main thread in 15 s of playback. The
  settings are now one frozen copy made at each change.
- Proposal (a decision, since the issue names the endpoint on the API's port): the webhook on a
  listener of its own in a door thread, with its own port, TLS, rate limit, signature check and
  the door event log, sending each stored event to the main thread for presence and alarms; the
  OSDP and pull sources hand their events to it by message. The main thread then does no work
  per door event. What remains shared is the machine: on these 2 cores the controller's signing
  and TLS (run at nice 19 here) and the player share the cores with the service.`;

async function seed(dataDir) {
  const { systemClock } = await dist('clock.js');
  const { silentLogger } = await dist('log.js');
  const { openStorage } = await dist('storage/open-storage.js');
  const { ContactHistory } = await dist('history/contact-history.js');
  const now = Date.now();
  const storage = await openStorage({ dataDir, mode: 'demo', clock: systemClock, logger: silentLogger });
  const recordingId = randomUUID();
  const callId = randomUUID();
  const writer = await storage.recordings.create({ recordingId, callId, channel: 0, startTick: 0, startedAtMs: now - 1200_000 });
  const tick = Buffer.alloc(160);
  for (let t = 0; t < 600 * 50; t++) {
    for (let i = 0; i < 160; i++) tick[i] = (t * 7 + i) & 0xff;
    writer.writeTick(t, tick);
  }
  await writer.close('completed');
  await new ContactHistory(storage.documents).add({
    callId, startedAt: new Date(now - 1200_000).toISOString(), endedAt: new Date(now - 600_000).toISOString(), callerNumber: '+358401234567', serviceNumber: '+358201234567',
    agentExtension: '2001', agentName: 'Agentti 1', agentPhone: '+358501002001', channel: 0, recordingId, recordingState: 'completed', endReason: 'completed', resumed: false,
  });
  return { callId };
}

const p = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
};
const f = (ms) => `${ms.toFixed(2)} ms`;

async function main() {
  const dir = await makeTempDir('tallennin-door-bench-');
  const dataDir = join(dir, 'data');
  const { callId } = await seed(dataDir);
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ mode: 'demo', dataDir, bridge: { path: join(dir, 'no-bridge') }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'info' } }));
  const service = startChild(process.execPath, [join(REPO_ROOT, 'bin/tallennin.js'), 'start', '--config', configPath]);
  const listening = await service.waitForLine('stderr', (line) => line.includes('"web UI listening"') && JSON.parse(line), 60_000, 'the web UI');
  const port = listening.result.port;
  const tokenLine = await service.waitForLine('stdout', (line) => /^\s+[A-Z2-9]{4}(-[A-Z2-9]{4}){7}$/.test(line), 10_000, 'the setup token');
  const caFile = join(dataDir, 'tls', 'self-signed-cert.pem');
  const client = apiClient({ port, ca: await readFile(caFile, 'utf8') });
  const { admin } = await administratorAndSupervisor(client, tokenLine.line.trim(), PASSWORD);
  const saved = await admin('PUT', '/api/v1/doors/settings', { sources: [{ id: SOURCE, name: 'Bench controller', kind: 'webhook', doors: ['Palvelinhuone'], secret: SECRET }] });
  if (saved.status !== 200) throw new Error(`door settings answered ${saved.status}: ${saved.body}`);
  const cookie = { value: undefined };
  const csrf = { value: undefined };
  const supervisor = client(cookie, csrf);
  const login = await supervisor('POST', '/api/v1/session', { username: 'esihenkilo', password: PASSWORD });
  csrf.value = JSON.parse(login.body).csrfToken;
  const view = JSON.parse((await supervisor('GET', `/api/v1/calls/${callId}/recording`)).body);
  const wavBytes = 44 + Math.floor(view.recording.durationMs * 16);

  /** Random 64 KiB ranges, one after another, for `seconds`. */
  const playback = async (label, seconds) => {
    const times = [];
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const start = 44 + Math.floor(Math.random() * (wavBytes - 44 - RANGE_BYTES));
      const r = await supervisor('GET', `/api/v1/calls/${callId}/audio`, undefined, { range: `bytes=${start}-${start + RANGE_BYTES - 1}` });
      if (r.status !== 206) throw new Error(`${label}: playback answered ${r.status}`);
      times.push(r.firstByteMs);
    }
    return times;
  };
  await playback('warm-up', 3);
  const quiet = await playback('without door events', SECONDS);
  // The door controller is another machine on site; here it shares the 2 cores, so it runs at the
  // lowest priority and takes the CPU that the service and the player leave (its pace is checked).
  const sender = startChild('nice', ['-n', '19', process.execPath, join(REPO_ROOT, 'bench/lib/door-webhook-sender.js'), String(port), caFile, SOURCE, SECRET, String(EVENTS_PER_SECOND), String(SECONDS), String(EVENTS_PER_BATCH)]);
  await sender.waitForLine('stdout', (line) => line === 'sending', 10_000, 'the door controller');
  const summaryLine = sender.waitForLine('stdout', (line) => line.startsWith('{') && JSON.parse(line), (SECONDS + 120) * 1000, 'the door controller’s summary');
  const busy = await playback('with 1,000 door events a second', SECONDS);
  const summary = (await summaryLine).result;
  await sender.exited;
  const quietAfter = await playback('without door events, after', SECONDS);
  const health = JSON.parse((await admin('GET', '/api/v1/doors/health')).body);
  const expected = EVENTS_PER_SECOND * SECONDS;
  const reference = Math.max(p(quiet, 0.95), p(quietAfter, 0.95));
  const rise = p(busy, 0.95) / reference - 1;
  const rows = [
    ['Door events sent (signed batches of 10, paced over the run)', `${summary.batches * EVENTS_PER_BATCH} in ${summary.sendSeconds.toFixed(1)} s`, `${expected} in ${SECONDS} s`, null],
    ['Door events stored (the door event log, by the service’s count)', String(health.storedEvents), `all ${expected}`, health.storedEvents === expected && summary.accepted === expected],
    ['Refused or failed batches', `${JSON.stringify(summary.refused)}, errors ${summary.errors}`, 'none', Object.keys(summary.refused).length === 0 && summary.errors === 0],
    ['Webhook batch latency, p95', summary.p95LatencyMs === null ? '–' : f(summary.p95LatencyMs), 'reference', null],
    ['Playback TTFB without door events, before / after, p50 / p95', `${f(p(quiet, 0.5))} / ${f(p(quiet, 0.95))}; ${f(p(quietAfter, 0.5))} / ${f(p(quietAfter, 0.95))}`, 'reference', null],
    ['Playback TTFB with 1,000 door events a second, p50 / p95', `${f(p(busy, 0.5))} / ${f(p(busy, 0.95))}`, `p95 at most 10% over the worse quiet p95 (${f(reference * 1.1)})`, rise <= 0.1],
  ];
  const table = ['| measurement | value | target | result |', '|---|---|---|---|', ...rows.map(([a, b, c, d]) => `| ${a} | ${b} | ${c} | ${d === null ? '' : d ? 'PASS' : 'FAIL'} |`)].join('\n');
  console.log(table);
  const machine = machineInfo();
  await stopChild(service);
  await writeSection(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'door-events-bench', `## Door webhook under load (\`node bench/door-events-bench.js\`)

Written by the last run (${new Date().toISOString()}; ${machine.cpus} × ${machine.model}, Node ${machine.node}). The service
runs as its own process; a door controller in another process posts signed batches of ${EVENTS_PER_BATCH}
events, ${EVENTS_PER_SECOND} events a second for ${SECONDS} s, while a supervisor plays random 64 KiB ranges of a
10-minute recording one after another. The reference series run the same playback without the
events just before and just after; the rise is measured against the worse of the two. The
controller runs at nice 19: it is another machine on a real site.

${table}

${READING}`);
  if (!args.includes('--keep')) removeTempDirs();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
