/**
 * The door integration's parts on their own: the webhook signature's parsing, the rate limit on
 * an injected clock, the settings' validation (secrets write-only and kept), card pseudonyms,
 * presence with events out of order, and a source whose adapter cannot start shown down.
 */
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { AppError } from '../../../src/errors.js';
import { signatureHeader, verifySignature } from '../../../src/doors/webhook-signature.js';
import { TokenBucket } from '../../../src/doors/token-bucket.js';
import { CardPseudonyms, CARD_PSEUDONYM } from '../../../src/doors/card-pseudonym.js';
import { Presence } from '../../../src/doors/presence.js';
import { DoorSettings } from '../../../src/doors/door-settings.js';
import { DoorService } from '../../../src/doors/door-service.js';
import { DoorEventLog } from '../../../src/doors/door-event-log.js';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { createKeyHierarchy } from '../../../src/storage/key-hierarchy.js';
import type { StoredDoorEvent } from '../../../src/doors/door-event-log.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
};

t.test('when a signature header is parsed, then only t=<unix>,v1=<hex> with the right MAC within 5 minutes passes', async (t) => {
  const body = Buffer.from('{"events":[]}');
  const now = Date.UTC(2026, 10, 30, 12);
  const ts = now / 1000;
  t.match(verifySignature(signatureHeader('s'.repeat(20), ts, body), 's'.repeat(20), body, now), { timestamp: ts });
  t.equal(codeOf(() => verifySignature(undefined, 'x', body, now)), 'DOOR_SIGNATURE_INVALID', 'missing');
  t.equal(codeOf(() => verifySignature(`t=${ts}`, 'x', body, now)), 'DOOR_SIGNATURE_INVALID', 'no MAC');
  t.equal(codeOf(() => verifySignature(`v1=${'a'.repeat(64)}`, 'x', body, now)), 'DOOR_SIGNATURE_INVALID', 'no timestamp');
  t.equal(codeOf(() => verifySignature(`t=${ts},v1=${'a'.repeat(64)}`, 'x', body, now)), 'DOOR_SIGNATURE_INVALID', 'wrong MAC');
  t.equal(codeOf(() => verifySignature(signatureHeader('x', ts + 301, body), 'x', body, now)), 'DOOR_SIGNATURE_EXPIRED', 'from the future');
  const rotated = `t=${ts},v1=${'b'.repeat(64)},v1=${signatureHeader('x', ts, body).split('v1=')[1]}`;
  t.ok(verifySignature(rotated, 'x', body, now), 'one of several MACs (a secret being rotated) is enough');
});

t.test('when a token bucket is drained, then it refuses until the injected clock has refilled it', async (t) => {
  const clock = new ManualClock(0);
  const bucket = new TokenBucket(clock, 3, 1);
  t.ok(bucket.take(3).ok);
  const refused = bucket.take(1);
  t.notOk(refused.ok);
  t.equal(refused.ok ? 0 : refused.retryAfterMs, 1000);
  clock.advance(1000);
  t.ok(bucket.take(1).ok);
});

t.test('when card numbers differ only in leading zeros or separators, then their pseudonym is the same; another key gives another', async (t) => {
  const cards = new CardPseudonyms(Buffer.alloc(32, 1));
  t.match(cards.of('0004567890'), CARD_PSEUDONYM);
  t.equal(cards.of('0004567890'), cards.of('45-67-890'));
  t.not(cards.of('4567890'), new CardPseudonyms(Buffer.alloc(32, 2)).of('4567890'));
  t.equal(JSON.stringify({ cards }), '{"cards":"[CardPseudonyms]"}', 'the key never prints');
});

t.test('when badges arrive out of order, then the later badge decides', async (t) => {
  const presence = new Presence();
  const event = (card: string, direction: 'in' | 'out', atMs: number, door = 'A'): StoredDoorEvent => ({ seq: 0, sourceId: 's', eventId: `${card}-${atMs}`, kind: 'access-granted', door, direction, card, occurredAt: new Date(atMs).toISOString(), receivedAt: new Date(atMs).toISOString() });
  presence.apply(event('card:1', 'out', 2000));
  presence.apply(event('card:1', 'in', 1000));
  t.same(presence.inRoom([], 3000, 60_000, () => undefined), [], 'the out at 2 s wins over the late-arriving in at 1 s');
  presence.apply(event('card:2', 'in', 1000, 'B'));
  t.same(presence.inRoom(['A'], 3000, 60_000, () => undefined), [], 'another room’s door does not count');
  t.equal(presence.inRoom(['B'], 3000, 60_000, () => 'u-2')[0]?.userId, 'u-2');
});

