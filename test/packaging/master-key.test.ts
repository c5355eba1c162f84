/**
 * tallennin-create-master-key, the script the postinst runs once: a real `systemd-creds encrypt`
 * sealed to a host secret of the test's own ($SYSTEMD_CREDENTIAL_SECRET), so the machine's
 * /var/lib/systemd/credential.secret is never made or touched.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parseKey } from '../../src/storage/master-key.js';
import { describe, run, SYSTEMD_DIR } from './support/commands.js';

const SCRIPT = join(SYSTEMD_DIR, 'tallennin-create-master-key');

/** The environment of a run: a host secret inside the test folder. */
function credsEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, SYSTEMD_CREDENTIAL_SECRET: join(dir, 'host-credential.secret') };
}

t.test('when the key is made, then systemd-creds gives back 32 bytes the service accepts, from a private file', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'credstore.encrypted/tallennin-master-key');
  const made = await run(SCRIPT, ['--with-key=host', '--out', out], { env: credsEnv(dir) });
  t.equal(made.code, 0, describe(made));
  t.match(made.stdout, /Back it up/);

  t.equal((await stat(out)).mode & 0o777, 0o600);
  t.equal((await stat(join(dir, 'credstore.encrypted'))).mode & 0o777, 0o700, 'a new credstore is private');
  t.same(await readdir(join(dir, 'credstore.encrypted')), ['tallennin-master-key'], 'no temporary file left');

  t.not((await stat(out)).size, 32, 'the file is not the plain key');
  const decrypted = await runBinary('systemd-creds', ['decrypt', '--name=tallennin-master-key', out, '-'], credsEnv(dir));
  t.equal(decrypted.length, 32);
  t.ok(parseKey(Buffer.from(decrypted), out).equals(decrypted), "the service's key parser takes it as it is");

  const wrongName = await run('systemd-creds', ['decrypt', '--name=another-credential', out, '-'], { env: credsEnv(dir) });
  t.not(wrongName.code, 0, 'the credential is bound to its name');
});

t.test('when a key already exists, then it is kept and the script says why', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'tallennin-master-key');
  await writeFile(out, 'existing credential', { mode: 0o600 });
  const result = await run(SCRIPT, ['--with-key=host', '--out', out], { env: credsEnv(dir) });
  t.equal(result.code, 1, describe(result));
  t.match(result.stderr, /every existing recording unreadable/);
  t.equal(await readFile(out, 'utf8'), 'existing credential');
});

t.test('when systemd-creds cannot encrypt, then the script fails with exit 3 and leaves no file', async (t) => {
  const dir = t.testdir();
  const out = join(dir, 'credstore/tallennin-master-key');
  // A "host secret" that is a folder: systemd-creds can neither read it nor make it.
  await mkdir(join(dir, 'secret-is-a-folder'));
  const env = { ...process.env, SYSTEMD_CREDENTIAL_SECRET: join(dir, 'secret-is-a-folder') };
  const result = await run(SCRIPT, ['--with-key=host', '--out', out], { env });
  t.equal(result.code, 3, describe(result));
  t.match(result.stderr, /no key was made/);
  t.same(await readdir(join(dir, 'credstore')), [], 'neither the key nor a temporary file');
});

t.test('when the key mode is not one systemd-creds offers, then the script stops with exit 2', async (t) => {
  const dir = t.testdir();
  const result = await run(SCRIPT, ['--with-key=plaintext', '--out', join(dir, 'key')], { env: credsEnv(dir) });
  t.equal(result.code, 2, describe(result));
  t.same(await readdir(dir), []);
});

/** stdout of a command as bytes; rejects on a non-zero exit. */
async function runBinary(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Buffer> {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(command, args, { env });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.toString('utf8')}`);
  return result.stdout;
}
