/**
 * The receiver's check of a disclosure bundle's directory, the same one the README shows with
 * sha256sum and openssl, and one more: that the hashes the signature covers (manifest.json) are
 * the files' own. Every problem is named; none stops the others from being looked at.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { BUNDLE_FORMAT, keyFingerprint, MANIFEST_FILE, parseSums, PUBLIC_KEY_FILE, sha256Hex, SIGNATURE_FILE, SUMS_FILE, type BundleManifest } from './bundle-format.js';

export interface BundleVerification {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** The signing key's fingerprint, to compare with the one the box publishes. */
  readonly keyFingerprint: string | null;
  readonly calls: number;
  readonly caseId: string | null;
  readonly reference: string | null;
}

export async function verifyBundleDirectory(dir: string, options: { pinnedKey?: KeyObject } = {}): Promise<BundleVerification> {
  const problems: string[] = [];
  const read = async (name: string): Promise<Buffer | undefined> => {
    try {
      return await readFile(join(dir, name));
    } catch {
      problems.push(`${name}: missing`);
      return undefined;
    }
  };
  const present = new Map<string, Buffer>();
  for (const file of await listFiles(dir)) present.set(file, await readFile(join(dir, file)));

  // 1. SHA256SUMS: what `sha256sum -c` checks, and that it lists every file.
  const sumsData = await read(SUMS_FILE);
  const sums = sumsData === undefined ? null : parseSums(sumsData.toString('utf8'));
  if (sumsData !== undefined && sums === null) problems.push(`${SUMS_FILE}: not in sha256sum format`);
  if (sums !== null) {
    for (const [file, expected] of sums) {
      const data = present.get(file);
      if (data === undefined) problems.push(`${file}: listed in ${SUMS_FILE} but missing`);
      else if (sha256Hex(data) !== expected) problems.push(`${file}: SHA-256 differs from ${SUMS_FILE}`);
    }
    for (const file of present.keys()) if (file !== SUMS_FILE && !sums.has(file)) problems.push(`${file}: not listed in ${SUMS_FILE}`);
  }

  // 2. The signature over manifest.json, with the key in the bundle (pinned to a known one if given).
  const manifestData = await read(MANIFEST_FILE);
  const signature = await read(SIGNATURE_FILE);
  const pem = await read(PUBLIC_KEY_FILE);
  let key: KeyObject | undefined;
  let fingerprint: string | null = null;
  if (pem !== undefined) {
    try {
      key = createPublicKey(pem);
      fingerprint = keyFingerprint(key);
      if (key.asymmetricKeyType !== 'ed25519') problems.push(`${PUBLIC_KEY_FILE}: not an Ed25519 key`);
    } catch {
      problems.push(`${PUBLIC_KEY_FILE}: not a public key`);
    }
  }
  if (options.pinnedKey !== undefined && fingerprint !== keyFingerprint(options.pinnedKey)) problems.push(`${PUBLIC_KEY_FILE}: not the key given to check against`);
  if (key !== undefined && manifestData !== undefined && signature !== undefined) {
    let valid = false;
    try {
      valid = verify(null, manifestData, key, signature);
    } catch {
      valid = false;
    }
    if (!valid) problems.push(`${SIGNATURE_FILE}: the signature over ${MANIFEST_FILE} does not verify`);
  }

  // 3. The manifest's hashes (what the signature covers) are the files' own.
  let manifest: BundleManifest | undefined;
  if (manifestData !== undefined) {
    try {
      manifest = JSON.parse(manifestData.toString('utf8')) as BundleManifest;
      if (manifest.format !== BUNDLE_FORMAT || !Array.isArray(manifest.calls)) throw new Error('format');
    } catch {
      problems.push(`${MANIFEST_FILE}: not a ${BUNDLE_FORMAT} manifest`);
      manifest = undefined;
    }
  }
  if (manifest !== undefined) {
    if (fingerprint !== null && manifest.keyFingerprint !== fingerprint) problems.push(`${MANIFEST_FILE}: names another key than ${PUBLIC_KEY_FILE}`);
    for (const call of manifest.calls) {
      const data = present.get(call.file);
      if (data === undefined) problems.push(`${call.file}: in the manifest but missing`);
      else if (sha256Hex(data) !== call.sha256) problems.push(`${call.file}: SHA-256 differs from the signed manifest`);
      if (sums !== null && sums.get(call.file) !== call.sha256) problems.push(`${call.file}: ${SUMS_FILE} and the signed manifest disagree`);
    }
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)], keyFingerprint: fingerprint, calls: manifest?.calls.length ?? 0, caseId: manifest?.case.id ?? null, reference: manifest?.case.reference ?? null };
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return files.sort();
}
