/**
 * The HTTP API through real HTTPS: who may do what (every endpoint with every role and with no
 * session), brute-force throttling, sessions (fixation, idle and absolute expiry, disabling),
 * CSRF, and HTTP Range playback that equals the WAV export byte for byte.
 */
import t from 'tap';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { exportWav } from '../../src/recording/wav-export.js';
import { ApiClient } from './support/https-client.js';
import { firstAdministrator, PASSWORD, startApiAppliance, type ApiFixture } from './support/api-appliance.js';

type RoleName = 'none' | 'agent1' | 'agent2' | 'supervisor' | 'quality' | 'maintainer' | 'phoneadmin' | 'registrar';

async function signedInUsers(fixture: ApiFixture): Promise<Record<RoleName, ApiClient> & { ids: Record<string, string> }> {
  const { admin, secret } = await firstAdministrator(fixture);
  const ids: Record<string, string> = {};
  const make = async (username: string, roles: string[], extensions?: string[]): Promise<ApiClient> => {
    // Administrator and registrar roles are granted only after a re-authentication with the second factor.
    fixture.clock.advance(30_000);
    const reauth = await admin.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) });
    if (reauth.status !== 200) throw new Error(`re-authentication: ${reauth.status} ${reauth.body.toString()}`);
    const created = await admin.post('/api/v1/users', { username, displayName: username, roles, password: PASSWORD, ...(extensions === undefined ? {} : { extensions }) });
    if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${created.body.toString()}`);
    ids[username] = created.json<{ user: { id: string } }>().user.id;
    const client = fixture.client();
    const login = await client.login(username, PASSWORD);
    if (login.status !== 201) throw new Error(`login ${username}: ${login.status} ${login.body.toString()}`);
    if (login.json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired) {
      const secret = (await client.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
      fixture.clock.advance(30_000);
      const confirmed = await client.post('/api/v1/me/totp/confirm', { code: fixture.totp(secret) });
      if (confirmed.status !== 200) throw new Error(`totp ${username}: ${confirmed.status}`);
    }
    return client;
  };
  return {
    none: fixture.client(),
    maintainer: admin,
    agent1: await make('agentti1', ['agent'], ['2001']),
    agent2: await make('agentti2', ['agent'], ['2002']),
    supervisor: await make('esihenkilo', ['supervisor']),
    quality: await make('laatu', ['quality-expert']),
    phoneadmin: await make('puhelinvastaava', ['phone-admin']),
    registrar: await make('rekisterinpitaja', ['registrar']),
    ids,
  };
}

t.test('when every endpoint is called with every role and with no session, then only the permission matrix lets data out', async (t) => {
  const fixture = await startApiAppliance(t);
  const users = await signedInUsers(fixture);
  const callA = await fixture.call({ channel: 0, extension: '2001' });
  const callB = await fixture.call({ channel: 1, extension: '2002' });
  const missing = randomUUID();
  const all: RoleName[] = ['none', 'agent1', 'agent2', 'supervisor', 'quality', 'maintainer', 'phoneadmin', 'registrar'];
  const readers: RoleName[] = ['supervisor', 'quality', 'maintainer', 'phoneadmin', 'registrar'];
  const expect = (allowed: RoleName[], ok: number, deniedSigned: number): Record<RoleName, number> =>
    Object.fromEntries(all.map((role) => [role, role === 'none' ? 401 : allowed.includes(role) ? ok : deniedSigned])) as Record<RoleName, number>;

  const cases: Array<{ name: string; run: (c: ApiClient) => Promise<{ status: number }>; expected: Record<RoleName, number> }> = [
    { name: 'GET /calls', run: (c) => c.get('/api/v1/calls'), expected: expect([...readers, 'agent1', 'agent2'], 200, 403) },
    { name: 'GET /calls/A (agent1’s call)', run: (c) => c.get(`/api/v1/calls/${callA}`), expected: expect([...readers, 'agent1'], 200, 404) },
    { name: 'GET /calls/B (agent2’s call)', run: (c) => c.get(`/api/v1/calls/${callB}`), expected: expect([...readers, 'agent2'], 200, 404) },
    { name: 'GET /calls/missing', run: (c) => c.get(`/api/v1/calls/${missing}`), expected: expect([], 200, 404) },
    { name: 'GET /calls/A/audio', run: (c) => c.get(`/api/v1/calls/${callA}/audio`, { range: 'bytes=0-99' }), expected: expect([...readers, 'agent1'], 206, 404) },
    { name: 'GET /calls/A/export.wav (no re-authentication)', run: (c) => c.get(`/api/v1/calls/${callA}/export.wav?purpose=data-subject-copy`), expected: expect([], 200, 403) },
    { name: 'GET /users', run: (c) => c.get('/api/v1/users'), expected: expect(['maintainer', 'phoneadmin'], 200, 403) },
    { name: 'POST /users', run: (c) => c.post('/api/v1/users', { username: `u${randomUUID().slice(0, 8)}`, displayName: 'X', roles: ['supervisor'], password: PASSWORD }), expected: expect(['maintainer', 'phoneadmin'], 201, 403) },
    { name: 'PATCH /users/agent2', run: (c) => c.patch(`/api/v1/users/${users.ids.agentti2}`, { displayName: 'Agentti Kaksi' }), expected: expect(['maintainer', 'phoneadmin'], 200, 403) },
    { name: 'GET /audit', run: (c) => c.get('/api/v1/audit'), expected: expect(['maintainer', 'registrar'], 200, 403) },
    { name: 'GET /audit/verification', run: (c) => c.get('/api/v1/audit/verification'), expected: expect(['maintainer', 'registrar'], 200, 403) },
    { name: 'GET /live', run: (c) => c.get('/api/v1/live'), expected: expect(['supervisor', 'quality', 'maintainer'], 200, 403) },
    { name: 'GET /health', run: (c) => c.get('/api/v1/health'), expected: expect(['maintainer', 'phoneadmin'], 200, 403) },
    { name: 'GET /settings', run: (c) => c.get('/api/v1/settings'), expected: expect(['maintainer', 'phoneadmin'], 200, 403) },
    { name: 'PUT /settings', run: (c) => c.send('PUT', '/api/v1/settings', { body: { agents: [{ extension: '2001', name: 'Aino Asiakaspalvelija', phone: '0501002001' }, { extension: '2002', name: 'Eero Esimerkki', phone: '0501002002' }], recordedServiceNumbers: ['0201234567'], retentionMonths: 3 } }), expected: expect(['maintainer', 'phoneadmin'], 200, 403) },
    { name: 'GET /me', run: (c) => c.get('/api/v1/me'), expected: expect(all, 200, 200) },
  ];
  for (const testCase of cases) {
    for (const role of all) {
      const res = await testCase.run(users[role]);
      t.equal(res.status, testCase.expected[role], `${testCase.name} as ${role}`);
    }
  }

  // An agent cannot tell another agent's call from one that does not exist.
  const other = await users.agent1.get(`/api/v1/calls/${callB}`);
  const none = await users.agent1.get(`/api/v1/calls/${missing}`);
  t.same(other.json(), none.json(), 'same 404 body for another agent’s call and a missing one');
  const own = (await users.agent1.get('/api/v1/calls')).json<{ items: Array<{ callId: string }> }>();
  t.same(own.items.map((item) => item.callId), [callA], 'an agent’s search finds only their own calls');
  t.equal((await users.supervisor.get('/api/v1/calls')).json<{ total: number }>().total, 2);
  const openapi = await users.none.get('/api/v1/openapi.json');
  t.equal(openapi.status, 200);
  t.equal(openapi.json<{ openapi: string }>().openapi, '3.1.0');
});

t.test('when the first administrator is set up with bad input, then the setup token is not spent on it', async (t) => {
  const fixture = await startApiAppliance(t);
  const client = fixture.client();
  const token = fixture.appliance.setupToken;
  const short = await client.post('/api/v1/setup', { token, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: 'lyhyt' });
  t.equal(short.status, 400);
  t.equal(short.json<{ error: { code: string } }>().error.code, 'PASSWORD_TOO_SHORT');
  const ownName = await client.post('/api/v1/setup', { token, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: 'yllapitaja yllapitaja' });
  t.equal(ownName.json<{ error: { code: string } }>().error.code, 'PASSWORD_CONTEXT');
  t.equal(ownName.json<{ error: { reason?: string } }>().error.reason, 'user-name', 'the refusal says which part of the context');
  const product = await client.post('/api/v1/setup', { token, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: 'tallennin on hyvä laite' });
  t.same(product.json<{ error: { code: string; reason?: string } }>().error, { code: 'PASSWORD_CONTEXT', reason: 'product-name', message: product.json<{ error: { message: string } }>().error.message });
  const created = await client.post('/api/v1/setup', { token, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: PASSWORD });
  t.equal(created.status, 201, 'the same token still creates the administrator once the input is right');
  const again = await client.post('/api/v1/setup', { token, username: 'toinen', displayName: 'Toinen', password: PASSWORD });
  t.equal(again.json<{ error: { code: string } }>().error.code, 'SETUP_DONE', 'and only once');
});

t.test('when 100 wrong passwords are tried against one account, then the login is throttled long before the hundredth, and an unknown user gets the same answer', async (t) => {
  const fixture = await startApiAppliance(t);
  await firstAdministrator(fixture);
  const attacker = fixture.client();
  const wrong = await attacker.post('/api/v1/session', { username: 'yllapitaja', password: 'väärä salasana numero yksi' });
  const unknown = await attacker.post('/api/v1/session', { username: 'eiole', password: 'väärä salasana numero yksi' });
  t.equal(wrong.status, 401);
  t.same(unknown.status, wrong.status);
  t.same(unknown.json(), wrong.json(), 'unknown user and wrong password: the same answer');
  let firstThrottled = -1;
  for (let attempt = 2; attempt <= 100; attempt++) {
    const sentAt = Date.now();
    const res = await attacker.post('/api/v1/session', { username: 'yllapitaja', password: `väärä salasana ${attempt}` });
    if (res.status === 429) {
      firstThrottled = attempt;
      t.ok(Number(res.headers['retry-after']) > 0, 'Retry-After tells when to try again');
      t.ok(Date.now() - sentAt >= 450, 'the throttled answer is held back (tarpit), so a loop of guesses slows to about one a second');
      break;
    }
  }
  t.ok(firstThrottled > 0 && firstThrottled <= 10, `throttled at attempt ${firstThrottled}`);
  const audit = await fixture.appliance.audit.search({ action: 'auth.login', outcome: 'denied' });
  t.ok(audit.total >= firstThrottled, 'every failed login is on the audit trail');
});

t.test('when sessions are used, then fixation, idle expiry, absolute expiry and disabling all end them', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö', roles: ['supervisor'], password: PASSWORD });

  const user = fixture.client();
  user.cookie = '__Host-tallennin=AttackerChosenSessionToken0123456789';
  t.equal((await user.get('/api/v1/me')).status, 401, 'a made-up token is not a session');
  const planted = user.cookie;
  await user.login('esihenkilo', PASSWORD);
  t.not(user.cookie, planted, 'login issues a new token, never the one the client brought');
  const firstToken = user.cookie;
  await user.login('esihenkilo', PASSWORD);
  t.not(user.cookie, firstToken, 'every login a new token');
  t.equal((await user.get('/api/v1/me')).status, 200);

  fixture.clock.advance(14 * 60_000);
  t.equal((await user.get('/api/v1/me')).status, 200, 'within the idle limit');
  fixture.clock.advance(15 * 60_000 + 1);
  t.equal((await user.get('/api/v1/me')).status, 401, 'idle for 15 minutes: gone');

  await user.login('esihenkilo', PASSWORD);
  for (let minutes = 0; minutes < 8 * 60 - 10; minutes += 10) {
    fixture.clock.advance(10 * 60_000);
    if ((await user.get('/api/v1/me')).status !== 200) {
      t.fail(`session ended early at ${minutes} min`);
      break;
    }
  }
  fixture.clock.advance(20 * 60_000);
  t.equal((await user.get('/api/v1/me')).status, 401, 'after 8 hours: gone however active');

  await user.login('esihenkilo', PASSWORD);
  // The administrator's own session has long expired on this clock: sign in again, with TOTP.
  fixture.clock.advance(30_000);
  t.equal((await admin.login('yllapitaja', PASSWORD, fixture.totp(secret))).status, 201);
  const list = (await admin.get('/api/v1/users')).json<{ users: Array<{ id: string; username: string }> }>();
  const target = list.users.find((u) => u.username === 'esihenkilo')!;
  const disabled = await admin.patch(`/api/v1/users/${target.id}`, { disabled: true });
  t.equal(disabled.status, 200);
  t.equal((await user.get('/api/v1/me')).status, 401, 'disabling ends the sessions at once');
  t.equal((await user.login('esihenkilo', PASSWORD)).status, 401, 'and the account cannot sign in');
});

t.test('when a state change comes cross-site or without the CSRF token, then it is refused', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const body = { username: 'mikko', displayName: 'Mikko', roles: ['supervisor'], password: PASSWORD };
  const crossOrigin = await admin.send('POST', '/api/v1/users', { body, headers: { origin: 'https://evil.example' } });
  t.equal(crossOrigin.status, 403);
  t.equal(crossOrigin.json<{ error: { code: string } }>().error.code, 'CSRF_REJECTED');
  const crossSite = await admin.send('POST', '/api/v1/users', { body, headers: { 'sec-fetch-site': 'cross-site' } });
  t.equal(crossSite.status, 403);
  const noToken = await admin.send('POST', '/api/v1/users', { body, csrf: false });
  t.equal(noToken.status, 403);
  const wrongToken = await admin.send('POST', '/api/v1/users', { body, headers: { 'x-csrf-token': 'nope' } });
  t.equal(wrongToken.status, 403);
  t.equal((await admin.get('/api/v1/users')).json<{ users: unknown[] }>().users.length, 1, 'nothing was created');
  t.equal((await admin.post('/api/v1/users', body)).status, 201, 'the same request from the UI works');
});

t.test('when a recording is played with HTTP Range, then every range equals the same bytes of the WAV export', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const callId = await fixture.call({ channel: 0, extension: '2001', seconds: 7 });
  const record = await fixture.appliance.history.find(callId);
  const reader = await fixture.appliance.storage.recordings.openReader(record!.recordingId!);
  const exported = join(fixture.dataDir, 'export.wav');
  await exportWav(reader, exported);
  await reader.close();
  const wav = await readFile(exported);

  const whole = await admin.get(`/api/v1/calls/${callId}/audio`);
  t.equal(whole.status, 200);
  t.equal(whole.headers['content-type'], 'audio/wav');
  t.equal(whole.headers['cache-control'], 'no-store');
  t.ok(whole.body.equals(wav), 'the whole WAV equals the export');

  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const ranges = ['bytes=0-43', 'bytes=0-0', 'bytes=44-45', `bytes=${wav.length - 1}-`, 'bytes=-1000', 'bytes=43-44', 'bytes=45-8045'];
  for (let i = 0; i < 25; i++) {
    const a = random(wav.length);
    ranges.push(`bytes=${a}-${a + random(wav.length - a)}`);
  }
  for (const range of ranges) {
    const res = await admin.get(`/api/v1/calls/${callId}/audio`, { range });
    const [, first, last] = /bytes=(\d*)-(\d*)/.exec(range)!;
    const start = first === '' ? wav.length - Number(last) : Number(first);
    const end = first === '' || last === '' ? wav.length - 1 : Number(last);
    t.equal(res.status, 206, range);
    t.equal(res.headers['content-range'], `bytes ${start}-${end}/${wav.length}`, range);
    t.ok(res.body.equals(wav.subarray(start, end + 1)), `${range} equals the export's bytes`);
  }
  const unsatisfiable = await admin.get(`/api/v1/calls/${callId}/audio`, { range: `bytes=${wav.length}-` });
  t.equal(unsatisfiable.status, 416);
  t.equal(unsatisfiable.headers['content-range'], `bytes */${wav.length}`);

  const view = (await admin.get(`/api/v1/calls/${callId}/recording`)).json<{ recording: { seal: string; durationMs: number; gaps: unknown[]; peaks: number[]; outcome: string } }>().recording;
  t.match(view, { seal: 'verified', durationMs: 7000, gaps: [], outcome: 'completed' });
  t.equal(view.peaks.length, 600);
  t.ok(view.peaks.some((peak) => peak > 0), 'the waveform has level');
  const plays = await fixture.appliance.audit.search({ action: 'recording.play' });
  t.ok(plays.total >= ranges.length + 1, 'every part played is on the audit trail');
  t.match(plays.records[0], { target: { type: 'recording', id: record!.recordingId } });
});

