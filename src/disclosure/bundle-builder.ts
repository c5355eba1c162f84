/**
 * Writes a bundle's directory (bundle-format.ts): each recording of the case as WAV (its seal
 * checked when its reader opened), the manifest with each file's SHA-256, the Ed25519 signature
 * over the manifest, the public key, SHA256SUMS and the README. The caller makes it in a
 * temporary place and moves only the finished, sealed file into view.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sign } from 'node:crypto';
import type { ContactRecord } from '../history/contact-record.js';
import type { RecordingReader } from '../recording/recording-reader.js';
import { exportWav } from '../recording/wav-export.js';
import type { SigningKeyPair } from '../storage/key-hierarchy.js';
import { AppError } from '../errors.js';
import {
  BUNDLE_FORMAT,
  keyFingerprint,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  README_FILE,
  readmeText,
  RECORDINGS_DIR,
  sha256Hex,
  SIGNATURE_FILE,
  SUMS_FILE,
  sumsText,
  type BundleManifest,
  type ManifestCall,
} from './bundle-format.js';

export interface BundleInput {
  readonly dir: string;
  readonly bundleId: string;
  readonly createdAtMs: number;
  readonly caseFacts: BundleManifest['case'];
  readonly calls: readonly ContactRecord[];
  readonly openReader: (recordingId: string) => Promise<RecordingReader>;
  readonly signingKey: SigningKeyPair;
  /** A data subject's copy leaves out the agents' names (another person's data). */
  readonly withAgentNames: boolean;
}

export async function writeBundleDirectory(input: BundleInput): Promise<BundleManifest> {
  await mkdir(join(input.dir, RECORDINGS_DIR), { recursive: true, mode: 0o700 });
  const calls: ManifestCall[] = [];
  for (const record of input.calls) {
    if (record.recordingId === null) continue;
    const reader = await input.openReader(record.recordingId);
    const file = `${RECORDINGS_DIR}/${record.callId}.wav`;
    try {
      await exportWav(reader, join(input.dir, file));
    } finally {
      await reader.close();
    }
    const data = await readFile(join(input.dir, file));
    calls.push({
      callId: record.callId,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      callerNumber: record.callerNumber,
      serviceNumber: record.serviceNumber,
      agentExtension: record.agentExtension,
      agentName: input.withAgentNames ? record.agentName : null,
      recordingId: record.recordingId,
      recordingOutcome: reader.outcome,
      durationMs: reader.durationMs,
      file,
      sha256: sha256Hex(data),
      bytes: data.length,
    });
  }
  if (calls.length === 0) throw new AppError('CASE_NO_RECORDINGS', 'the case has no recordings to hand over');
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    bundleId: input.bundleId,
    createdAt: new Date(input.createdAtMs).toISOString(),
    keyFingerprint: keyFingerprint(input.signingKey.publicKey),
    case: input.caseFacts,
    calls,
  };
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';
  const signature = sign(null, Buffer.from(manifestText, 'utf8'), input.signingKey.privateKey);
  const publicPem = input.signingKey.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const readme = readmeText(manifest);
  const files: Array<{ path: string; data: Uint8Array | string }> = [
    { path: MANIFEST_FILE, data: manifestText },
    { path: SIGNATURE_FILE, data: signature },
    { path: PUBLIC_KEY_FILE, data: publicPem },
    { path: README_FILE, data: readme },
  ];
  for (const file of files) await writeFile(join(input.dir, file.path), file.data, { mode: 0o600 });
  const sums = [...files.map((file) => ({ path: file.path, sha256: sha256Hex(file.data) })), ...calls.map((call) => ({ path: call.file, sha256: call.sha256 }))];
  await writeFile(join(input.dir, SUMS_FILE), sumsText(sums), { mode: 0o600 });
  return manifest;
}
