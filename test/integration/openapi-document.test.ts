/**
 * The API description as its readers judge it: Redocly CLI's lint (the tool integrators run)
 * with no error and no warning, the served routes and the documented operations the same set,
 * and what the document promises about sessions, CSRF, identifiers, licence and version.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp, type AppDependencies } from '../../src/http/app.js';
import { openApiDocument } from '../../src/http/openapi.js';
import { contractProblems } from './support/openapi-contract.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Document = { info: { version: string; license?: { name: string } }; paths: Record<string, Record<string, Operation>> };

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
// The disclosure key is public: a receiver checks a bundle against it without an account.
const PUBLIC = new Set(['post /session', 'get /setup', 'post /setup', 'get /openapi.json', 'post /password-reset', 'get /cases/public-key']);
/** Signed by a machine instead of a session: no cookie, no CSRF token (docs/door-access.md). */
const SIGNED = new Set(['post /door-events']);

function operations(doc: Document): Array<{ key: string; method: string; path: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method} ${path}`, method, path, op })));
}

/** The routes express serves under /api/v1, as `method /path` with `{name}` parameters. */
function servedRoutes(): string[] {
  // Only the routing table is read: no handler runs, so the dependencies are never touched.
  const app = createApp({} as AppDependencies) as unknown as { router: { stack: Layer[] } };
  type Layer = { rawPath?: string; slash?: boolean; route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] } };
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        const path = `${prefix}${layer.route.path}`.replace(/\/$/, '').replace(/:([A-Za-z]+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) found.push(`${method} ${path}`);
      } else if (layer.handle.stack !== undefined) {
        walk(layer.handle.stack, typeof layer.rawPath === 'string' && layer.slash !== true ? `${prefix}${layer.rawPath}` : prefix);
      }
    }
  };
  walk(app.router.stack, '');
  return found.filter((route) => route.includes(' /api/v1/')).map((route) => route.replace(' /api/v1/', ' /')).sort();
}

t.test('when Redocly CLI lints the served document, then it finds no error and no warning', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-openapi-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(openApiDocument(), null, 2));
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  const result = await run(join(ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
  const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }> };
  const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
  t.same(problems, [], 'no problems');
  t.equal(report.totals.errors, 0, 'no errors');
  t.equal(report.totals.warnings, 0, 'no warnings');
});

t.test('when the document is compared with the routes the server answers, then each has the other', async (t) => {
  const documented = operations(openApiDocument() as Document).map((o) => o.key).sort();
  t.same(documented, servedRoutes(), 'served routes and documented operations are the same set');
});

t.test('when an integrator reads the operations, then each has an id, its security, its refusals and a body schema for every answer with a body', async (t) => {
  const doc = openApiDocument() as Document;
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
  t.equal(doc.info.version, pkg.version, 'the version follows the package');
  t.equal(doc.info.license?.name, pkg.license, 'the licence is the package’s');
  const ids = new Set<string>();
  for (const { key, method, op } of operations(doc)) {
    t.match(op.operationId, /^[a-z][A-Za-z]+$/, `${key}: operationId`);
    t.notOk(ids.has(op.operationId!), `${key}: operationId unique`);
    ids.add(op.operationId!);
    if (SIGNED.has(key)) {
      t.same(op.security, [{ doorSignature: [] }], `${key}: its own signature instead of a session`);
      t.ok(op.responses['401'], `${key}: 401 for a wrong signature`);
      t.notOk(op.parameters?.some((p) => p.name === 'X-CSRF-Token'), `${key}: no CSRF token`);
    } else if (PUBLIC.has(key)) {
      t.same(op.security, [], `${key}: open without a session`);
    } else {
      t.ok(op.responses['401'], `${key}: 401 without a session`);
      if (STATE_CHANGING.has(method)) {
        t.ok(op.parameters?.some((p) => p.in === 'header' && p.name === 'X-CSRF-Token' && p.required === true), `${key}: X-CSRF-Token header`);
      }
    }
    if (STATE_CHANGING.has(method) && !SIGNED.has(key)) t.ok(op.responses['403'], `${key}: 403 for a cross-site request`);
    for (const [status, response] of Object.entries(op.responses)) {
      if (status === '204') t.notOk(response.content, `${key} ${status}: no body`);
      else for (const [media, content] of Object.entries(response.content ?? { none: {} })) t.ok(content.schema, `${key} ${status} ${media}: a schema`);
    }
  }
  t.ok(doc.paths['/session']?.post?.responses['429'], 'sign-in says it may be throttled');
});

t.test('when an answer is not as documented, then the contract check of the API tests names what is wrong', async (t) => {
  const json = (body: unknown, status = 200): { status: number; headers: Record<string, string>; body: Buffer } => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(body)) });
  const setup = { pending: true };
  t.same(contractProblems('GET', '/api/v1/setup', json(setup)), [], 'a documented answer passes');
  t.same(contractProblems('GET', '/index.html', json({ anything: 1 }, 418)), [], 'only the API is checked');
  t.match(contractProblems('GET', '/api/v1/setup', json(setup, 418)), [/the status is not documented/]);
  t.match(contractProblems('GET', '/api/v1/setup', json({ ...setup, token: 'x' })), [/must NOT have additional properties/], 'an undocumented field');
  t.match(contractProblems('GET', '/api/v1/setup', json({ pending: 'yes' })), [/must be boolean/], 'a field of another type');
  t.match(contractProblems('GET', '/api/v1/setup', { ...json(setup), headers: { 'content-type': 'text/html' } }), [/media type "text\/html" is not documented/]);
  t.match(contractProblems('GET', '/api/v1/nothing-here', json({})), [/the path is not in the document/]);
  t.match(contractProblems('DELETE', '/api/v1/setup', json({})), [/the method is not in the document/]);
  t.match(contractProblems('DELETE', `/api/v1/users/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/totp`, { status: 204, headers: {}, body: Buffer.from('{}') }), [/a body where the document says none/]);
  t.match(contractProblems('POST', '/api/v1/session', json({ error: { code: 'THROTTLED', message: 'wait' } }, 429)), [/the documented header Retry-After is missing/]);
  t.match(contractProblems('POST', '/api/v1/session', json({ error: { code: 'NOT_A_CODE', message: 'x' } }, 401)), [/must be equal to one of the allowed values/], 'an undocumented error code');
  t.match(contractProblems('GET', `/api/v1/calls/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/audio`, { status: 206, headers: { 'content-type': 'audio/wav', 'content-length': '10', 'accept-ranges': 'bytes', 'content-range': 'bytes 0-9' }, body: Buffer.alloc(10) }), [/header Content-Range value must match pattern/]);
});
