/**
 * The door controllers' webhook end to end, over real HTTPS: signed events are stored as
 * evidence (the card only as its pseudonym), shown by the API, and every bad input is refused
 * with its own code and counter while nothing is stored and the service goes on.
 */
import t, { type Test } from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { firstAdministrator, startApiAppliance, type ApiFixture } from './support/api-appliance.js';
import { doorEvent, postDoorEvents, putDoorSettings, WEBHOOK_SECRET, WEBHOOK_SOURCE } from './support/door-controller.js';
import type { ApiClient } from './support/https-client.js';

const CARD = '0004567890';

async function setUp(t: Test, config: Record<string, unknown> = {}): Promise<{ fixture: ApiFixture; admin: ApiClient; ca: string; post: (body: unknown, extra?: { source?: string; secret?: string; timestamp?: number; signature?: string }) => ReturnType<typeof postDoorEvents> }> {
  const fixture = await startApiAppliance(t, { config });
  const { admin } = await firstAdministrator(fixture);
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE] });
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const post = (body: unknown, extra: { source?: string; secret?: string; timestamp?: number; signature?: string } = {}) =>
    postDoorEvents(fixture.appliance.web.address.port, ca, {
      source: extra.source ?? WEBHOOK_SOURCE.id,
      secret: extra.secret ?? WEBHOOK_SECRET,
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      timestamp: extra.timestamp ?? Math.floor(fixture.clock.now() / 1000),
      ...(extra.signature === undefined ? {} : { signature: extra.signature }),
    });
  return { fixture, admin, ca, post };
}

async function health(admin: ApiClient): Promise<{ storedEvents: number; webhook: Record<string, number>; sources: Array<{ id: string; counters: Record<string, number>; state: string }> }> {
  const res = await admin.get('/api/v1/doors/health');
  if (res.status !== 200) throw new Error(`health: ${res.status}`);
  return res.json();
}

t.test('when a controller posts signed events, then they are stored with both times, the card as a pseudonym, and shown by the API', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const at = fixture.clock.now() - 2000;
  const res = await post({ events: [doorEvent('e-1', at, { direction: 'in', card: CARD }), doorEvent('e-2', at + 1000, { kind: 'door-closed' })] });
  t.equal(res.status, 200);
  t.equal(res.json.accepted, 2);

  const timeline = await admin.get('/api/v1/doors/timeline');
  t.equal(timeline.status, 200);
  const { doorEvents } = timeline.json<{ doorEvents: Array<{ eventId: string; card: string | null; occurredAt: string; receivedAt: string; kind: string }> }>();
  t.same(doorEvents.map((event) => event.eventId).sort(), ['e-1', 'e-2']);
  const granted = doorEvents.find((event) => event.eventId === 'e-1')!;
  t.match(granted.card, /^card:[0-9a-f]{24}$/, 'the card as its keyed pseudonym');
  t.equal(granted.occurredAt, new Date(at).toISOString(), 'the source’s time');
  t.equal(granted.receivedAt, new Date(fixture.clock.now()).toISOString(), 'the box’s receive time');

  const presence = await admin.get('/api/v1/doors/presence');
  t.match(presence.json(), { watching: true, people: [{ userId: null, state: 'in', door: 'Palvelinhuone' }] }, 'an unknown card is a visitor in the room');

  // Evidence: the log on disk names no card number, and its chain and signatures verify.
  const dir = join(fixture.dataDir, 'door-events');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.jsonl'));
  const text = (await Promise.all(files.map((name) => readFile(join(dir, name), 'utf8')))).join('');
  t.notMatch(text, CARD.replace(/^0+/, ''), 'no card number on disk');
  t.match(text, /"eventId":"e-1"/);
  t.match(await fixture.appliance.doors.log.verify(), { ok: true, entries: 2 });
  t.equal((await health(admin)).storedEvents, 2);
});

t.test('when a request has a wrong signature, then it is refused with DOOR_SIGNATURE_INVALID, counted, and nothing is stored', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const body = { events: [doorEvent('x-1', fixture.clock.now(), { card: CARD, direction: 'in' })] };
  const wrongSecret = await post(body, { secret: 'someone-elses-secret-0123456789' });
  t.equal(wrongSecret.status, 401);
  t.equal(wrongSecret.json.error?.code, 'DOOR_SIGNATURE_INVALID');
  const garbage = await post(body, { signature: 'garbage' });
  t.equal(garbage.json.error?.code, 'DOOR_SIGNATURE_INVALID');
  const now = await health(admin);
  t.equal(now.storedEvents, 0, 'nothing stored');
  t.equal(now.sources[0]!.counters.rejectedSignature, 2, 'counted');
});

t.test('when the signature’s timestamp is older than five minutes, then it is refused with DOOR_SIGNATURE_EXPIRED', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const res = await post({ events: [doorEvent('old-1', fixture.clock.now())] }, { timestamp: Math.floor(fixture.clock.now() / 1000) - 301 });
  t.equal(res.status, 401);
  t.equal(res.json.error?.code, 'DOOR_SIGNATURE_EXPIRED');
  const now = await health(admin);
  t.equal(now.storedEvents, 0);
  t.equal(now.sources[0]!.counters.rejectedExpired, 1);
});

