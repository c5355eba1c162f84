/**
 * The web server's own limits over a real TLS socket: a client that declares a body and stops
 * sending, or never finishes its headers, gets a 408 with a code and a closed connection. The
 * limits are lowered to a second here so the test need not wait the production 10-30 s; the
 * hang guard (a minute) only ends a test that would otherwise wait for ever.
 */
import t from 'tap';
import express from 'express';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { loadTlsMaterial } from '../../src/http/tls-certificate.js';
import { startWebServer, WEB_SERVER_LIMITS } from '../../src/http/web-server.js';
import { errorMiddleware } from '../../src/http/http-errors.js';
import { jsonBody, requestBodyGuard } from '../../src/http/request-body.js';
import { rawHttps } from './support/raw-https.js';

t.test('when a client stalls mid-request, then the server answers 408 REQUEST_TIMEOUT and closes', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-web-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const tls = await loadTlsMaterial({ dataDir, clock: new ManualClock(Date.now()), logger: silentLogger });
  const app = express();
  app.use(requestBodyGuard(), jsonBody());
  app.post('/echo', (req, res) => {
    res.json({ got: req.body as unknown });
  });
  app.use(errorMiddleware(silentLogger));
  const web = await startWebServer(app, { host: '127.0.0.1', port: 0, tls, limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 1_000, connectionsCheckingIntervalMs: 100 } });
  t.teardown(() => web.stop());
  const port = web.address.port;

  const whole = await rawHttps(port, tls.cert, 'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{"a":1}\n');
  t.equal(whole.status, 200, 'a whole request is answered');

  const stalledBody = await rawHttps(port, tls.cert, 'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"a"');
  t.notOk(stalledBody.hung, 'a body that stops coming: not left hanging');
  t.equal(stalledBody.status, 408);
  t.equal(stalledBody.code, 'REQUEST_TIMEOUT');

  const stalledHeaders = await rawHttps(port, tls.cert, 'GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
  t.notOk(stalledHeaders.hung, 'headers that stop coming: not left hanging');
  t.equal(stalledHeaders.status, 408);
  t.equal(stalledHeaders.code, 'REQUEST_TIMEOUT');
});

t.test('the production limits are ordered so that each one can fire', async (t) => {
  t.ok(WEB_SERVER_LIMITS.headersTimeoutMs <= WEB_SERVER_LIMITS.requestTimeoutMs, 'headers before the whole request (node requires it)');
  t.ok(WEB_SERVER_LIMITS.connectionsCheckingIntervalMs < WEB_SERVER_LIMITS.headersTimeoutMs, 'the check runs more often than the shortest limit');
  t.ok(WEB_SERVER_LIMITS.socketIdleTimeoutMs > 20_000, 'an idle socket outlives the longest wait inside a request (a password check: 20 s)');
});
