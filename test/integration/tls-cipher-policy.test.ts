/**
 * The TLS policy, tried from outside with the `openssl s_client` binary: every forbidden suite
 * family (CBC, SHA-1, CCM and CCM8, ARIA, CAMELLIA, RSA or DHE key exchange), TLS 1.0/1.1 and the
 * groups outside X25519/P-256/P-384 must fail the handshake; the suites of Mozilla's
 * intermediate profile (ECDHE with AES-GCM or CHACHA20-POLY1305, and TLS 1.3) must succeed.
 * Once against the appliance with its own self-signed ECDSA certificate, once against the same
 * server with an RSA certificate such as a fund may install. The client is set to offer
 * anything (@SECLEVEL=0), so a refusal is the server's.
 */
import t, { type Test } from 'tap';
import express from 'express';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { loadTlsMaterial } from '../../src/http/tls-certificate.js';
import { startWebServer } from '../../src/http/web-server.js';
import { startApiAppliance } from './support/api-appliance.js';

const run = promisify(execFile);
/** A hang guard for one handshake, never a speed target. */
const HANDSHAKE_GUARD_MS = 60_000;

interface Attempt {
  readonly name: string;
  readonly args: string[];
  readonly allowed: boolean;
  /** The suite that must be negotiated when allowed. */
  readonly suite?: string;
}

const tls12 = (suite: string, allowed: boolean): Attempt => ({ name: `TLS 1.2 ${suite}`, args: ['-tls1_2', '-cipher', `${suite}:@SECLEVEL=0`], allowed, ...(allowed ? { suite } : {}) });
const tls13 = (suite: string, allowed: boolean): Attempt => ({ name: `TLS 1.3 ${suite}`, args: ['-tls1_3', '-ciphersuites', suite], allowed, ...(allowed ? { suite } : {}) });
const group = (version: '-tls1_2' | '-tls1_3', name: string, allowed: boolean): Attempt => ({ name: `${version === '-tls1_2' ? 'TLS 1.2' : 'TLS 1.3'} group ${name}`, args: [version, '-groups', name, '-cipher', 'ALL:@SECLEVEL=0'], allowed });
const oldVersion = (flag: string, name: string): Attempt => ({ name, args: [flag, '-cipher', 'ALL:@SECLEVEL=0'], allowed: false });

/**
 * What both certificates share: TLS 1.3, its key-exchange groups, the old protocol versions.
 * (TLS 1.2 groups are tried with the RSA certificate only: with an ECDSA certificate TLS 1.2 also
 * needs the certificate's own curve among the client's groups, RFC 8422.)
 */
const COMMON: Attempt[] = [
  tls13('TLS_AES_128_GCM_SHA256', true),
  tls13('TLS_AES_256_GCM_SHA384', true),
  tls13('TLS_CHACHA20_POLY1305_SHA256', true),
  tls13('TLS_AES_128_CCM_SHA256', false),
  tls13('TLS_AES_128_CCM_8_SHA256', false),
  group('-tls1_3', 'X25519', true),
  group('-tls1_3', 'P-256', true),
  group('-tls1_3', 'P-384', true),
  group('-tls1_3', 'P-521', false),
  group('-tls1_3', 'X448', false),
  group('-tls1_3', 'ffdhe2048', false),
  oldVersion('-tls1_1', 'TLS 1.1'),
  oldVersion('-tls1', 'TLS 1.0'),
];

const ECDSA: Attempt[] = [
  tls12('ECDHE-ECDSA-AES128-GCM-SHA256', true),
  tls12('ECDHE-ECDSA-AES256-GCM-SHA384', true),
  tls12('ECDHE-ECDSA-CHACHA20-POLY1305', true),
  tls12('ECDHE-ECDSA-AES128-SHA256', false),
  tls12('ECDHE-ECDSA-AES256-SHA384', false),
  tls12('ECDHE-ECDSA-AES128-SHA', false),
  tls12('ECDHE-ECDSA-AES256-SHA', false),
  tls12('ECDHE-ECDSA-AES128-CCM8', false),
  tls12('ECDHE-ECDSA-AES256-CCM8', false),
  tls12('ECDHE-ECDSA-AES128-CCM', false),
  tls12('ECDHE-ECDSA-ARIA128-GCM-SHA256', false),
  tls12('ECDHE-ECDSA-ARIA256-GCM-SHA384', false),
  tls12('ECDHE-ECDSA-CAMELLIA128-SHA256', false),
];

