/**
 * Presence in the server room from entry and exit badges, card enrolment by a maintainer (typed,
 * or the next card at a reader), who may see the room, and the on-site listening policy walked
 * over every role: playback only while badged into the listening room, refused otherwise with a
 * stable code and the reason in the user's language, and audited.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApiAppliance } from './support/api-appliance.js';
import { doorEvent, postDoorEvents, putDoorSettings, WEBHOOK_SECRET, WEBHOOK_SOURCE } from './support/door-controller.js';
import { roleUsers, type RoleUser } from './support/role-users.js';

const ROLES: RoleUser[] = ['agent', 'supervisor', 'quality', 'maintainer', 'phoneadmin', 'registrar'];
const ROLE_NAMES = ['agent', 'supervisor', 'quality-expert', 'technical-maintainer', 'phone-admin', 'registrar'];

t.test('when people badge in and out, then the server room shows who is in, unknown after the maximum stay, visitors as visitors', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, clients, ids } = await roleUsers(fixture);
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE], serverRoomDoors: ['Palvelinhuone'], maxStayHours: 1 });
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  let n = 0;
  const badge = async (card: string, direction: 'in' | 'out', kind = 'access-granted', door = 'Palvelinhuone'): Promise<void> => {
    const res = await postDoorEvents(fixture.appliance.web.address.port, ca, { source: WEBHOOK_SOURCE.id, secret: WEBHOOK_SECRET, body: JSON.stringify({ events: [doorEvent(`p-${++n}`, fixture.clock.now(), { card, direction, kind, door })] }), timestamp: Math.floor(fixture.clock.now() / 1000) });
    if (res.status !== 200) throw new Error(`badge: ${res.status} ${JSON.stringify(res.json)}`);
  };

  // A typed card number for the maintainer; the next card at the door for the registrar.
  const typed = await admin.send('PUT', `/api/v1/users/${ids.maintainer}/door-card`, { body: { card: '00-1111' } });
  t.match(typed.json(), { enrolled: true, waiting: null });
  const waiting = await admin.send('PUT', `/api/v1/users/${ids.registrar}/door-card`, { body: { nextAtDoor: 'Palvelinhuone' } });
  t.match(waiting.json(), { enrolled: false, waiting: { door: 'Palvelinhuone' } });
  await badge('2222', 'in', 'access-denied');
  t.match((await admin.get(`/api/v1/users/${ids.registrar}/door-card`)).json(), { enrolled: true, waiting: null }, 'the card read at the reader is enrolled');

  await badge('1111', 'in');
  fixture.clock.advance(60_000);
  await badge('2222', 'in');
  await badge('9999', 'in');
  const room = (await clients.registrar.get('/api/v1/doors/presence')).json<{ people: Array<{ userId: string | null; displayName: string | null; visitorTag: string | null; state: string }> }>();
  t.same(room.people.map((p) => p.userId), [ids.maintainer, ids.registrar, null]);
  t.equal(room.people[0]!.displayName, 'Ylläpitäjä');
  t.match(room.people[2], { userId: null, displayName: null, visitorTag: /^[0-9a-f]{6}$/, state: 'in' }, 'an unknown card is a visitor');

  await badge('2222', 'out');
  // Sessions end after 15 idle minutes: each client is heard from as the hour passes.
  for (let step = 0; step < 7; step++) {
    fixture.clock.advance(10 * 60_000);
    for (const role of ROLES) await clients[role].get('/api/v1/me');
  }
  const later = (await admin.get('/api/v1/doors/presence')).json<{ people: Array<{ userId: string | null; state: string }> }>();
  t.same(later.people.map((p) => [p.userId, p.state]), [[ids.maintainer, 'unknown'], [null, 'unknown']], 'past the maximum stay presence is unknown; who badged out is gone');

  // Who may see the room: maintainers and the registrar.
  for (const role of ROLES) {
    const status = (await clients[role].get('/api/v1/doors/presence')).status;
    t.equal(status, ['maintainer', 'phoneadmin', 'registrar'].includes(role) ? 200 : 403, `${role} and the server room`);
  }
  const audit = await fixture.appliance.audit.search({ action: 'doors.presence' });
  t.ok(audit.total >= 3, 'every look at the room is audited');
});

t.test('when the on-site listening policy is on for every role, then each plays only while badged into the listening room, and a refusal says why in the user’s language', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, clients, ids } = await roleUsers(fixture);
  const callId = await fixture.call({ channel: 0, extension: '2001' });
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE], listeningRoom: { name: 'Kuunteluhuone', doors: ['Kuunteluhuone'], withinMinutes: 10 }, onSiteListeningRoles: ROLE_NAMES });
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  let n = 0;
  const badge = async (card: string, direction: 'in' | 'out'): Promise<void> => {
    const res = await postDoorEvents(fixture.appliance.web.address.port, ca, { source: WEBHOOK_SOURCE.id, secret: WEBHOOK_SECRET, body: JSON.stringify({ events: [doorEvent(`l-${++n}`, fixture.clock.now(), { card, direction, door: 'Kuunteluhuone' })] }), timestamp: Math.floor(fixture.clock.now() / 1000) });
    if (res.status !== 200) throw new Error(`badge: ${res.status}`);
  };
  const play = (role: RoleUser, language = 'fi-FI,fi;q=0.9,en;q=0.5') => clients[role].get(`/api/v1/calls/${callId}/audio`, { range: 'bytes=0-999', 'accept-language': language });

  for (const [i, role] of ROLES.entries()) {
    const noCard = await play(role);
    t.equal(noCard.status, 403, `${role}: no card, no playback`);
    t.match(noCard.json(), { error: { code: 'LISTENING_NOT_ON_SITE', reason: /kulkukorttia/ } }, `${role}: the reason in Finnish`);
    await admin.send('PUT', `/api/v1/users/${ids[role]}/door-card`, { body: { card: `5000${i}` } });
    const away = await play(role, 'en-GB,en;q=0.9');
    t.match(away.json(), { error: { code: 'LISTENING_NOT_ON_SITE', reason: /badge in at its door/ } }, `${role}: not in the room, the reason in English`);
    await badge(`5000${i}`, 'in');
    t.equal((await play(role)).status, 206, `${role}: badged into the listening room, plays`);
  }
  fixture.clock.advance(11 * 60_000);
  t.equal((await play('supervisor')).status, 403, 'more than the room’s minutes after badging in: refused');
  await badge('50001', 'in');
  t.equal((await play('supervisor')).status, 206);
  await badge('50001', 'out');
  t.equal((await play('supervisor')).status, 403, 'badged out: refused');

  // A role left out of the policy plays wherever its user is.
  await putDoorSettings(admin, { sources: [WEBHOOK_SOURCE], listeningRoom: { name: 'Kuunteluhuone', doors: ['Kuunteluhuone'], withinMinutes: 10 }, onSiteListeningRoles: ['agent'] });
  t.equal((await play('supervisor')).status, 206, 'supervisors are not bound to the room now');
  const refusals = await fixture.appliance.audit.search({ action: 'recording.play', outcome: 'denied' });
  t.ok(refusals.records.some((r) => r.details?.reason === 'LISTENING_NOT_ON_SITE' && r.actorId === ids.supervisor && r.target?.id === callId), 'a refusal is audited');
});
