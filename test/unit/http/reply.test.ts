/**
 * reply(): the one way a handler answers in JSON. Through a real express app on a real socket,
 * with the API's error middleware: a field the answer's schema does not name never leaves, and
 * an answer that breaks its schema becomes a plain 500, not an undocumented body.
 */
import t, { type Test } from 'tap';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { reply } from '../../../src/http/reply.js';
import { errorMiddleware } from '../../../src/http/http-errors.js';
import { silentLogger } from '../../../src/log.js';

const answer = z.object({ user: z.object({ id: z.string(), displayName: z.string() }) });

async function serve(t: Test, handler: express.RequestHandler): Promise<string> {
  const app = express();
  app.get('/', handler);
  app.use(errorMiddleware(silentLogger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

t.test('when a domain object carries a field the answer does not describe, then the field is not sent', async (t) => {
  const stored = { id: 'u1', displayName: 'Aino', passwordHash: '$argon2id$secret' };
  const url = await serve(t, (_req, res) => reply(res, 201, answer, { user: stored }));
  const res = await fetch(url);
  t.equal(res.status, 201);
  t.same(await res.json(), { user: { id: 'u1', displayName: 'Aino' } });
});

t.test('when an answer breaks its schema, then a 500 without detail goes out instead', async (t) => {
  const url = await serve(t, (_req, res) => reply(res, 200, answer, { user: { id: 'u1', displayName: 42 as unknown as string } }));
  const res = await fetch(url);
  t.equal(res.status, 500);
  t.same(await res.json(), { error: { code: 'INTERNAL', message: 'internal error' } });
});
