/**
 * The bundle check names every kind of damage: a file missing, added, changed, a SHA256SUMS not
 * in sha256sum's format, a manifest that is not one, another key than the one pinned, a key of
 * another type. The valid bundle is made by the real builder from a real sealed recording.
 */
import t from 'tap';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import { ContactHistory } from '../../../src/history/contact-history.js';
import { writeBundleDirectory } from '../../../src/disclosure/bundle-builder.js';
import { verifyBundleDirectory } from '../../../src/disclosure/bundle-verify.js';
import { checkPassphrase, generatePassphrase, openSealed, sealDirectory, PASSPHRASE_MIN_LENGTH } from '../../../src/disclosure/bundle-archive.js';
import { recordCall } from '../../integration/support/record-calls.js';

// A hang guard, not a speed target: the CLI runs, scrypt (age) and argon2 are CPU-bound, and a
// busy machine takes minutes over what an idle one does in seconds.
t.setTimeout(600_000);

t.test('when a bundle is damaged in any way, then the check names it', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tallennin-bundle-unit-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const at = Date.UTC(2026, 10, 28, 8);
  await recordCall(dataDir, at, 0);
  const storage = await openStorage({ dataDir, mode: 'demo', clock: new ManualClock(at), logger: silentLogger });
  const records = await new ContactHistory(storage.documents).search();
  const signingKey = storage.keys.signingKey('disclosure-signing');
  const dir = join(dataDir, 'bundle');
  const facts = { id: 'case', kind: 'police-request', requester: 'Poliisi', legalBasis: 'x', reference: 'R-1', receivedAt: '', requestedBy: 'a', approvedBy: 'b', approvedAt: '', disclosedBy: 'a' };
  await writeBundleDirectory({ dir, bundleId: 'b1', createdAtMs: at, caseFacts: facts, calls: records, openReader: (id) => storage.recordings.openReader(id), signingKey, withAgentNames: true });
  t.same((await verifyBundleDirectory(dir, { pinnedKey: signingKey.publicKey })).problems, []);
  await t.rejects(writeBundleDirectory({ dir: join(dataDir, 'empty'), bundleId: 'b2', createdAtMs: at, caseFacts: facts, calls: [], openReader: (id) => storage.recordings.openReader(id), signingKey, withAgentNames: true }), { code: 'CASE_NO_RECORDINGS' });

  const damaged = async (name: string, damage: (copy: string) => Promise<void>): Promise<string[]> => {
    const copy = join(dataDir, name);
    await cp(dir, copy, { recursive: true });
    await damage(copy);
    const result = await verifyBundleDirectory(copy);
    t.notOk(result.ok, name);
    return [...result.problems];
  };
  const wav = `recordings/${records[0]!.callId}.wav`;
  t.match(await damaged('missing-wav', (copy) => unlink(join(copy, wav))), [new RegExp(`${wav}: listed in SHA256SUMS but missing`)]);
  t.match(await damaged('extra-file', (copy) => writeFile(join(copy, 'extra.txt'), 'x')), ['extra.txt: not listed in SHA256SUMS']);
  t.match(await damaged('bad-sums', (copy) => writeFile(join(copy, 'SHA256SUMS'), 'not sums\n')), ['SHA256SUMS: not in sha256sum format']);
  t.match(await damaged('no-manifest', (copy) => writeFile(join(copy, 'manifest.json'), '{}')), [/manifest.json: SHA-256 differs/, /does not verify/, /not a tallennin-disclosure\/1 manifest/]);
  t.ok((await damaged('no-key', (copy) => unlink(join(copy, 'pub.pem')))).includes('pub.pem: missing'));
  t.match(await damaged('garbage-key', (copy) => writeFile(join(copy, 'pub.pem'), 'garbage')), [/pub.pem/]);
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
  t.ok((await damaged('other-key-type', (copy) => writeFile(join(copy, 'pub.pem'), ecKey))).includes('pub.pem: not an Ed25519 key'));
  const other = generateKeyPairSync('ed25519').publicKey;
  const pinned = await verifyBundleDirectory(dir, { pinnedKey: other });
  t.same(pinned.problems, ['pub.pem: not the key given to check against']);
  // A changed recording whose SHA256SUMS line was changed with it: the signed manifest still tells.
  const sums = await damaged('recording-and-sums', async (copy) => {
    await writeFile(join(copy, wav), 'forged');
    const text = await readFile(join(copy, 'SHA256SUMS'), 'utf8');
    await writeFile(join(copy, 'SHA256SUMS'), text.replace(/^[0-9a-f]{64}(?= {2}recordings)/m, createHash('sha256').update('forged').digest('hex')));
  });
  t.ok(sums.some((problem) => /differs from the signed manifest/.test(problem)));

  // Sealed with age and opened again.
  const sealed = join(dataDir, 'bundle.tar.age');
  const passphrase = generatePassphrase();
  t.match(passphrase, /^[a-z2-9]{5}(-[a-z2-9]{5}){5}$/);
  await sealDirectory(dir, sealed, passphrase);
  await openSealed(sealed, passphrase, join(dataDir, 'opened'));
  t.same((await verifyBundleDirectory(join(dataDir, 'opened', 'bundle'))).problems, []);
  await t.rejects(openSealed(sealed, 'a wrong passphrase of length', join(dataDir, 'wrong')), { code: 'BUNDLE_INVALID' });
  t.throws(() => checkPassphrase('x'.repeat(PASSPHRASE_MIN_LENGTH - 1)), { code: 'PASSPHRASE_TOO_SHORT' });
  t.doesNotThrow(() => checkPassphrase('x'.repeat(PASSPHRASE_MIN_LENGTH)));
});