t.test('when the registrar exports a copy, then the second factor and a re-authentication come first and the export is audited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin, secret } = await firstAdministrator(fixture);
  fixture.clock.advance(30_000);
  await admin.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) });
  t.equal((await admin.post('/api/v1/users', { username: 'rekisteri', displayName: 'Rekisteri', roles: ['registrar'], password: PASSWORD })).status, 201);
  const callId = await fixture.call({ channel: 0, extension: '2001' });
  const registrar = fixture.client();
  t.equal((await registrar.login('rekisteri', PASSWORD)).json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired, true, 'exports need the second factor: the registrar enrols one first');
  t.equal((await registrar.get(`/api/v1/calls/${callId}/export.wav?purpose=data-subject-copy`)).status, 403);
  const registrarSecret = (await registrar.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
  t.equal((await registrar.post('/api/v1/me/totp/confirm', { code: fixture.totp(registrarSecret) })).status, 200);
  const before = await registrar.get(`/api/v1/calls/${callId}/export.wav?purpose=data-subject-copy`);
  t.equal(before.status, 403);
  t.equal(before.json<{ error: { code: string } }>().error.code, 'REAUTH_REQUIRED');
  t.equal((await registrar.post('/api/v1/session/reauthenticate', { password: 'väärin väärin väärin' })).status, 401);
  fixture.clock.advance(30_000);
  t.equal((await registrar.post('/api/v1/session/reauthenticate', { password: PASSWORD })).status, 401, 'the code is needed too');
  t.equal((await registrar.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(registrarSecret) })).status, 200);
  const exported = await registrar.get(`/api/v1/calls/${callId}/export.wav?purpose=data-subject-copy`);
  t.equal(exported.status, 200);
  t.match(String(exported.headers['content-disposition']), /attachment; filename="tallennin-/);
  t.equal(exported.body.length, 44 + 2 * 8000 * 2);
  fixture.clock.advance(6 * 60_000);
  t.equal((await registrar.get(`/api/v1/calls/${callId}/export.wav?purpose=data-subject-copy`)).status, 403, 're-authentication is valid for minutes, not the whole session');
  const audit = await fixture.appliance.audit.search({ action: 'recording.export', outcome: 'success' });
  t.equal(audit.total, 1);
  t.match(audit.records[0], { outcome: 'success', details: { purpose: 'data-subject-copy' } });
  t.equal((await fixture.appliance.audit.search({ action: 'recording.export', outcome: 'denied' })).total, 2, 'the two exports without a fresh re-authentication are refusals on the trail');
});

