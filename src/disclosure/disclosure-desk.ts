/**
 * What leaves the box under a case: the signed, encrypted bundle for an authority (P10, after
 * another registrar's approval), the data subject's copy (Art. 15(3)), and the supervised
 * listening on site (P14). Each needs the registrar's permissions, a copy or a bundle also a fresh
 * re-authentication; each is in the audit trail (committed) before anything leaves. A bundle is
 * made in a work directory and moved into view only when whole, after its audit entry.
 */
import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { can } from '../access/policy.js';
import type { Viewer } from '../access/call-access.js';
import type { ContactRecord } from '../history/contact-record.js';
import type { RecordingReader } from '../recording/recording-reader.js';
import type { SigningKeyPair } from '../storage/key-hierarchy.js';
import { moveDurable } from '../storage/durable-file.js';
import type { CaseDesk } from './case-desk.js';
import type { DisclosureCase, CaseDisclosure } from './case-record.js';
import { checkPassphrase, generatePassphrase, sealDirectory } from './bundle-archive.js';
import { writeBundleDirectory } from './bundle-builder.js';
import { keyFingerprint, type BundleManifest } from './bundle-format.js';
import { sha256OfFile } from './file-digest.js';

export const BUNDLE_EXTENSION = '.tar.age';

export interface MadeBundle {
  readonly record: DisclosureCase;
  readonly disclosure: CaseDisclosure;
  /** Shown once: the box keeps no copy of it. */
  readonly passphrase: string;
  readonly generated: boolean;
}

export interface CopyPackage {
  readonly file: string;
  readonly fileName: string;
  readonly bytes: number;
  /** Removes the package once it has been sent. */
  readonly done: () => Promise<void>;
}

export class DisclosureDesk {
  private readonly root: string;
  private readonly work: string;

  constructor(
    private readonly deps: {
      readonly desk: CaseDesk;
      /** Opens a recording for reading (seal checked); the reader is closed after use. */
      readonly openReader: (recordingId: string) => Promise<RecordingReader>;
      /** A recording for the player (cached readers; not closed by the desk). */
      readonly playerReader: (recordingId: string) => Promise<RecordingReader>;
      readonly signingKey: SigningKeyPair;
      readonly dataDir: string;
      readonly now: () => number;
    },
  ) {
    this.root = join(deps.dataDir, 'disclosures');
    this.work = join(this.root, '.work');
  }

  /** Work left by a crash mid-bundle never became a bundle: removed at start. */
  async removeLeftovers(): Promise<void> {
    await rm(this.work, { recursive: true, force: true });
  }

  /** The key a receiver checks bundles against: its PEM and its fingerprint (SHA-256 of the DER public key). */
  publicKey(): { algorithm: 'Ed25519'; publicKeyPem: string; fingerprint: string } {
    return { algorithm: 'Ed25519', publicKeyPem: this.deps.signingKey.publicKey.export({ format: 'pem', type: 'spki' }).toString(), fingerprint: keyFingerprint(this.deps.signingKey.publicKey) };
  }

