/**
 * Bad input over real HTTPS, byte for byte: every malformed request gets a 4xx with a stable
 * error code (or, where HTTP itself is broken, a 4xx and a closed connection), never a 500 and
 * never a socket left hanging. Requests go out on a raw TLS socket, so nothing between the test
 * and the server repairs them; a hang guard ends a request the server would never answer.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rawHttps } from './support/raw-https.js';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

interface Case {
  readonly name: string;
  readonly request: string | Buffer;
  readonly status: number;
  /** The stable code in the JSON error body. */
  readonly code: string;
}

t.test('when requests are malformed in every way we know, then each gets a 4xx with a stable code and the socket is not left hanging', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const callId = await fixture.call({ channel: 0, extension: '2001' });
  const port = fixture.appliance.web.address.port;
  const ca = await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8');
  const signedIn = `Host: localhost:${port}\r\nCookie: ${admin.cookie!}\r\nX-CSRF-Token: ${admin.csrfToken!}\r\n`;
  const anonymous = `Host: localhost:${port}\r\n`;
  const get = (path: string, headers = ''): string => `GET ${path} HTTP/1.1\r\n${signedIn}${headers}Connection: close\r\n\r\n`;
  const send = (method: string, path: string, body: string, headers = 'Content-Type: application/json\r\n', who = signedIn): string =>
    `${method} ${path} HTTP/1.1\r\n${who}${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const sendBytes = (method: string, path: string, body: Buffer, who = signedIn): Buffer =>
    Buffer.concat([Buffer.from(`${method} ${path} HTTP/1.1\r\n${who}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]);
  const login = JSON.stringify({ username: 'yllapitaja', password: PASSWORD });

  const cases: Case[] = [
    // Percent-encoding that does not decode to UTF-8, in a path id and in a query.
    { name: 'a call id with bad percent-encoding', request: get('/api/v1/calls/%ff%fe'), status: 400, code: 'BAD_REQUEST_ENCODING' },
    { name: 'a call id with a cut UTF-8 sequence', request: get('/api/v1/calls/%e2%82'), status: 400, code: 'BAD_REQUEST_ENCODING' },
    { name: 'a call’s audio under a bad id', request: get('/api/v1/calls/%ff%fe/audio'), status: 400, code: 'BAD_REQUEST_ENCODING' },
    { name: 'a user id with bad percent-encoding', request: send('PATCH', '/api/v1/users/%ff%fe', JSON.stringify({ displayName: 'Uusi Nimi' })), status: 400, code: 'BAD_REQUEST_ENCODING' },
    { name: 'a query value with bad percent-encoding', request: get('/api/v1/calls?caller=%ff%fe'), status: 400, code: 'BAD_REQUEST_ENCODING' },
    { name: 'an id that is not a UUID', request: get('/api/v1/calls/not-a-call'), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'an id that is a NUL', request: get('/api/v1/calls/%00'), status: 400, code: 'VALIDATION_FAILED' },
    // Bodies: not JSON, the wrong kind of JSON, too large, in a form the API does not take.
    { name: 'malformed JSON', request: send('POST', '/api/v1/session', '{"username":', undefined, anonymous), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'JSON that is a bare string', request: send('POST', '/api/v1/session', '"yllapitaja"', undefined, anonymous), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'JSON that is a list', request: send('POST', '/api/v1/session', '[]', undefined, anonymous), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a list where a string is expected', request: send('POST', '/api/v1/session', JSON.stringify({ username: ['yllapitaja'], password: PASSWORD }), undefined, anonymous), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'an object where a string is expected', request: send('PATCH', `/api/v1/users/${randomUUID()}`, JSON.stringify({ displayName: { first: 'A' } })), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a __proto__ key', request: send('POST', '/api/v1/session', '{"username":"yllapitaja","password":"x","__proto__":{"admin":true}}', undefined, anonymous), status: 400, code: 'VALIDATION_FAILED' },
    {
      name: 'a body that is not valid UTF-8',
      request: sendBytes('POST', '/api/v1/session', Buffer.concat([Buffer.from('{"username":"yllapitaja","password":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), anonymous),
      status: 400,
      code: 'BAD_REQUEST_ENCODING',
    },
    { name: 'a text/plain body', request: send('POST', '/api/v1/session', login, 'Content-Type: text/plain\r\n', anonymous), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a form-encoded body', request: send('POST', '/api/v1/session', 'username=yllapitaja&password=x', 'Content-Type: application/x-www-form-urlencoded\r\n', anonymous), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a body with no content type', request: send('POST', '/api/v1/session', login, '', anonymous), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'JSON in a charset other than UTF-8', request: send('POST', '/api/v1/session', login, 'Content-Type: application/json; charset=latin1\r\n', anonymous), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a content encoding the API does not take', request: send('POST', '/api/v1/session', login, 'Content-Type: application/json\r\nContent-Encoding: compress\r\n', anonymous), status: 415, code: 'UNSUPPORTED_CONTENT_ENCODING' },
    { name: 'a body over 64 KiB', request: send('POST', '/api/v1/session', JSON.stringify({ username: 'x'.repeat(70_000), password: PASSWORD }), undefined, anonymous), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    {
      name: 'a length of 10 MB declared and never sent',
      request: `POST /api/v1/session HTTP/1.1\r\n${anonymous}Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{`,
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    // A body where none belongs: the server must answer at once instead of waiting for it.
    { name: 'a GET with Content-Length 5 and no body', request: `GET /api/v1/calls HTTP/1.1\r\n${signedIn}Content-Length: 5\r\n\r\n`, status: 400, code: 'BODY_NOT_ALLOWED' },
    { name: 'a GET with a JSON Content-Length 5 and no body', request: `GET /api/v1/calls HTTP/1.1\r\n${signedIn}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n`, status: 400, code: 'BODY_NOT_ALLOWED' },
    { name: 'a GET with a chunked body never ended', request: `GET /api/v1/me HTTP/1.1\r\n${signedIn}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":`, status: 400, code: 'BODY_NOT_ALLOWED' },
    { name: 'a DELETE with a body', request: `DELETE /api/v1/session HTTP/1.1\r\n${signedIn}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n`, status: 400, code: 'BODY_NOT_ALLOWED' },
    // Queries: repeated, bracketed, out of range.
    { name: 'a repeated query parameter', request: get('/api/v1/calls?page=1&page=2'), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a repeated string parameter', request: get('/api/v1/calls?caller=0401&caller=0402'), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a bracketed query parameter', request: get('/api/v1/calls?caller[]=0401'), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'a page that is not a number', request: get('/api/v1/calls?page=Infinity'), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'an unknown query parameter', request: get('/api/v1/audit?admin=true'), status: 400, code: 'VALIDATION_FAILED' },
    // Ranges the player would never send.
    { name: 'a Range that is not bytes', request: get(`/api/v1/calls/${callId}/audio`, 'Range: items=0-1\r\n'), status: 416, code: 'RANGE_INVALID' },
    { name: 'a Range with letters', request: get(`/api/v1/calls/${callId}/audio`, 'Range: bytes=abc-def\r\n'), status: 416, code: 'RANGE_INVALID' },
    { name: 'a Range backwards', request: get(`/api/v1/calls/${callId}/audio`, 'Range: bytes=500-100\r\n'), status: 416, code: 'RANGE_INVALID' },
    { name: 'several Ranges', request: get(`/api/v1/calls/${callId}/audio`, 'Range: bytes=0-1,5-9\r\n'), status: 416, code: 'RANGE_INVALID' },
    { name: 'a Range past the end', request: get(`/api/v1/calls/${callId}/audio`, 'Range: bytes=99999999999999999999999-\r\n'), status: 416, code: 'RANGE_INVALID' },
    { name: 'an empty suffix Range', request: get(`/api/v1/calls/${callId}/audio`, 'Range: bytes=-0\r\n'), status: 416, code: 'RANGE_INVALID' },
    // Routes that do not exist, under /api and elsewhere.
    { name: 'an unknown route under /api/v1', request: get('/api/v1/no-such-thing'), status: 404, code: 'NOT_FOUND' },
    { name: 'an unknown API version', request: get('/api/v2/calls'), status: 404, code: 'NOT_FOUND' },
    { name: 'the bare /api', request: get('/api'), status: 404, code: 'NOT_FOUND' },
    { name: 'a method a route does not have', request: send('POST', '/api/v1/calls', '{}'), status: 404, code: 'NOT_FOUND' },
    { name: 'a path with bad percent-encoding outside the API', request: get('/%ff%fe'), status: 404, code: 'NOT_FOUND' },
    { name: 'a session cookie that is not a token', request: `GET /api/v1/me HTTP/1.1\r\n${anonymous}Cookie: __Host-tallennin=%ff%fe; x=\u00ff\r\nConnection: close\r\n\r\n`, status: 401, code: 'NOT_AUTHENTICATED' },
    { name: 'a request without Host', request: 'GET /api/v1/me HTTP/1.1\r\nConnection: close\r\n\r\n', status: 400, code: 'BAD_REQUEST_SYNTAX' },
    // HTTP itself broken: node's parser refuses it; the answer still carries a code.
    { name: 'headers over the limit', request: get('/api/v1/me', `X-Padding: ${'a'.repeat(20_000)}\r\n`), status: 431, code: 'HEADERS_TOO_LARGE' },
    { name: 'a request line that is not HTTP', request: 'HELLO THERE\r\n\r\n', status: 400, code: 'BAD_REQUEST_SYNTAX' },
    { name: 'two different Content-Lengths', request: `POST /api/v1/session HTTP/1.1\r\n${anonymous}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, status: 400, code: 'BAD_REQUEST_SYNTAX' },
  ];

  for (const testCase of cases) {
    const res = await rawHttps(port, ca, testCase.request);
    t.notOk(res.hung, `${testCase.name}: answered or closed, not left hanging`);
    t.equal(res.status, testCase.status, `${testCase.name}: status`);
    t.equal(res.code, testCase.code, `${testCase.name}: code`);
  }

  // The good requests still work after all that.
  t.equal((await admin.get('/api/v1/me')).status, 200, 'the server still answers');
  t.equal((await admin.get('/api/v1/calls')).status, 200, 'a search with no query');
  t.equal((await admin.get('/api/v1/calls?caller=%2B358401234567&order=asc')).status, 200, 'a search with a well-encoded query');
});

t.test('when a display name or user name holds NUL, a bidi override, a lone surrogate or markup, then setup, create and update refuse it with a reason', async (t) => {
  const fixture = await startApiAppliance(t);
  const client = fixture.client();
  const token = fixture.appliance.setupToken;
  // Setup: a refused name does not spend the one-time token.
  const rlo = await client.post('/api/v1/setup', { token, username: 'yllapitaja', displayName: '\u202EäjätipällY', password: PASSWORD });
  t.equal(rlo.status, 400);
  t.match(rlo.json(), { error: { code: 'DISPLAY_NAME_INVALID', reason: 'bidi-control' } });
  const { admin } = await firstAdministrator(fixture);

  // JSON escapes carry what raw UTF-8 cannot: NUL and a lone surrogate.
  const names: Array<[displayName: string, reason: string]> = [
    ['Eeva\u0000', 'control-character'],
    ['\u202EavaE', 'bidi-control'],
    ['\u2066Eeva\u2069', 'bidi-control'],
    ['Ee\u200Bva', 'invisible-character'],
    ['Eeva\uD800', 'lone-surrogate'],
    ['<img src=x onerror=alert(1)>', 'markup'],
    ['   ', 'empty'],
    ['x'.repeat(201), 'too-long'],
  ];
  for (const [displayName, reason] of names) {
    const created = await admin.post('/api/v1/users', { username: `u${randomUUID().slice(0, 8)}`, displayName, roles: ['supervisor'], password: PASSWORD });
    t.equal(created.status, 400, `create: ${reason}`);
    t.match(created.json(), { error: { code: 'DISPLAY_NAME_INVALID', reason } }, `create: ${reason}`);
  }
  const created = await admin.post('/api/v1/users', { username: 'esihenkilo', displayName: '  Eeva\u00A0\u00A0Esimerkki ', roles: ['supervisor'], password: PASSWORD });
  t.equal(created.status, 201);
  const user = created.json<{ user: { id: string; displayName: string } }>().user;
  t.equal(user.displayName, 'Eeva Esimerkki', 'spaces mapped and collapsed');
  for (const [displayName, reason] of names) {
    const updated = await admin.patch(`/api/v1/users/${user.id}`, { displayName });
    t.match(updated.json(), { error: { code: 'DISPLAY_NAME_INVALID', reason } }, `update: ${reason}`);
  }
  const listed = (await admin.get('/api/v1/users')).json<{ users: Array<{ id: string; displayName: string }> }>().users;
  t.equal(listed.find((candidate) => candidate.id === user.id)?.displayName, 'Eeva Esimerkki', 'no refused update changed the name');

  // An agent's name in the directory is a display name too; a refused change is audited as failed.
  const agents = (name: string): unknown => ({ agents: [{ extension: '2001', name, phone: '0501002001' }], recordedServiceNumbers: ['0201234567'], retentionMonths: 3 });
  const badAgent = await admin.send('PUT', '/api/v1/settings', { body: agents('Aino\u202E') });
  t.equal(badAgent.status, 400);
  t.match(badAgent.json(), { error: { code: 'DISPLAY_NAME_INVALID', reason: 'bidi-control' } });
  const goodAgent = await admin.send('PUT', '/api/v1/settings', { body: agents(' Aino\u3000Asiakaspalvelija ') });
  t.equal(goodAgent.status, 200);
  t.equal(goodAgent.json<{ settings: { agents: Array<{ name: string }> } }>().settings.agents[0]!.name, 'Aino Asiakaspalvelija');
  const audit = (await admin.get('/api/v1/audit?action=config.change')).json<{ items: Array<{ outcome: string; details?: { reason?: string } }> }>().items;
  t.ok(audit.some((entry) => entry.outcome === 'failed' && entry.details?.reason === 'DISPLAY_NAME_INVALID'), 'the refused change is on the audit trail');

  // User names are the ASCII subset of the UsernameCaseMapped profile: anything else is refused.
  for (const username of ['kalle\u0000', '\u202Ekalle', 'kal\u200Ble', '\uFF4B\uFF41\uFF4C\uFF4C\uFF45', 'kalle\uD800', '<kalle>']) {
    const refused = await admin.post('/api/v1/users', { username, displayName: 'Kalle', roles: ['supervisor'], password: PASSWORD });
    t.match(refused.json(), { error: { code: 'USERNAME_INVALID' } }, JSON.stringify(username));
  }
});