t.test('when a signed request is replayed, then it is refused with DOOR_REPLAYED; an event sent again in a new request is stored once', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const body = JSON.stringify({ events: [doorEvent('r-1', fixture.clock.now(), { card: CARD, direction: 'in' })] });
  t.equal((await post(body)).status, 200);
  const replay = await post(body);
  t.equal(replay.status, 409);
  t.equal(replay.json.error?.code, 'DOOR_REPLAYED');
  fixture.clock.advance(1000);
  const retried = await post(body);
  t.equal(retried.status, 200, 'a controller’s retry (signed again) is answered as a success');
  const now = await health(admin);
  t.equal(now.storedEvents, 1, 'stored once');
  t.equal(now.sources[0]!.counters.rejectedReplay, 1);
  t.equal(now.sources[0]!.counters.duplicates, 1);
});

t.test('when the source is unknown, then it is refused with DOOR_SOURCE_UNKNOWN and counted', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const res = await post({ events: [doorEvent('u-1', fixture.clock.now())] }, { source: 'no-such-source' });
  t.equal(res.status, 401);
  t.equal(res.json.error?.code, 'DOOR_SOURCE_UNKNOWN');
  const now = await health(admin);
  t.equal(now.storedEvents, 0);
  t.equal(now.webhook.unknownSource, 1);
});

t.test('when a signed body is not JSON or not events, then it is refused with DOOR_EVENT_INVALID', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const malformed = await post('{"events": [');
  t.equal(malformed.status, 400);
  t.equal(malformed.json.error?.code, 'DOOR_EVENT_INVALID');
  const wrongShape = await post({ events: [{ id: 'w-1', kind: 'teleported', door: 'Palvelinhuone', occurredAt: new Date(fixture.clock.now()).toISOString() }] });
  t.equal(wrongShape.json.error?.code, 'DOOR_EVENT_INVALID');
  const foreignDoor = await post({ events: [doorEvent('w-2', fixture.clock.now(), { door: 'Kellari' })] });
  t.equal(foreignDoor.json.error?.code, 'DOOR_EVENT_INVALID', 'a door the source does not cover');
  const now = await health(admin);
  t.equal(now.storedEvents, 0);
  t.equal((now.sources[0]!.counters.rejectedInvalid ?? 0) + (now.sources[0]!.counters.rejectedDoor ?? 0), 3);
});

t.test('when the body is over 64 KiB, then it is refused with PAYLOAD_TOO_LARGE from its length, counted, nothing stored', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  const events = Array.from({ length: 600 }, (_, i) => doorEvent(`big-${i}-${'x'.repeat(60)}`, fixture.clock.now()));
  const res = await post({ events });
  t.equal(res.status, 413);
  t.equal(res.json.error?.code, 'PAYLOAD_TOO_LARGE');
  const now = await health(admin);
  t.equal(now.storedEvents, 0);
  t.equal(now.webhook.rejectedBody, 1);
});

t.test('when a flood exceeds the webhook’s rate, then the excess is refused with THROTTLED and Retry-After, and the service goes on', async (t) => {
  const { fixture, admin, post } = await setUp(t, { doors: { webhookBurst: 5, webhookPerSecond: 1 } });
  const answers = [];
  for (let i = 0; i < 8; i++) answers.push(await post({ events: [doorEvent(`f-${i}`, fixture.clock.now())] }));
  const throttled = answers.filter((res) => res.status === 429);
  t.ok(throttled.length >= 3, 'the requests past the burst are refused');
  t.equal(throttled[0]!.json.error?.code, 'THROTTLED');
  t.match(throttled[0]!.headers['retry-after'], /^[0-9]+$/);
  const now = await health(admin);
  t.equal(now.webhook.throttled, throttled.length, 'counted');
  t.equal(now.storedEvents, 8 - throttled.length, 'only what was accepted is stored');
  // The rest of the box is unharmed, and the controller gets through again once the bucket refills.
  t.equal((await admin.get('/api/v1/me')).status, 200);
  fixture.clock.advance(10_000);
  t.equal((await post({ events: [doorEvent('after-flood', fixture.clock.now())] })).status, 200);
});

t.test('when a door is forced, held open or a reader tampered with, or a source falls silent, then each raises its alarm', async (t) => {
  const { fixture, admin, post } = await setUp(t);
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE], silentMinutes: 30 });
  const now = fixture.clock.now();
  const res = await post({ events: [doorEvent('a-1', now, { kind: 'door-forced' }), doorEvent('a-2', now, { kind: 'door-held-open' }), doorEvent('a-3', now, { kind: 'reader-tamper' })] });
  t.equal(res.status, 200);
  const codes = (): string[] => fixture.appliance.alarms.list().map((alarm) => alarm.code);
  t.ok(codes().includes('DOOR_FORCED'));
  t.ok(codes().includes('DOOR_HELD_OPEN'));
  t.ok(codes().includes('READER_TAMPER'));
  // The silence check (run every minute by the service) on the injected clock.
  fixture.clock.advance(29 * 60_000);
  fixture.appliance.doors.checkSilent();
  t.notOk(codes().includes('DOOR_SOURCE_SILENT'), 'not before its minutes');
  fixture.clock.advance(2 * 60_000);
  fixture.appliance.doors.checkSilent();
  fixture.appliance.doors.checkSilent();
  t.equal(codes().filter((code) => code === 'DOOR_SOURCE_SILENT').length, 1, 'raised once');
  t.equal((await admin.get('/api/v1/me')).status, 401, 'the idle session has ended meanwhile, as it should');
});