  /** The bundle of a police or authority request (P10): approved by another registrar, on re-authentication. */
  async makePoliceBundle(viewer: Viewer, caseId: string, options: { passphrase?: string; reauthenticated: boolean }, clientAddress: string): Promise<MadeBundle> {
    const { desk } = this.deps;
    const { record, calls } = await this.caseToDisclose(viewer, caseId, clientAddress, {
      action: 'case.disclose',
      kind: 'police-request',
      kindMessage: 'a signed bundle is made for an authority’s request',
      approvalNeeded: true,
      reauthenticated: options.reauthenticated,
      reauthMessage: 'confirm your password before a disclosure',
    });
    // caseToDisclose refused a case without another registrar's approval.
    const approval = record.approval!;
    if (options.passphrase !== undefined) checkPassphrase(options.passphrase);
    const passphrase = options.passphrase ?? generatePassphrase();
    const bundleId = randomUUID();
    const now = this.deps.now();
    const workDir = join(this.work, bundleId);
    try {
      const dir = join(workDir, `tallennin-disclosure-${bundleId}`);
      const manifest = await this.writeDirectory(dir, bundleId, now, caseFactsOf(record, viewer, approval), calls, true);
      const sealed = join(workDir, `${bundleId}${BUNDLE_EXTENSION}`);
      await sealDirectory(dir, sealed, passphrase);
      const { sha256, bytes } = await sha256OfFile(sealed);
      // The disclosure, its approver and the bundle's hash are committed before the bundle exists for anyone.
      await desk.audit(viewer, 'case.disclose', 'success', clientAddress, caseId, {
        bundleId,
        sha256,
        bytes,
        requestedBy: record.openedBy,
        approvedBy: approval.approvedBy,
        keyFingerprint: manifest.keyFingerprint,
        recordings: manifest.calls.length,
        callIds: manifest.calls.map((call) => call.callId).join(' '),
        recordingIds: manifest.calls.map((call) => call.recordingId).join(' '),
      });
      await moveDurable(sealed, this.bundlePath(caseId, bundleId));
      const disclosure: CaseDisclosure = { id: bundleId, type: 'police-bundle', at: new Date(now).toISOString(), by: viewer.id, sha256, bytes, approvedBy: approval.approvedBy };
      const updated = await desk.recordDisclosure(caseId, disclosure);
      return { record: updated, disclosure, passphrase, generated: options.passphrase === undefined };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** A bundle made earlier, for download (audited): still encrypted, so only the passphrase's holder opens it. */
  async openBundle(viewer: Viewer, caseId: string, bundleId: string, clientAddress: string): Promise<{ file: string; fileName: string; bytes: number }> {
    const record = await this.deps.desk.caseFor(viewer, caseId, 'case.bundle-download', clientAddress);
    const disclosure = record.disclosures.find((item) => item.id === bundleId && item.type === 'police-bundle');
    if (disclosure === undefined) throw new AppError('BUNDLE_NOT_FOUND', 'no such bundle in this case');
    const file = this.bundlePath(caseId, bundleId);
    const bytes = (await stat(file).catch(() => {
      throw new AppError('BUNDLE_NOT_FOUND', 'the bundle file is gone');
    })).size;
    await this.deps.desk.audit(viewer, 'case.bundle-download', 'success', clientAddress, caseId, { bundleId, sha256: disclosure.sha256 });
    return { file, fileName: `tallennin-disclosure-${bundleId}${BUNDLE_EXTENSION}`, bytes };
  }

  /**
   * The data subject's copy (Art. 15(3)): the case's recordings as WAV with the signed manifest
   * and README, as a tar, on re-authentication. A caller's copy leaves the agents' names out.
   */
  async makeCopy(viewer: Viewer, caseId: string, reauthenticated: boolean, clientAddress: string): Promise<CopyPackage> {
    const { desk } = this.deps;
    const { record, calls } = await this.caseToDisclose(viewer, caseId, clientAddress, {
      action: 'case.copy',
      kind: 'access-request',
      kindMessage: 'a copy is made for a data subject’s access request',
      approvalNeeded: false,
      reauthenticated,
      reauthMessage: 'confirm your password before a copy',
    });
    const copyId = randomUUID();
    const now = this.deps.now();
    const workDir = join(this.work, copyId);
    try {
      const name = `tallennin-copy-${copyId}`;
      const manifest = await this.writeDirectory(join(workDir, name), copyId, now, caseFactsOf(record, viewer, null), calls, record.subject?.type !== 'caller');
      const file = join(workDir, `${name}.tar`);
      // tar is loaded at the first copy, not by every start (bundle-archive.ts says why).
      const tar = await import('tar');
      await tar.c({ cwd: workDir, portable: true, file }, [name]);
      const { sha256, bytes } = await sha256OfFile(file);
      await desk.audit(viewer, 'case.copy', 'success', clientAddress, caseId, { copyId, sha256, bytes, recordings: manifest.calls.length, callIds: manifest.calls.map((call) => call.callId).join(' ') });
      await desk.recordDisclosure(caseId, { id: copyId, type: 'copy', at: new Date(now).toISOString(), by: viewer.id, sha256, bytes, approvedBy: null });
      return { file, fileName: `${name}.tar`, bytes, done: () => rm(workDir, { recursive: true, force: true }) };
    } catch (err) {
      await rm(workDir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * On-site listening (P14): a call of the case played to the data subject under supervision. The
   * reader is opened here; each part sent is audited by `auditListening` as a playback heard with
   * the data subject under the case, before it is sent.
   */
  async openListening(viewer: Viewer, caseId: string, callId: string, clientAddress: string): Promise<{ record: DisclosureCase; reader: RecordingReader }> {
    const record = await this.deps.desk.openCaseFor(viewer, caseId, 'case.listen', clientAddress);
    const call = record.calls.find((item) => item.callId === callId);
    if (call === undefined || call.recordingId === null) {
      await this.deps.desk.audit(viewer, 'case.listen', 'denied', clientAddress, caseId, { callId, reason: 'CALL_NOT_FOUND' });
      throw new AppError('CALL_NOT_FOUND', 'no such recorded call in this case');
    }
    return { record, reader: await this.deps.playerReader(call.recordingId) };
  }

  async auditListening(viewer: Viewer, caseId: string, callId: string, reader: RecordingReader, part: { startMs: number; endMs: number; bytes: string }, clientAddress: string): Promise<void> {
    await this.deps.desk.auditEntry({
      action: 'recording.play',
      outcome: 'success',
      actorId: viewer.id,
      clientAddress,
      target: { type: 'recording', id: reader.recordingId },
      details: { callId, caseId, heardWith: 'data-subject', fromMs: part.startMs, toMs: part.endMs, bytes: part.bytes },
    });
  }

  /** The case's files (its bundles), destroyed with the case after its retention. */
  removeCaseFiles(caseId: string): Promise<void> {
    return removeCaseFiles(this.deps.dataDir, caseId);
  }

  /**
   * What the bundle and the copy check first, in this order, each refusal audited under the
   * way's action: the case open, the permission to let recordings out, the case's kind, another
   * registrar's approval (a bundle), a fresh re-authentication; then the case's recorded calls.
   */
  private async caseToDisclose(viewer: Viewer, caseId: string, clientAddress: string, way: { action: string; kind: DisclosureCase['kind']; kindMessage: string; approvalNeeded: boolean; reauthenticated: boolean; reauthMessage: string }): Promise<{ record: DisclosureCase; calls: ContactRecord[] }> {
    const { desk } = this.deps;
    const record = await desk.openCaseFor(viewer, caseId, way.action, clientAddress);
    const refuse = async (code: string, message: string): Promise<never> => {
      await desk.audit(viewer, way.action, 'denied', clientAddress, caseId, { reason: code });
      throw new AppError(code, message);
    };
    if (!can(viewer, 'recordings:export')) return refuse('FORBIDDEN', 'this account may not let recordings out');
    if (record.kind !== way.kind) return refuse('CASE_KIND_MISMATCH', way.kindMessage);
    if (way.approvalNeeded && record.approval === null) return refuse('APPROVAL_REQUIRED', 'another registrar approves the disclosure first');
    if (!way.reauthenticated) return refuse('REAUTH_REQUIRED', way.reauthMessage);
    return { record, calls: await this.recordedCalls(record) };
  }

  /** The signed directory of a bundle or a copy: the case's facts, the calls' audio and the manifest. */
  private writeDirectory(dir: string, id: string, createdAtMs: number, caseFacts: BundleManifest['case'], calls: readonly ContactRecord[], withAgentNames: boolean): Promise<BundleManifest> {
    return writeBundleDirectory({ dir, bundleId: id, createdAtMs, caseFacts, calls, openReader: this.deps.openReader, signingKey: this.deps.signingKey, withAgentNames });
  }

  private bundlePath(caseId: string, bundleId: string): string {
    return join(this.root, caseId, `${bundleId}${BUNDLE_EXTENSION}`);
  }

  private async recordedCalls(record: DisclosureCase): Promise<ContactRecord[]> {
    const calls = (await this.deps.desk.callsOf(record)).filter((call) => call.recordingId !== null);
    if (calls.length === 0) throw new AppError('CASE_NO_RECORDINGS', 'pick the calls with recordings for the case first');
    return calls;
  }
}

/** A case's files (its bundles) under the data directory: destroyed with the case. */
export async function removeCaseFiles(dataDir: string, caseId: string): Promise<void> {
  await rm(join(dataDir, 'disclosures', caseId), { recursive: true, force: true });
}

/** The case as a bundle's or a copy's manifest names it; a copy has no approval (empty fields). */
function caseFactsOf(record: DisclosureCase, viewer: Viewer, approval: { approvedBy: string; approvedAt: string } | null): BundleManifest['case'] {
  return {
    id: record.id,
    kind: record.kind,
    requester: record.requester.name,
    legalBasis: record.legalBasis.text,
    reference: record.legalBasis.reference,
    receivedAt: record.receivedAt,
    requestedBy: record.openedBy,
    approvedBy: approval?.approvedBy ?? '',
    approvedAt: approval?.approvedAt ?? '',
    disclosedBy: viewer.id,
  };
}
