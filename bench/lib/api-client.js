/**
 * The benchmarks' HTTPS client of the API, as a browser would be one: the appliance's own
 * certificate as the only CA, a jar of the session cookie and the device cookie, the CSRF header
 * on state changes, and the time to the first byte and to the end of each answer. And the one
 * set-up every benchmark needs: the first administrator (with the second factor its role
 * requires) and a supervisor whose requests are measured.
 */
import { Buffer } from 'node:buffer';
import { request } from 'node:https';
import { performance } from 'node:perf_hooks';
import * as OTPAuth from 'otpauth';

const DEVICE_COOKIE = '__Host-tallennin-device';

/**
 * `apiClient({ port, ca })(cookie, csrf)` is a function (method, path, body?, headers?) that
 * answers { status, body, firstByteMs, totalMs }. `cookie` ({ value, device }) and `csrf`
 * ({ value }) are the browser's state; a new CSRF token in an answer is the caller's to keep.
 */
export function apiClient({ port, ca }) {
  return (cookie, csrf) => (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const started = performance.now();
      let firstByteMs;
      const jar = [cookie.value, cookie.device].filter(Boolean).join('; ');
      const req = request(
        {
          host: 'localhost', port, path, method, ca, servername: 'localhost',
          headers: {
            'sec-fetch-site': 'same-origin',
            ...(jar ? { cookie: jar } : {}),
            ...(csrf.value ? { 'x-csrf-token': csrf.value } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks = [];
          res.once('data', () => (firstByteMs = performance.now() - started));
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            // The session cookie, and after a sign-in the device cookie the browser keeps beside it.
            for (const set of res.headers['set-cookie'] ?? []) {
              if (set.startsWith(`${DEVICE_COOKIE}=`)) cookie.device = set.split(';')[0];
              else cookie.value = set.split(';')[0];
            }
            const totalMs = performance.now() - started;
            resolve({ status: res.statusCode, body: Buffer.concat(chunks), firstByteMs: firstByteMs ?? totalMs, totalMs });
          });
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
}

/**
 * The first administrator from the setup token, signed in with the second factor enrolled (its
 * role needs one), and the supervisor `esihenkilo` it creates. Any refusal stops the benchmark.
 */
export async function administratorAndSupervisor(client, setupToken, password) {
  const adminCookie = { value: undefined };
  const adminCsrf = { value: undefined };
  const admin = client(adminCookie, adminCsrf);
  const expect = async (answer, statuses, what) => {
    const res = await answer;
    if (!statuses.includes(res.status)) throw new Error(`${what} answered ${res.status}: ${res.body}`);
    return res.body.length > 0 ? JSON.parse(res.body) : {};
  };
  await expect(admin('POST', '/api/v1/setup', { token: setupToken, username: 'yllapitaja', displayName: 'Ylläpitäjä', password }), [201], 'the setup');
  adminCsrf.value = (await expect(admin('POST', '/api/v1/session', { username: 'yllapitaja', password }), [201], 'the administrator’s sign-in')).csrfToken;
  const { secret } = await expect(admin('POST', '/api/v1/me/totp'), [201], 'the second factor’s set-up');
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  // Confirming the second factor is a change of privilege: a new session cookie and CSRF token.
  adminCsrf.value = (await expect(admin('POST', '/api/v1/me/totp/confirm', { code: totp.generate() }), [200], 'the second factor’s confirmation')).csrfToken;
  await expect(admin('POST', '/api/v1/users', { username: 'esihenkilo', displayName: 'Esihenkilö', roles: ['supervisor'], password }), [201], 'creating the supervisor');
  return { admin, totp };
}
