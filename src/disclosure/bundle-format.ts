/**
 * The disclosure bundle's layout, shared by the box that makes it and by `tallennin disclosure
 * verify` on the receiver's machine:
 *
 *   manifest.json      the case, its legal basis, each call's metadata and each WAV's SHA-256
 *   manifest.sig       Ed25519 signature (64 bytes, raw) over manifest.json, by the box's disclosure key
 *   pub.pem            that key's public half (SPKI PEM); compare its fingerprint with the box's
 *   SHA256SUMS         `sha256sum -c` input: every other file of the bundle
 *   README.txt         how to check it with standard tools, in Finnish and English
 *   recordings/*.wav   the recordings, 16-bit PCM, one per call
 *
 * Packed as a tar under one directory and encrypted to a passphrase with age (bundle-archive.ts).
 */
import { createHash, type KeyObject } from 'node:crypto';

export const BUNDLE_FORMAT = 'tallennin-disclosure/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'pub.pem';
export const SUMS_FILE = 'SHA256SUMS';
export const README_FILE = 'README.txt';
export const RECORDINGS_DIR = 'recordings';

export interface ManifestCall {
  readonly callId: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly callerNumber: string | null;
  readonly serviceNumber: string | null;
  readonly agentExtension: string;
  readonly agentName: string | null;
  readonly recordingId: string;
  readonly recordingOutcome: 'completed' | 'interrupted';
  readonly durationMs: number;
  /** Relative to the bundle's directory. */
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly bundleId: string;
  readonly createdAt: string;
  /** The signing key's fingerprint: SHA-256 of its DER public key (what `openssl pkey -pubin -outform DER | sha256sum` prints). */
  readonly keyFingerprint: string;
  readonly case: {
    readonly id: string;
    readonly kind: string;
    readonly requester: string;
    readonly legalBasis: string;
    readonly reference: string;
    readonly receivedAt: string;
    readonly requestedBy: string;
    readonly approvedBy: string;
    readonly approvedAt: string;
    readonly disclosedBy: string;
  };
  readonly calls: readonly ManifestCall[];
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The fingerprint a receiver can recompute with `openssl pkey -pubin -in pub.pem -outform DER | sha256sum`. */
export function keyFingerprint(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ format: 'der', type: 'spki' }));
}

/** `sha256sum` text mode lines: "<hex>  <path>". */
export function sumsText(files: ReadonlyArray<{ path: string; sha256: string }>): string {
  return files.map((file) => `${file.sha256}  ${file.path}\n`).join('');
}

export function parseSums(text: string): Map<string, string> | null {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match === null) return null;
    sums.set(match[2]!, match[1]!);
  }
  return sums;
}

export function readmeText(manifest: BundleManifest): string {
  return `TALLENNIN — LUOVUTUSPAKETTI / DISCLOSURE BUNDLE
================================================

Tapaus / Case:            ${manifest.case.id}
Viite / Reference:        ${manifest.case.reference}
Oikeusperuste / Basis:    ${manifest.case.legalBasis}
Luotu / Created (UTC):    ${manifest.createdAt}
Puheluita / Calls:        ${manifest.calls.length}
Avaimen sormenjälki / Key fingerprint (SHA-256):
  ${manifest.keyFingerprint}

SUOMEKSI

Paketissa ovat tallenteet (recordings/*.wav), niiden tiedot ja tiivisteet
(manifest.json), laitteen Ed25519-allekirjoitus tiedoston manifest.json yli
(manifest.sig) ja allekirjoitusavaimen julkinen osa (pub.pem).

Tarkista paketti tässä hakemistossa tavallisilla työkaluilla:

  sha256sum --strict -c SHA256SUMS
  openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in manifest.json -sigfile manifest.sig

Ensimmäinen tulostaa jokaisesta tiedostosta "OK" (tai "TÄSMÄÄ"), toinen
"Signature Verified Successfully". Varmista lisäksi, että avain on laitteen
avain: komennon

  openssl pkey -pubin -in pub.pem -outform DER | sha256sum

tulos on sama kuin yllä oleva sormenjälki ja sama kuin luovuttajan
ilmoittama (laitteen rajapinta: GET /api/v1/cases/public-key). Tiedoston
manifest.json tiivisteiden ("sha256") on oltava samat kuin SHA256SUMS:ssa.
Komento "tallennin disclosure verify HAKEMISTO" tekee kaikki tarkistukset.

IN ENGLISH

The bundle holds the recordings (recordings/*.wav), their metadata and
hashes (manifest.json), the box's Ed25519 signature over manifest.json
(manifest.sig) and the public half of the signing key (pub.pem).

Check the bundle in this directory with standard tools:

  sha256sum --strict -c SHA256SUMS
  openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in manifest.json -sigfile manifest.sig

The first prints "OK" for every file, the second "Signature Verified
Successfully". Make sure the key is the box's own as well: the output of

  openssl pkey -pubin -in pub.pem -outform DER | sha256sum

is the fingerprint above and the one the disclosing party gave you (the
box's API: GET /api/v1/cases/public-key). The hashes ("sha256") in
manifest.json must be those in SHA256SUMS. The command
"tallennin disclosure verify DIRECTORY" makes every check.
`;
}
