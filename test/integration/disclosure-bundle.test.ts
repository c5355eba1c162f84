/**
 * P10 acceptance: a police bundle made through the API (request, another registrar's approval,
 * re-authentication) verifies with `sha256sum -c` and `openssl pkeyutl -verify` and with the real
 * `tallennin disclosure verify`; one flipped byte in any file of it makes both the CLI and the
 * standard check fail. The refusals on the way have their own codes, and the disclosure, its
 * approver and the bundle's hash are in the audit trail.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiAppliance } from './support/api-appliance.js';
import { codeOf, deskUsers, reauthenticate } from './support/desk-users.js';
import { runCli } from './support/service-process.js';
import { openSealed } from '../../src/disclosure/bundle-archive.js';

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd }, (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }));
  });
}

/** The check the README shows, with standard tools only. */
async function standardCheck(dir: string): Promise<{ sums: number; signature: number; output: string }> {
  const sums = await run('sha256sum', ['--strict', '-c', '--quiet', 'SHA256SUMS'], dir);
  const signature = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], dir);
  return { sums: sums.code, signature: signature.code, output: sums.stdout + sums.stderr + signature.stdout + signature.stderr };
}

async function filesOf(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await filesOf(dir, join(prefix, entry.name))));
    else out.push(join(prefix, entry.name));
  }
  return out.sort();
}

// A hang guard, not a speed target: the CLI runs, scrypt (age) and argon2 are CPU-bound, and a
// busy machine takes minutes over what an idle one does in seconds.
t.setTimeout(600_000);

