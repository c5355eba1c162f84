/**
 * The `tallennin` command as a user runs it: integrity checks that name the recording, and
 * clear errors with non-zero exits for bad arguments, a missing key and a bad config.
 */
import t from 'tap';
import { mkdtemp, rm, readFile, writeFile, rename, truncate, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/service-process.js';
import { dataWithRecordings, recordingFile } from './support/record-calls.js';

t.test('when recordings are intact, then verify --all and verify ID exit 0', async (t) => {
  const { dataDir, ids } = await dataWithRecordings(t, 2);
  const all = await runCli(['recordings', 'verify', '--all', '--data-dir', dataDir]);
  t.equal(all.code, 0, all.stdout + all.stderr);
  t.match(all.stdout, /2 ok, 0 failed/);
  const one = await runCli(['recordings', 'verify', ids[0]!, '--data-dir', dataDir]);
  t.equal(one.code, 0);
  const listed = await runCli(['recordings', 'list', '--data-dir', dataDir]);
  t.match(listed.stdout, new RegExp(`${ids[1]}.*completed`));
  t.notMatch(listed.stdout, /\+?358[0-9]{9}|0401234567|0201234567/, 'the list holds no phone numbers');
});

t.test('when one byte of a recording is flipped, then verify fails naming that recording', async (t) => {
  const { dataDir, ids } = await dataWithRecordings(t, 2);
  const file = recordingFile(dataDir, ids[1]!);
  const bytes = await readFile(file);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
  await writeFile(file, bytes);
  const result = await runCli(['recordings', 'verify', '--all', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, new RegExp(`FAIL  ${ids[1]}`));
  t.match(result.stdout, new RegExp(`ok    ${ids[0]}`));
});

t.test('when a recording is truncated, then verify fails naming it', async (t) => {
  const { dataDir, ids } = await dataWithRecordings(t, 1);
  const file = recordingFile(dataDir, ids[0]!);
  await truncate(file, (await stat(file)).size - 100);
  const result = await runCli(['recordings', 'verify', ids[0]!, '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, new RegExp(`FAIL  ${ids[0]}: `));
});

t.test('when two recordings swap files, then verify fails naming both', async (t) => {
  const { dataDir, ids } = await dataWithRecordings(t, 2);
  const [a, b] = [recordingFile(dataDir, ids[0]!), recordingFile(dataDir, ids[1]!)];
  await rename(a, a + '.swap');
  await rename(b, a);
  await rename(a + '.swap', b);
  const result = await runCli(['recordings', 'verify', '--all', '--data-dir', dataDir]);
  t.equal(result.code, 1);
  t.match(result.stdout, new RegExp(`FAIL  ${ids[0]}`));
  t.match(result.stdout, new RegExp(`FAIL  ${ids[1]}`));
  t.match(result.stdout, /0 ok, 2 failed/);
});

t.test('when a recording is exported, then the WAV is 16-bit PCM of the call’s length; a bad id or missing --out is a usage error', async (t) => {
  const { dataDir, ids } = await dataWithRecordings(t, 1);
  const out = join(dataDir, 'call.wav');
  const exported = await runCli(['recordings', 'export-wav', ids[0]!, '--out', out, '--data-dir', dataDir]);
  t.equal(exported.code, 0, exported.stderr);
  t.equal((await stat(out)).size, 44 + 60 * 160 * 2);
  const badId = await runCli(['recordings', 'export-wav', '../../etc/passwd', '--out', out, '--data-dir', dataDir]);
  t.equal(badId.code, 2);
  t.match(badId.stderr, /RECORDING_ID_INVALID/);
  const noOut = await runCli(['recordings', 'export-wav', ids[0]!, '--data-dir', dataDir]);
  t.equal(noOut.code, 2);
  t.match(noOut.stderr, /needs --out FILE/);
  const unknown = await runCli(['recordings', 'export-wav', '00000000-0000-4000-8000-000000000000', '--out', out, '--data-dir', dataDir]);
  t.equal(unknown.code, 4);
  t.match(unknown.stderr, /RECORDING_NOT_FOUND/);
});

t.test('when the arguments are wrong, then usage is printed and the exit is 2', async (t) => {
  for (const args of [['frobnicate'], ['recordings'], ['recordings', 'verify'], ['purge', '--bogus'], ['recordings', 'verify', 'x', '--all']]) {
    const result = await runCli(args);
    t.equal(result.code, 2, args.join(' '));
    t.match(result.stderr, /Usage: tallennin/);
  }
  const help = await runCli(['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /recordings export-wav/);
});

t.test('when the config is unreadable or invalid, then the command says why and exits 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-cfg-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const missing = await runCli(['start', '--config', join(dir, 'nope.json')]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /cannot read config file .*nope\.json: ENOENT/);
  await writeFile(join(dir, 'bad.json'), '{ "mode": "production", ');
  const broken = await runCli(['start', '--config', join(dir, 'bad.json')]);
  t.equal(broken.code, 2);
  t.match(broken.stderr, /not valid JSON/);
  await writeFile(join(dir, 'invalid.json'), JSON.stringify({ retention: { months: 6 }, agents: [{ extension: 'x' }], colour: 'blue' }));
  const invalid = await runCli(['start', '--config', join(dir, 'invalid.json')]);
  t.equal(invalid.code, 2);
  t.match(invalid.stderr, /retention\.months: /);
  t.match(invalid.stderr, /agents\.0\.extension: /);
  t.match(invalid.stderr, /colour/);
});

t.test('when a production box has no master key credential, then the service refuses to start with exit 3', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-nokey-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ mode: 'production', dataDir: join(dir, 'data'), bridge: { path: join(dir, 'link') }, register: { name: 'Testirekisteri', controller: { name: 'Testikassa', address: 'Testikatu 1, 00100 Helsinki' } } }));
  const result = await runCli(['start', '--config', join(dir, 'config.json')]);
  t.equal(result.code, 3);
  t.match(result.stderr, /MASTER_KEY_MISSING/);
  const offline = await runCli(['recordings', 'list', '--data-dir', join(dir, 'elsewhere')]);
  t.equal(offline.code, 3, 'an offline command never makes a key of its own');
});

t.test('when the demo key is readable by others, then the commands refuse it', async (t) => {
  const { dataDir } = await dataWithRecordings(t, 1);
  await chmod(join(dataDir, 'demo-master.key'), 0o644);
  const result = await runCli(['recordings', 'list', '--data-dir', dataDir]);
  t.equal(result.code, 3);
  t.match(result.stderr, /MASTER_KEY_INVALID/);
});
