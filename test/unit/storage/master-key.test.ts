import t from 'tap';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isAppError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { DEMO_MASTER_KEY_FILE, loadMasterKey, MASTER_KEY_CREDENTIAL_NAME } from '../../../src/storage/master-key.js';
import { capturingLogger, tempDir } from './helpers.js';

async function credential(dir: string, content: Buffer | string, mode = 0o400): Promise<string> {
  const credentialsDirectory = join(dir, 'credentials');
  await mkdir(credentialsDirectory, { recursive: true });
  const path = join(credentialsDirectory, MASTER_KEY_CREDENTIAL_NAME);
  await writeFile(path, content);
  await chmod(path, mode);
  return credentialsDirectory;
}

void t.test('when the credential holds 32 raw bytes, then production mode loads exactly them', async (t) => {
  const dir = await tempDir(t);
  const key = randomBytes(32);
  const credentialsDirectory = await credential(dir, key);
  const loaded = await loadMasterKey({ mode: 'production', credentialsDirectory, dataDir: join(dir, 'data'), logger: silentLogger });
  t.ok(loaded.key.equals(key));
  t.equal(loaded.source, 'credential');
  t.equal(loaded.generated, false);
});

void t.test('when the credential holds 64 hex characters and a newline, then they are decoded', async (t) => {
  const dir = await tempDir(t);
  const key = randomBytes(32);
  const credentialsDirectory = await credential(dir, key.toString('hex').toUpperCase() + '\n', 0o600);
  const loaded = await loadMasterKey({ mode: 'production', credentialsDirectory, dataDir: join(dir, 'data'), logger: silentLogger });
  t.ok(loaded.key.equals(key));
});

void t.test('when production mode finds no credential, then MASTER_KEY_MISSING and no key file is made', async (t) => {
  const dir = await tempDir(t);
  const dataDir = join(dir, 'data');
  const err = await loadMasterKey({ mode: 'production', credentialsDirectory: join(dir, 'empty'), dataDir, logger: silentLogger }).catch((e: unknown) => e);
  t.ok(isAppError(err, 'MASTER_KEY_MISSING'));
  await t.rejects(stat(join(dataDir, DEMO_MASTER_KEY_FILE)), { code: 'ENOENT' });
});

void t.test('when production mode has no credentials directory at all, then MASTER_KEY_MISSING', async (t) => {
  const dir = await tempDir(t);
  const saved = process.env.CREDENTIALS_DIRECTORY;
  delete process.env.CREDENTIALS_DIRECTORY;
  t.teardown(() => {
    if (saved !== undefined) process.env.CREDENTIALS_DIRECTORY = saved;
  });
  await t.rejects(loadMasterKey({ mode: 'production', dataDir: dir, logger: silentLogger }), { code: 'MASTER_KEY_MISSING' });
});

void t.test('when the credential has the wrong length or encoding, then MASTER_KEY_INVALID', async (t) => {
  for (const content of [randomBytes(31), randomBytes(33), 'zz'.repeat(32), Buffer.alloc(0)]) {
    const dir = await tempDir(t);
    const credentialsDirectory = await credential(dir, content);
    await t.rejects(loadMasterKey({ mode: 'production', credentialsDirectory, dataDir: dir, logger: silentLogger }), { code: 'MASTER_KEY_INVALID' });
  }
});

void t.test('when the credential is all zeros, then MASTER_KEY_INVALID', async (t) => {
  const dir = await tempDir(t);
  const credentialsDirectory = await credential(dir, Buffer.alloc(32));
  await t.rejects(loadMasterKey({ mode: 'production', credentialsDirectory, dataDir: dir, logger: silentLogger }), { code: 'MASTER_KEY_INVALID' });
});

void t.test('when the credential is readable by group or others, then MASTER_KEY_INVALID names the mode', async (t) => {
  const dir = await tempDir(t);
  const credentialsDirectory = await credential(dir, randomBytes(32), 0o644);
  const err = await loadMasterKey({ mode: 'production', credentialsDirectory, dataDir: dir, logger: silentLogger }).catch((e: unknown) => e);
  t.ok(isAppError(err, 'MASTER_KEY_INVALID'));
  t.match((err as { details: { mode: string } }).details, { reason: 'permissions', mode: '0644' });
});

void t.test('when the credential path is a directory, then MASTER_KEY_INVALID', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'credentials', MASTER_KEY_CREDENTIAL_NAME), { recursive: true });
  await t.rejects(
    loadMasterKey({ mode: 'production', credentialsDirectory: join(dir, 'credentials'), dataDir: dir, logger: silentLogger }),
    { code: 'MASTER_KEY_INVALID' },
  );
});

void t.test('when demo mode has no credential, then a 0600 key file is generated loudly and reused the second time', async (t) => {
  const dir = await tempDir(t);
  const dataDir = join(dir, 'data');
  const { logger, lines } = capturingLogger();
  const first = await loadMasterKey({ mode: 'demo', credentialsDirectory: join(dir, 'none'), dataDir, logger });
  t.equal(first.source, 'demo-file');
  t.equal(first.generated, true);
  t.equal(first.key.length, 32);
  const path = join(dataDir, DEMO_MASTER_KEY_FILE);
  t.equal((await stat(path)).mode & 0o777, 0o600);
  t.equal((await readFile(path, 'utf8')).trim(), first.key.toString('hex'));
  t.ok(lines.some((line) => line.level === 'warn' && String(line.msg).includes('DEMO MODE')), 'warns');
  t.notOk(JSON.stringify(lines).includes(first.key.toString('hex')), 'the key is never logged');

  const second = await loadMasterKey({ mode: 'demo', credentialsDirectory: join(dir, 'none'), dataDir, logger });
  t.equal(second.generated, false);
  t.ok(second.key.equals(first.key));
  t.equal(lines.filter((line) => line.level === 'warn').length, 2, 'warns at every start');
});

void t.test('when demo mode finds a credential, then the credential wins and no file is generated', async (t) => {
  const dir = await tempDir(t);
  const key = randomBytes(32);
  const credentialsDirectory = await credential(dir, key);
  const loaded = await loadMasterKey({ mode: 'demo', credentialsDirectory, dataDir: join(dir, 'data'), logger: silentLogger });
  t.equal(loaded.source, 'credential');
  t.ok(loaded.key.equals(key));
  await t.rejects(stat(join(dir, 'data', DEMO_MASTER_KEY_FILE)), { code: 'ENOENT' });
});

void t.test('when the demo key file was made readable by others, then it is refused', async (t) => {
  const dir = await tempDir(t);
  await loadMasterKey({ mode: 'demo', credentialsDirectory: join(dir, 'none'), dataDir: dir, logger: silentLogger });
  await chmod(join(dir, DEMO_MASTER_KEY_FILE), 0o644);
  await t.rejects(loadMasterKey({ mode: 'demo', credentialsDirectory: join(dir, 'none'), dataDir: dir, logger: silentLogger }), {
    code: 'MASTER_KEY_INVALID',
  });
});
