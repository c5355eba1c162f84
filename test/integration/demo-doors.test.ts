/**
 * `tallennin demo` plays a door controller too: within a minute of the start, signed door events
 * have come in through the webhook and someone is in the server room, as a newcomer would see
 * in the Server room view; and the box reads the demo's OSDP reader (Secure Channel, over a
 * pseudo-terminal) through the same door source registry a real reader is configured in.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from './support/service-process.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { createKeyHierarchy } from '../../src/storage/key-hierarchy.js';
import { DEMO_MASTER_KEY_FILE, parseKey } from '../../src/storage/master-key.js';
import { DoorEventLog } from '../../src/doors/door-event-log.js';
import { CardPseudonyms } from '../../src/doors/card-pseudonym.js';
import { Presence } from '../../src/doors/presence.js';

t.test('when the demo starts, then door events arrive through the signed webhook and someone is in the server room within a minute', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-demo-doors-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const demo = spawn(process.execPath, [CLI_PATH, 'demo', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  t.teardown(() => {
    if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
  demo.stderr.resume();
  // The log's lines are plain JSON (ids and pseudonyms only): watched until the first badge (a hang guard, not a timing check).
  const deadline = Date.now() + 120_000;
  let text = '';
  while (!text.includes('"action":"door.access-granted"') || !text.includes('"action":"door.card-read"')) {
    if (Date.now() > deadline || demo.exitCode !== null) throw new Error('no door event from the demo’s door controller and reader within two minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const dir = join(dataDir, 'door-events');
    const names = await readdir(dir).catch(() => [] as string[]);
    text = (await Promise.all(names.filter((name) => name.endsWith('.jsonl')).map((name) => readFile(join(dir, name), 'utf8')))).join('');
  }
  demo.kill('SIGTERM');
  t.equal(await exited, 0, 'the demo stops cleanly');

  const keyPath = join(dataDir, DEMO_MASTER_KEY_FILE);
  const keys = createKeyHierarchy(parseKey(await readFile(keyPath), keyPath));
  const { log, events } = await DoorEventLog.open({ dataDir, signingKey: keys.signingKey('door-events-signing'), cards: new CardPseudonyms(keys.symmetricKey('door-card-pseudonym')), clock: new ManualClock(Date.now()), logger: silentLogger });
  t.teardown(() => log.close());
  t.ok(events.some((event) => event.sourceId === 'demo-ovijarjestelma' && event.kind === 'access-granted'), 'stored from the demo’s source');
  t.ok(events.some((event) => event.sourceId === 'demo-osdp-lukija' && event.kind === 'card-read' && event.door === 'Kuunteluhuone'), 'a card read at the demo’s OSDP reader, stored');
  const presence = new Presence();
  for (const event of events) presence.apply(event);
  t.ok(presence.inRoom(['Palvelinhuone'], Date.now(), 3600_000, () => undefined).length >= 1, 'someone is in the server room');
  t.match(await log.verify(), { ok: true });
});