t.test('when a police request is approved by another registrar, then its bundle verifies with sha256sum, openssl and the CLI, and a flipped byte in any file fails them', async (t) => {
  const fixture = await startApiAppliance(t);
  const { registrar, registrar2 } = await deskUsers(fixture, ['registrar', 'registrar2']);
  const first = await fixture.call({ channel: 0, extension: '2001', caller: '0401234567' });
  const second = await fixture.call({ channel: 1, extension: '2002', caller: '0401234567', seconds: 3 });
  const opened = await registrar.client.post('/api/v1/cases', { kind: 'police-request', requester: { name: 'Sisä-Suomen poliisilaitos' }, legalBasis: { text: 'Poliisilaki 872/2011 4 luku 3 §', reference: 'R-2026-4411' } });
  const caseId = opened.json<{ case: { id: string } }>().case.id;
  t.equal((await registrar.client.send('PUT', `/api/v1/cases/${caseId}/calls`, { body: { callIds: [first, second] } })).status, 200);

  const unapproved = await registrar.client.post(`/api/v1/cases/${caseId}/bundles`, {});
  t.equal(unapproved.status, 409);
  t.equal(codeOf(unapproved), 'APPROVAL_REQUIRED', 'a disclosure without approval');
  t.equal((await registrar2.client.post(`/api/v1/cases/${caseId}/approval`)).status, 200);
  t.equal(codeOf(await registrar.client.post(`/api/v1/cases/${caseId}/bundles`, {})), 'REAUTH_REQUIRED');
  await reauthenticate(fixture, registrar);
  const short = await registrar.client.post(`/api/v1/cases/${caseId}/bundles`, { passphrase: 'liian lyhyt' });
  t.equal(short.status, 400);
  t.equal(codeOf(short), 'PASSPHRASE_TOO_SHORT', 'a passphrase too short');

  const made = await registrar.client.post(`/api/v1/cases/${caseId}/bundles`, {});
  t.equal(made.status, 201, made.body.toString());
  const { bundle, passphrase, passphraseGenerated } = made.json<{ bundle: { id: string; sha256: string; bytes: number; approvedBy: string }; passphrase: string; passphraseGenerated: boolean }>();
  t.ok(passphraseGenerated);
  t.ok(passphrase.length >= 30, 'a strong generated passphrase');
  t.equal(bundle.approvedBy, registrar2.id);
  const downloaded = await registrar.client.get(`/api/v1/cases/${caseId}/bundles/${bundle.id}`);
  t.equal(downloaded.status, 200);
  t.equal(createHash('sha256').update(downloaded.body).digest('hex'), bundle.sha256, 'the file is the one whose hash was recorded');
  t.notOk(downloaded.body.includes(Buffer.from('RIFF')), 'the bundle is encrypted');
  t.same(await readdir(join(fixture.dataDir, 'disclosures', '.work')), [], 'no work left behind');

  const disclosed = (await fixture.appliance.audit.search({ action: 'case.disclose', targetId: caseId })).records.find((entry) => entry.outcome === 'success');
  t.match(disclosed, { actorId: registrar.id, details: { bundleId: bundle.id, sha256: bundle.sha256, approvedBy: registrar2.id, requestedBy: registrar.id, recordings: 2 } }, 'the disclosure, its approver and the bundle’s hash are audited');
  t.notMatch(JSON.stringify(disclosed), /358401234567|0401234567/, 'no phone number in the entry (the number itself: a hash or an id may hold any digits)');

  const work = await mkdtemp(join(tmpdir(), 'tallennin-bundle-test-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const ageFile = join(work, 'bundle.tar.age');
  await writeFile(ageFile, downloaded.body);
  const passFile = join(work, 'passphrase');
  await writeFile(passFile, passphrase + '\n');
  const publicKey = (await fixture.client().get('/api/v1/cases/public-key')).json<{ fingerprint: string; publicKeyPem: string }>();

  const cliOk = await runCli(['disclosure', 'verify', ageFile, '--passphrase-file', passFile]);
  t.equal(cliOk.code, 0, cliOk.stdout + cliOk.stderr);
  t.match(cliOk.stdout, new RegExp(`bundle ok: case ${caseId} \\(reference R-2026-4411\\), 2 recordings; signed by key ${publicKey.fingerprint}`));
  await writeFile(join(work, 'wrong'), 'vaara-salasana-joka-ei-kay');
  const cliWrong = await runCli(['disclosure', 'verify', ageFile, '--passphrase-file', join(work, 'wrong')]);
  t.equal(cliWrong.code, 1, 'a wrong passphrase fails the check');

  const opened2 = join(work, 'opened');
  await openSealed(ageFile, passphrase, opened2);
  const [top] = await readdir(opened2);
  const dir = join(opened2, top!);
  const files = await filesOf(dir);
  t.same(files, ['README.txt', 'SHA256SUMS', 'manifest.json', 'manifest.sig', 'pub.pem', `recordings/${first}.wav`, `recordings/${second}.wav`].sort());
  const good = await standardCheck(dir);
  t.same([good.sums, good.signature], [0, 0], good.output);
  t.match(good.output, /Signature Verified Successfully/);
  const fingerprint = await run('sh', ['-c', 'openssl pkey -pubin -in pub.pem -outform DER | sha256sum'], dir);
  t.equal(fingerprint.stdout.split(' ')[0], publicKey.fingerprint, 'the key in the bundle is the one the API publishes');
  const pinned = join(work, 'box.pem');
  await writeFile(pinned, publicKey.publicKeyPem);
  t.equal((await runCli(['disclosure', 'verify', dir, '--public-key', pinned])).code, 0, 'the unpacked directory, pinned to the published key');
  const readme = await readFile(join(dir, 'README.txt'), 'utf8');
  t.match(readme, /sha256sum --strict -c SHA256SUMS/);
  t.match(readme, /openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in manifest.json -sigfile manifest.sig/);
  t.match(readme, /SUOMEKSI/);
  t.match(readme, /IN ENGLISH/);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { case: { reference: string; approvedBy: string }; calls: Array<{ callId: string; callerNumber: string; sha256: string }> };
  t.match(manifest.case, { reference: 'R-2026-4411', approvedBy: registrar2.id });
  t.same(manifest.calls.map((call) => [call.callId, call.callerNumber]), [[first, '+358401234567'], [second, '+358401234567']]);

  // One flipped byte in any file: both the CLI and the standard check fail.
  for (const file of files) {
    const copy = join(work, `flipped-${file.replace(/[/.]/g, '-')}`);
    await cp(dir, copy, { recursive: true });
    const data = await readFile(join(copy, file));
    const at = Math.floor(data.length / 2);
    data[at] = data[at]! ^ 0x01;
    await writeFile(join(copy, file), data);
    const cli = await runCli(['disclosure', 'verify', copy]);
    t.equal(cli.code, 1, `${file}: the CLI fails`);
    t.match(cli.stdout, /bundle FAILED/);
    const standard = await standardCheck(copy);
    t.ok(standard.sums !== 0 || standard.signature !== 0, `${file}: sha256sum -c or openssl fails`);
    if (['manifest.json', 'manifest.sig', 'pub.pem'].includes(file)) t.not(standard.signature, 0, `${file}: openssl pkeyutl -verify fails`);
  }
  const flippedAge = Buffer.from(downloaded.body);
  flippedAge[flippedAge.length - 100] = flippedAge[flippedAge.length - 100]! ^ 0x01;
  await writeFile(ageFile, flippedAge);
  const flippedRun = await runCli(['disclosure', 'verify', ageFile, '--passphrase-file', passFile]);
  t.equal(flippedRun.code, 1, `a flipped byte in the encrypted file fails too: ${flippedRun.stdout}${flippedRun.stderr}`);
});