t.test('when door settings are saved, then they are validated whole, secrets stay write-only and kept, and a source whose adapter cannot start is shown down', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-door-settings-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const keys = createKeyHierarchy(Buffer.alloc(32, 5));
  const settings = await DoorSettings.open(await DocumentStore.open({ dataDir: dir, key: keys.documentKey, logger: silentLogger }));
  const webhook = { id: 'ovi', name: 'Ovi', kind: 'webhook', doors: ['A'], secret: 'x'.repeat(20) };
  const problem = async (input: unknown): Promise<unknown> => settings.replace(input).then(() => undefined, (err: AppError) => err.details?.problems);
  t.match(await problem({ sources: [{ ...webhook, secret: undefined }] }), ['sources.ovi.secret: required'], 'a webhook needs its secret');
  t.match(await problem({ sources: [webhook, webhook] }), ['sources: ids must differ']);
  t.match(await problem({ sources: [{ id: 'feed', name: 'F', kind: 'pull', secret: 'y'.repeat(20), pull: { url: 'https://c.example/events' } }] }), [/fingerprint or its CA/]);
  t.match(await problem({ sources: [{ id: 'Bad Id', name: 'x', kind: 'webhook', secret: 'x'.repeat(20) }] }), [/sources\.0\.id/]);
  const reader = { id: 'lukija', name: 'Lukija', kind: 'osdp', doors: ['A'], osdp: { devicePath: '/dev/ttyUSB0' } };
  t.match(await problem({ sources: [{ ...reader, doors: [], secret: '00112233445566778899aabbccddeeff' }] }), [/doors/], 'a reader names its door');
  t.match(await problem({ sources: [reader] }), [/sources\.lukija\.secret: the reader's SCBK/], 'a reader in the Secure Channel needs its SCBK');
  t.match(await problem({ sources: [{ ...reader, secret: 'not-hex-not-hex-not-hex' }] }), [/32 hexadecimal digits/]);
  await settings.replace({ sources: [{ ...reader, osdp: { devicePath: '/dev/ttyUSB0', installMode: true } }] });
  await settings.replace({ sources: [webhook, { ...reader, secret: '00112233445566778899aabbccddeeff' }] });
  await settings.replace({ sources: [{ ...webhook, secret: undefined }, reader] });
  t.equal(settings.current.sources[0]!.secret, 'x'.repeat(20), 'saved without a secret: the old one is kept');
  t.equal(settings.current.sources[1]!.secret, '00112233445566778899aabbccddeeff', 'the reader keeps its SCBK too');
  t.same(settings.visible.sources.map((s) => ('secret' in s ? 'leaked' : s.secretSet)), [true, true], 'never shown');

  const clock = new ManualClock(Date.UTC(2026, 10, 30));
  const { log, events } = await DoorEventLog.open({ dataDir: dir, signingKey: keys.signingKey('door-events-signing'), cards: new CardPseudonyms(keys.symmetricKey('door-card-pseudonym')), clock, logger: silentLogger });
  t.teardown(() => log.close());
  const raised: string[] = [];
  // The reader's adapter is not plugged in here: its source is down with the reason, the others run.
  const service = new DoorService({ settings, log, history: events, cards: new CardPseudonyms(keys.symmetricKey('door-card-pseudonym')), dataDir: dir, clock, logger: silentLogger, alarms: { raise: (code) => raised.push(code) }, webhookRate: { burst: 10, perSecond: 10 } });
  await service.start();
  t.teardown(() => service.stop());
  // The reader's adapter is opened in the background: its state settles once the open has failed (a hang guard, not a timing check).
  for (const deadline = Date.now() + 30_000; service.health().sources.find((s) => s.id === 'lukija')?.state === 'starting' && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const health = service.health().sources;
  t.match(health.find((s) => s.id === 'lukija'), { state: 'down' });
  t.match(health.find((s) => s.id === 'ovi'), { state: 'up', problem: null });
  await t.rejects(service.receiveWebhook({ sourceId: 'lukija', signature: undefined, rawBody: Buffer.from('{}'), address: '127.0.0.1' }), { code: 'DOOR_SOURCE_UNKNOWN' }, 'only a webhook source takes webhook requests');
});
