import t, { type Test } from 'tap';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { SetupTokens, SETUP_TOKEN_VALID_MS } from '../../../src/access/setup-token.js';
import { START_MS, tempDir } from './auth-fixtures.js';

const TOKEN_FORMAT = /^([A-HJ-NP-Z2-9]{4}-){7}[A-HJ-NP-Z2-9]{4}$/;

async function fixture(t: Test): Promise<{ dataDir: string; clock: ManualClock; tokens: SetupTokens; file: string }> {
  const dataDir = await tempDir(t, 'tallennin-setup-');
  const clock = new ManualClock(START_MS);
  return { dataDir, clock, tokens: new SetupTokens({ dataDir, clock }), file: join(dataDir, 'setup-token.json') };
}

t.test('when a token is issued, then it is 160 bits in typable groups and only its SHA-256 is on disk, mode 0600', async (t) => {
  const { tokens, file } = await fixture(t);
  t.notOk(await tokens.pending());
  const token = await tokens.issue();
  t.match(token, TOKEN_FORMAT, '32 characters of a 32-letter alphabet without 0/O/1/I: 160 bits');
  t.ok(await tokens.pending());
  const text = await readFile(file, 'utf8');
  const compact = token.replace(/-/g, '');
  for (let i = 0; i + 8 <= compact.length; i += 4) t.notOk(text.includes(compact.slice(i, i + 8)), 'no piece of the token in the file');
  t.same(JSON.parse(text), { sha256: createHash('sha256').update(compact).digest('hex'), expiresAt: START_MS + SETUP_TOKEN_VALID_MS });
  t.equal((await stat(file)).mode & 0o777, 0o600);
  t.not(await tokens.issue(), token, 'every token is new');
});

t.test('when the right token is consumed, then it works once, typed in any case and grouping, and the file is gone', async (t) => {
  const { tokens, file } = await fixture(t);
  const token = await tokens.issue();
  t.notOk(await tokens.consume('WRONG-TOKEN'), 'a wrong token');
  t.notOk(await tokens.consume(''), 'an empty one');
  t.notOk(await tokens.consume(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), 'one character off');
  t.notOk(await tokens.consume('x'.repeat(10_000)), 'a huge one');
  t.ok(await tokens.pending(), 'wrong tokens do not spend it');
  t.ok(await tokens.consume(` ${token.toLowerCase().replace(/-/g, ' ')} `), 'lower case, spaces for dashes');
  await t.rejects(stat(file), { code: 'ENOENT' });
  t.notOk(await tokens.consume(token), 'once only');
  t.notOk(await tokens.pending());
});

t.test('when the same token is consumed twice at once, then only one wins', async (t) => {
  const { tokens } = await fixture(t);
  const token = await tokens.issue();
  const results = await Promise.all([tokens.consume(token), tokens.consume(token), tokens.consume(token)]);
  t.same(results.filter(Boolean).length, 1);
});

t.test('when a token is reissued, then the earlier one stops working', async (t) => {
  const { tokens } = await fixture(t);
  const first = await tokens.issue();
  const second = await tokens.issue();
  t.notOk(await tokens.consume(first));
  t.ok(await tokens.consume(second));
});

t.test('when 24 hours pass, then the token has expired', async (t) => {
  const { tokens, clock } = await fixture(t);
  const token = await tokens.issue();
  clock.advance(SETUP_TOKEN_VALID_MS - 1);
  t.ok(await tokens.pending(), 'a millisecond before');
  clock.advance(1);
  t.notOk(await tokens.pending());
  t.notOk(await tokens.consume(token));
});

t.test('when another process writes the token file, then the service reads it fresh', async (t) => {
  const { dataDir, clock, tokens } = await fixture(t);
  const cli = new SetupTokens({ dataDir, clock });
  const first = await tokens.issue();
  const fromCli = await cli.issue();
  t.notOk(await tokens.consume(first), 'the service sees the CLI replaced it');
  t.ok(await tokens.consume(fromCli));
});

t.test('when the token file is corrupt, then no token is pending and none is accepted', async (t) => {
  const { tokens, file } = await fixture(t);
  await writeFile(file, '{ not json');
  t.notOk(await tokens.pending());
  t.notOk(await tokens.consume('AAAA-BBBB'));
  await writeFile(file, JSON.stringify({ sha256: 42 }));
  t.notOk(await tokens.pending());
});
