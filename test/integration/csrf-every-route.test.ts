/**
 * CSRF on every state change of a session, read from the API document itself: each POST, PUT,
 * PATCH and DELETE that needs a session (second-factor routes of the user's own account, user
 * administration and settings included) refuses a request that lacks the session's CSRF token or
 * brings another one, before it changes anything. A route added later is covered by being
 * described.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { openApiDocument } from '../../src/http/openapi.js';
import { firstAdministrator, startApiAppliance } from './support/api-appliance.js';

type Operation = { security?: unknown[] };

t.test('when any state change of a session comes without its CSRF token or with a wrong one, then it is refused with CSRF_REJECTED', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
  const changes = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method, operation]) => ['post', 'put', 'patch', 'delete'].includes(method) && !Array.isArray(operation.security)) // open, or signed by a machine (the door webhook): no session, no token
      .map(([method]) => ({ method: method.toUpperCase(), path: `/api/v1${path.replace(/\{[^}]+\}/g, randomUUID())}` })),
  );
  for (const expected of ['POST /api/v1/session/reauthenticate', 'POST /api/v1/me/totp', 'POST /api/v1/me/totp/confirm', 'DELETE /api/v1/users/{id}/totp', 'PATCH /api/v1/users/{id}', 'DELETE /api/v1/session']) {
    const [method, path] = expected.split(' ') as [string, string];
    const pattern = new RegExp(`^${path.replace(/\{id\}/, '[0-9a-f-]{36}')}$`);
    t.ok(changes.some((change) => change.method === method && pattern.test(change.path)), `${expected} is among the routes tried`);
  }
  for (const { method, path } of changes) {
    const body = method === 'DELETE' ? {} : { body: {} };
    const missing = await admin.send(method, path, { ...body, csrf: false });
    t.equal(missing.status, 403, `${method} ${path} without the token`);
    t.equal(missing.json<{ error: { code: string } }>().error.code, 'CSRF_REJECTED', `${method} ${path} without the token: CSRF_REJECTED`);
    const wrong = await admin.send(method, path, { ...body, headers: { 'x-csrf-token': 'not-the-token' } });
    t.equal(wrong.json<{ error: { code: string } }>().error.code, 'CSRF_REJECTED', `${method} ${path} with a wrong token: CSRF_REJECTED`);
  }
  t.equal((await admin.get('/api/v1/me')).status, 200, 'the session is still there: the sign-out without a token changed nothing');
});