t.test('when the audit trail cannot be written, then personal data is refused rather than served unaudited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const callId = await fixture.call({ channel: 0, extension: '2001' });
  t.equal((await admin.get(`/api/v1/calls/${callId}`)).status, 200);
  const { rm: remove, writeFile } = await import('node:fs/promises');
  await remove(join(fixture.dataDir, 'audit'), { recursive: true, force: true });
  await writeFile(join(fixture.dataDir, 'audit'), 'the disk under the audit trail is gone');
  for (const path of [`/api/v1/calls/${callId}`, '/api/v1/calls', `/api/v1/calls/${callId}/audio`]) {
    const res = await admin.get(path);
    t.equal(res.status, 503, path);
    t.equal(res.json<{ error: { code: string } }>().error.code, 'AUDIT_UNAVAILABLE');
    t.notMatch(res.body.toString(), /358401234567|0401234567|0501002001|Aino/, 'no personal data in the refusal');
  }
  const health = (await admin.get('/api/v1/health')).json<{ alarms: { recent: Array<{ code: string; message: string }> } }>();
  t.equal(health.alarms.recent.filter((alarm) => alarm.code === 'AUDIT_UNAVAILABLE').length, 1, 'the system view says why, once');
});

t.test('when a maintainer reads the health report, then it names the link error counters and the alarm threshold', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const health = (await admin.get('/api/v1/health')).json<{ bridge: { linkErrors: Record<string, number>; linkErrorAlarmPerMinute: number } }>();
  t.same(health.bridge.linkErrors, { rxCrcErrors: 0, garbageBytes: 0, oversizeFrames: 0, duplicateFrames: 0, lostFrames: 0, malformedFrames: 0, resyncs: 0 });
  t.equal(health.bridge.linkErrorAlarmPerMinute, 30);
});