const RSA: Attempt[] = [
  tls12('ECDHE-RSA-AES128-GCM-SHA256', true),
  tls12('ECDHE-RSA-AES256-GCM-SHA384', true),
  tls12('ECDHE-RSA-CHACHA20-POLY1305', true),
  tls12('ECDHE-RSA-AES128-SHA256', false),
  tls12('ECDHE-RSA-AES256-SHA384', false),
  tls12('ECDHE-RSA-AES128-SHA', false),
  tls12('AES128-SHA', false),
  tls12('AES256-SHA256', false),
  tls12('AES128-GCM-SHA256', false),
  tls12('AES256-GCM-SHA384', false),
  tls12('AES128-CCM8', false),
  tls12('DHE-RSA-AES128-GCM-SHA256', false),
  tls12('DHE-RSA-CHACHA20-POLY1305', false),
  tls12('ECDHE-ARIA128-GCM-SHA256', false),
  tls12('ARIA128-GCM-SHA256', false),
  group('-tls1_2', 'X25519', true),
  group('-tls1_2', 'P-256', true),
  group('-tls1_2', 'P-384', true),
  group('-tls1_2', 'P-521', false),
  group('-tls1_2', 'X448', false),
];

/** openssl must be there: a missing binary fails here, at once, with the line that installs it. */
function requireOpenssl(): void {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error('the openssl binary is missing: run `apt-get install -y openssl`');
  }
}

async function handshake(port: number, attempt: Attempt): Promise<{ ok: boolean; suite: string | undefined; output: string }> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...attempt.args];
  const child = run('openssl', args, { timeout: HANDSHAKE_GUARD_MS, encoding: 'utf8' });
  // No input: s_client ends the session as soon as the handshake is done (or failed).
  child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    const suite = /Cipher is (\S+)/.exec(stdout)?.[1];
    return { ok: suite !== undefined && suite !== '(NONE)', suite, output: stdout + stderr };
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string };
    return { ok: false, suite: undefined, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function tryAll(t: Test, port: number, attempts: Attempt[]): Promise<void> {
  for (const attempt of attempts) {
    const result = await handshake(port, attempt);
    if (attempt.allowed) {
      t.ok(result.ok, `${attempt.name}: handshake succeeds`, result.ok ? {} : { output: result.output.slice(-600) });
      if (attempt.suite !== undefined) t.equal(result.suite, attempt.suite, `${attempt.name}: negotiated`);
    } else {
      t.notOk(result.ok, `${attempt.name}: handshake refused`, result.ok ? { negotiated: result.suite } : {});
    }
  }
}

t.test('when a client offers forbidden suites, then the appliance (ECDSA certificate) refuses them and takes only ECDHE with AEAD', async (t) => {
  requireOpenssl();
  const fixture = await startApiAppliance(t);
  await tryAll(t, fixture.appliance.web.address.port, [...ECDSA, ...COMMON]);
});

t.test('when the fund installs an RSA certificate, then the same policy holds', async (t) => {
  requireOpenssl();
  const dir = await mkdtemp(join(tmpdir(), 'tallennin-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { timeout: HANDSHAKE_GUARD_MS });
  const tls = await loadTlsMaterial({ certFile, keyFile, dataDir: dir, clock: new ManualClock(Date.now()), logger: silentLogger });
  const web = await startWebServer(express(), { host: '127.0.0.1', port: 0, tls });
  t.teardown(() => web.stop());
  await tryAll(t, web.address.port, [...RSA, ...COMMON]);
});
