import t from 'tap';
import { randomBytes, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { createKeyHierarchy, deriveSubkey, ed25519FromSeed } from '../../../src/storage/key-hierarchy.js';

void t.test('when subkeys are derived, then each purpose gets a distinct 32-byte key, stable for one master key', async (t) => {
  const master = randomBytes(32);
  const a = createKeyHierarchy(master);
  const b = createKeyHierarchy(Buffer.from(master));
  t.equal(a.documentKey.length, 32);
  t.ok(a.documentKey.equals(b.documentKey));
  t.ok(a.recordingWrapKey.equals(b.recordingWrapKey));
  t.notOk(a.documentKey.equals(a.recordingWrapKey));
  t.notOk(a.documentKey.equals(master));
  t.ok(a.symmetricKey('device-cookie').equals(b.symmetricKey('device-cookie')), 'device cookies stay valid across restarts');
  t.equal(new Set(['document-encryption', 'recording-key-wrapping', 'audit-pseudonym', 'device-cookie'].map((purpose) => a.symmetricKey(purpose as 'device-cookie').toString('hex'))).size, 4, 'four distinct symmetric keys');
  t.equal(a.recordingSealKey.keyId, b.recordingSealKey.keyId);
  t.not(a.recordingSealKey.keyId, a.signingKey('audit-signing').keyId);
  const other = createKeyHierarchy(randomBytes(32));
  t.notOk(other.documentKey.equals(a.documentKey));
});

void t.test('when HKDF-SHA256 is computed for a known master key, then it matches the RFC 5869 construction', async (t) => {
  // Independent HKDF (extract + one expand block) with node:crypto HMAC.
  const { createHmac } = await import('node:crypto');
  const master = Buffer.alloc(32, 7);
  const prk = createHmac('sha256', 'tallennin/key-hierarchy/v1').update(master).digest();
  const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('tallennin/v1/document-encryption'), Buffer.from([1])])).digest();
  t.ok(deriveSubkey(master, 'document-encryption').equals(okm));
});

void t.test('when the seal key signs, then its public key verifies and a different message fails', async (t) => {
  const keys = createKeyHierarchy(randomBytes(32));
  const { privateKey, publicKey } = keys.recordingSealKey;
  const signature = sign(null, Buffer.from('content hash'), privateKey);
  t.equal(signature.length, 64);
  t.ok(verify(null, Buffer.from('content hash'), publicKey, signature));
  t.notOk(verify(null, Buffer.from('content hasH'), publicKey, signature));
});

void t.test('when an Ed25519 key is made from the RFC 8032 test seed, then the public key is the published one', async (t) => {
  const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
  const pair = ed25519FromSeed(seed);
  const raw = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  t.equal(raw.toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  t.throws(() => ed25519FromSeed(Buffer.alloc(31)), { code: 'KEY_INVALID' });
});

void t.test('when the hierarchy is printed or serialised, then no key material appears', async (t) => {
  const keys = createKeyHierarchy(randomBytes(32));
  t.equal(inspect(keys), '[KeyHierarchy]');
  t.equal(JSON.stringify({ keys }), '{"keys":"[KeyHierarchy]"}');
});

void t.test('when the master key has the wrong length, then MASTER_KEY_INVALID', async (t) => {
  t.throws(() => createKeyHierarchy(randomBytes(16)), { code: 'MASTER_KEY_INVALID' });
});

void t.test('when the hierarchy is wiped, then the subkeys are zeroed and no longer handed out', async (t) => {
  const keys = createKeyHierarchy(randomBytes(32));
  const documentKey = keys.documentKey;
  keys.wipe();
  t.ok(documentKey.every((byte) => byte === 0));
  t.throws(() => keys.documentKey, { code: 'KEY_INVALID' });
  t.throws(() => keys.recordingSealKey, { code: 'KEY_INVALID' });
});