t.test('when an administrator changes the settings, then the next call follows them, bad settings change nothing, and the change is audited', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const current = (await admin.get('/api/v1/settings')).json<{ settings: { agents: unknown[]; recordedServiceNumbers: string[]; retentionMonths: number } }>().settings;
  t.same(current.recordedServiceNumbers, ['0201234567'], 'seeded from the config file');
  const tooLong = await admin.send('PUT', '/api/v1/settings', { body: { ...current, retentionMonths: 4 } });
  t.equal(tooLong.status, 400, 'P7: retention beyond 3 months is refused');
  const twice = await admin.send('PUT', '/api/v1/settings', { body: { ...current, agents: [{ extension: '1', name: 'A', phone: '0401111111' }, { extension: '1', name: 'B', phone: '0402222222' }] } });
  t.equal(twice.status, 400);
  t.equal(twice.json<{ error: { code: string } }>().error.code, 'AGENT_DIRECTORY_INVALID');
  const badNumber = await admin.send('PUT', '/api/v1/settings', { body: { ...current, recordedServiceNumbers: ['switchboard'] } });
  t.equal(badNumber.status, 400);
  t.same((await admin.get('/api/v1/settings')).json<{ settings: unknown }>().settings, current, 'nothing changed');

  const changed = await admin.send('PUT', '/api/v1/settings', { body: { agents: [{ extension: '3001', name: 'Uusi Agentti', phone: '0503003001' }], recordedServiceNumbers: ['0912345678'], retentionMonths: 2 } });
  t.equal(changed.status, 200);
  const callId = await fixture.call({ channel: 0, extension: '3001', called: '0912345678' });
  const { call } = (await admin.get(`/api/v1/calls/${callId}`)).json<{ call: { agentName: string; recordingState: string } }>();
  t.match(call, { agentName: 'Uusi Agentti', recordingState: 'completed' }, 'the new directory and rule apply to the next call');
  const old = await fixture.call({ channel: 1, extension: '2001', called: '0201234567' });
  t.match((await admin.get(`/api/v1/calls/${old}`)).json<{ call: unknown }>().call, { recordingState: 'not-recorded', agentName: null });
  const audit = await fixture.appliance.audit.search({ action: 'config.change' });
  t.match(audit.records[0], { outcome: 'success', details: { retentionMonths: 2, agents: 1, recordedNumbersChanged: true } });
  t.notMatch(JSON.stringify(audit.records), /Uusi Agentti|0503003001/, 'no names or numbers in the audit trail');
});
