/**
 * Subkeys derived from the master key, one per purpose, so that a key is never used for two
 * things and a future purpose (audit checkpoints) gets its own key without a new secret.
 *
 *   subkey = HKDF-SHA256(ikm = master key, salt = "tallennin/key-hierarchy/v1",
 *                        info = "tallennin/v1/<purpose>", length = 32)
 *
 * Signing purposes turn their 32-byte subkey into an Ed25519 private key (the subkey is the RFC
 * 8032 seed, wrapped in the fixed PKCS#8 DER prefix so node:crypto can import it).
 *
 * Keys never leave this object except to the code that uses them; the object prints as
 * "[KeyHierarchy]" so a stray log line or inspect cannot reveal them.
 */
import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { AppError } from '../errors.js';
import { MASTER_KEY_BYTES } from './master-key.js';

export type SymmetricKeyPurpose = 'document-encryption' | 'recording-key-wrapping' | 'audit-pseudonym' | 'device-cookie';
export type SigningKeyPurpose = 'recording-seal-signing' | 'audit-signing' | 'disclosure-signing';
export type KeyPurpose = SymmetricKeyPurpose | SigningKeyPurpose;

const HKDF_SALT = Buffer.from('tallennin/key-hierarchy/v1', 'utf8');
const SUBKEY_BYTES = 32;
/** ASN.1 DER of PKCS#8 PrivateKeyInfo for Ed25519 up to the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 8 bytes of SHA-256 of the raw public key, hex: names the key in reports. */
  keyId: string;
}

export function deriveSubkey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, Buffer.from(`tallennin/v1/${purpose}`, 'utf8'), SUBKEY_BYTES));
}

export function ed25519FromSeed(seed: Buffer): SigningKeyPair {
  if (seed.length !== 32) throw new AppError('KEY_INVALID', 'an Ed25519 seed is 32 bytes');
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyId = createHash('sha256').update(raw).digest().subarray(0, 8).toString('hex');
  return { privateKey, publicKey, keyId };
}

export class KeyHierarchy {
  readonly #symmetric = new Map<SymmetricKeyPurpose, Buffer>();
  readonly #signing = new Map<SigningKeyPurpose, SigningKeyPair>();

  constructor(masterKey: Buffer) {
    if (masterKey.length !== MASTER_KEY_BYTES) {
      throw new AppError('MASTER_KEY_INVALID', `the master key must be ${MASTER_KEY_BYTES} bytes`);
    }
    for (const purpose of ['document-encryption', 'recording-key-wrapping', 'audit-pseudonym', 'device-cookie'] as const) {
      this.#symmetric.set(purpose, deriveSubkey(masterKey, purpose));
    }
    for (const purpose of ['recording-seal-signing', 'audit-signing', 'disclosure-signing'] as const) {
      const seed = deriveSubkey(masterKey, purpose);
      this.#signing.set(purpose, ed25519FromSeed(seed));
      seed.fill(0);
    }
  }

  /** 32-byte AES-256 key for a symmetric purpose. */
  symmetricKey(purpose: SymmetricKeyPurpose): Buffer {
    const key = this.#symmetric.get(purpose);
    if (key === undefined) throw new AppError('KEY_INVALID', `unknown key purpose ${purpose}`);
    return key;
  }

  signingKey(purpose: SigningKeyPurpose): SigningKeyPair {
    const pair = this.#signing.get(purpose);
    if (pair === undefined) throw new AppError('KEY_INVALID', `unknown key purpose ${purpose}`);
    return pair;
  }

  get documentKey(): Buffer {
    return this.symmetricKey('document-encryption');
  }

  get recordingWrapKey(): Buffer {
    return this.symmetricKey('recording-key-wrapping');
  }

  get recordingSealKey(): SigningKeyPair {
    return this.signingKey('recording-seal-signing');
  }

  /** Zeroes the symmetric subkeys (on shutdown). The object is unusable afterwards. */
  wipe(): void {
    for (const key of this.#symmetric.values()) key.fill(0);
    this.#symmetric.clear();
    this.#signing.clear();
  }

  toJSON(): string {
    return '[KeyHierarchy]';
  }

  [inspect.custom](): string {
    return '[KeyHierarchy]';
  }
}

export function createKeyHierarchy(masterKey: Buffer): KeyHierarchy {
  return new KeyHierarchy(masterKey);
}
