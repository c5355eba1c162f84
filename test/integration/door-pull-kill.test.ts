/**
 * The pull adapter against a door controller's events feed served over HTTPS in the test (its
 * certificate pinned by fingerprint): a real child process reads the feed into the door event
 * log and is killed with SIGKILL again and again, at different moments (before a page is
 * answered, as it is answered, while its events are being stored). Started again each time, it
 * goes on from its durable cursor: at the end every event is in the log exactly once.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { loadTlsMaterial } from '../../src/http/tls-certificate.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { createKeyHierarchy } from '../../src/storage/key-hierarchy.js';
import { DoorEventLog } from '../../src/doors/door-event-log.js';
import { CardPseudonyms } from '../../src/doors/card-pseudonym.js';

const EVENTS = 36;
const PAGE = 6;
const API_KEY = 'feed-api-key-0123456789abcdef';
const TS_LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const CHILD = fileURLToPath(new URL('./support/door-pull-child.ts', import.meta.url));

type KillMoment = 'on-arrival' | 'after-answer' | 'while-storing';

t.test('when the pulling process is killed with SIGKILL at any moment and started again, then no event is lost and none is stored twice', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-pull-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const tls = await loadTlsMaterial({ dataDir: join(dir, 'controller'), clock: new ManualClock(Date.now()), logger: silentLogger });
  const base = Date.UTC(2026, 10, 28, 6, 0, 0);
  const events = Array.from({ length: EVENTS }, (_, i) => ({ id: `gal-${i + 1}`, kind: 'access-granted', door: 'Palvelinhuone', direction: i % 2 === 0 ? 'in' : 'out', card: `12345${i % 3}`, occurredAt: new Date(base + i * 1000).toISOString() }));

  let child: ChildProcess | undefined;
  let requestsThisRun = 0;
  let killAt: { request: number; moment: KillMoment } | undefined;
  let finished: (() => void) | undefined;
  const unauthorised: string[] = [];
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    if (req.headers.authorization !== `GGL-API-KEY ${API_KEY}`) {
      unauthorised.push(String(req.headers.authorization));
      res.writeHead(401).end();
      return;
    }
    const after = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('after') ?? '0');
    requestsThisRun++;
    if (after >= EVENTS) finished?.();
    const kill = killAt !== undefined && killAt.request === requestsThisRun ? killAt.moment : undefined;
    if (kill === 'on-arrival') {
      child?.kill('SIGKILL');
      res.destroy();
      return;
    }
    const page = events.slice(after, after + PAGE);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ events: page, cursor: String(after + page.length) }));
    if (kill === 'after-answer') res.on('finish', () => child?.kill('SIGKILL'));
    // Some of the page's events stored, some not: the kill lands inside the store loop.
    if (kill === 'while-storing') res.on('finish', () => setImmediate(() => setImmediate(() => child?.kill('SIGKILL'))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const source = {
    id: 'gallagher',
    name: 'Command Centre',
    kind: 'pull',
    doors: ['Palvelinhuone'],
    secret: API_KEY,
    enabled: true,
    pull: { url: `https://127.0.0.1:${port}/api/events`, apiKeyHeader: 'Authorization', apiKeyPrefix: 'GGL-API-KEY ', fingerprint256: new X509Certificate(tls.cert).fingerprint256, intervalSeconds: 1 },
  };

  const moments: KillMoment[] = ['after-answer', 'while-storing', 'on-arrival'];
  const start = (): Promise<{ signal: NodeJS.Signals | null }> => {
    requestsThisRun = 0;
    child = spawn(process.execPath, ['--import', TS_LOADER, CHILD, JSON.stringify({ dataDir: join(dir, 'data'), source })], { stdio: ['ignore', 'ignore', 'inherit'] });
    const current = child;
    return new Promise((resolve) => current.on('exit', (_code, signal) => resolve({ signal })));
  };

  let runs = 0;
  for (; runs < 40; runs++) {
    killAt = { request: 2 + (runs % 2), moment: moments[runs % moments.length]! };
    const done = new Promise<'done'>((resolve) => (finished = () => resolve('done')));
    const exited = start();
    const outcome = await Promise.race([exited, done]);
    if (outcome === 'done') {
      // The child asked after the last event: everything is stored and the cursor is past it.
      child!.kill('SIGKILL');
      await exited;
      break;
    }
    t.equal((await exited).signal, 'SIGKILL', `run ${runs + 1} was killed`);
  }
  t.ok(runs >= 3, `killed and restarted ${runs} times before the feed was read to its end`);
  t.ok(runs < 40, 'the feed was read to its end');
  t.same(unauthorised, [], 'every request carried the API key');

  const keys = createKeyHierarchy(Buffer.alloc(32, 9));
  const { log, events: stored } = await DoorEventLog.open({ dataDir: join(dir, 'data'), signingKey: keys.signingKey('door-events-signing'), cards: new CardPseudonyms(keys.symmetricKey('door-card-pseudonym')), clock: new ManualClock(Date.now()), logger: silentLogger });
  t.teardown(() => log.close());
  const ids = stored.map((event) => event.eventId);
  t.equal(ids.length, EVENTS, 'as many events as the feed holds: none twice');
  t.same([...new Set(ids)].sort(), events.map((event) => event.id).sort(), 'every event, none lost');
  t.match(await log.verify(), { ok: true }, 'the chain and its signatures hold after the kills');
});

t.test('when the controller presents another certificate than the pinned one, then nothing is sent to it and the source is down', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-pin-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const tls = await loadTlsMaterial({ dataDir: join(dir, 'controller'), clock: new ManualClock(Date.now()), logger: silentLogger });
  let requests = 0;
  const server = createServer({ cert: tls.cert, key: tls.key }, (_req, res) => {
    requests++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { PullSource } = await import('../../src/doors/pull-source.js');
  const pull = new PullSource({
    config: { id: 'pinned', name: 'x', kind: 'pull', doors: [], secret: API_KEY, enabled: true, pull: { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/events`, apiKeyHeader: 'Authorization', apiKeyPrefix: '', fingerprint256: `${'AB:'.repeat(31)}AB`, intervalSeconds: 1 } },
    dataDir: dir,
    logger: silentLogger,
    now: () => Date.now(),
  });
  await pull.start(async () => undefined);
  for (let i = 0; i < 600 && pull.health().counters.pinMismatches === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  await pull.stop();
  t.equal(pull.health().counters.pinMismatches, 1, 'the mismatch is counted');
  t.equal(requests, 0, 'the API key never reached the impostor');
});

t.test('when the controller’s certificate is checked by its CA, then the feed is read page by page, and a restart goes on from the stored cursor', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-ca-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const tls = await loadTlsMaterial({ dataDir: join(dir, 'controller'), clock: new ManualClock(Date.now()), logger: silentLogger });
  const asked: string[] = [];
  const events = [1, 2, 3].map((i) => ({ id: `ca-${i}`, kind: 'access-granted', door: 'Palvelinhuone', occurredAt: new Date(Date.UTC(2026, 10, 30, 8, i)).toISOString() }));
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const after = new URL(req.url ?? '/', 'https://x').searchParams.get('after');
    asked.push(after ?? '');
    const from = after === null ? 0 : Number(after);
    const page = events.slice(from, from + 2);
    res.end(JSON.stringify({ events: page, cursor: String(from + page.length) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { PullSource } = await import('../../src/doors/pull-source.js');
  const config = { id: 'by-ca', name: 'x', kind: 'pull' as const, doors: [], secret: API_KEY, enabled: true, pull: { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/events`, apiKeyHeader: 'X-Api-Key', apiKeyPrefix: '', ca: tls.cert, intervalSeconds: 1 } };
  const stored: string[] = [];
  const first = new PullSource({ config, dataDir: dir, logger: silentLogger, now: () => Date.now() });
  await first.start(async (event) => {
    stored.push(event.eventId);
  });
  for (let i = 0; i < 600 && first.health().counters.cursorSet !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  for (let i = 0; i < 600 && stored.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  await first.stop();
  t.same(stored, ['ca-1', 'ca-2', 'ca-3'], 'every event, in order, over two pages');
  t.equal(first.health().state, 'stopped');
  const second = new PullSource({ config, dataDir: dir, logger: silentLogger, now: () => Date.now() });
  const before = asked.length;
  await second.start(async (event) => {
    stored.push(event.eventId);
  });
  for (let i = 0; i < 600 && asked.length === before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  await second.stop();
  t.equal(asked[before], '3', 'a restart asks after the stored cursor');
  t.equal(stored.length, 3, 'nothing read twice');
});
