/**
 * The research disclosure on the registrar's desk (P9): the steps a research case takes beyond
 * the common ones of case-desk.ts. The registrar sets the return-or-destruction date, confirms
 * that the content was checked for names and numbers spoken aloud (voice anonymisation does not
 * remove what is said), makes the package (research-package.ts) on re-authentication, and enters
 * the institute's confirmation of destruction, without which the case does not close. A return
 * date that passes without it raises an alarm. Every step is audited before it takes effect.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import type { Viewer } from '../access/call-access.js';
import type { WavSource } from '../recording/wav-export.js';
import { ensureDirectory } from '../storage/durable-file.js';
import type { CaseDesk } from './case-desk.js';
import type { DisclosureCase } from './case-record.js';
import { isOverdue, researchFactsOf, type ResearchFacts } from './research-case.js';
import { buildResearchPackage, hasAudio } from './research-package.js';
import { drawMcAdamsAlpha } from './mcadams-alpha.js';

/** How often overdue returns are looked for: a date is a day, an hour late is soon enough. */
export const RESEARCH_REMINDER_INTERVAL_MS = 3600_000;

export interface ResearchDeskDeps {
  readonly desk: CaseDesk;
  readonly allCases: () => readonly DisclosureCase[];
  readonly openReader: (recordingId: string) => Promise<WavSource & { close(): Promise<void> }>;
  readonly alarms: { raise(code: string, message: string, fields?: Record<string, string | number>): void };
  /** Where packages are made and wait for their download (inside the data directory). */
  readonly outgoingDir: string;
  readonly now: () => number;
}

export interface ResearchView {
  readonly facts: ResearchFacts;
  readonly overdue: boolean;
}

export interface MadePackage {
  readonly file: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  /** Removes the package file once it has been sent (or could not be). */
  discard(): Promise<void>;
}

export class ResearchDesk {
  constructor(private readonly deps: ResearchDeskDeps) {
    // A research case whose package left closes only with the institute's confirmation of destruction.
    deps.desk.addCloseCheck((record) => {
      if (record.kind !== 'research') return;
      const facts = researchFactsOf(record);
      if (facts.packages.length > 0 && facts.destruction === null) {
        throw new AppError('CASE_NOT_CLOSABLE', 'the institute’s confirmation that the research data were destroyed or returned must be entered before the case closes', { details: { reason: 'RESEARCH_DESTRUCTION_UNCONFIRMED' } });
      }
    });
  }

  async view(viewer: Viewer, id: string, clientAddress: string): Promise<ResearchView> {
    const record = await this.researchCase(viewer, id, 'case.research-view', clientAddress, false);
    const facts = researchFactsOf(record);
    await this.deps.desk.audit(viewer, 'case.research-view', 'success', clientAddress, id);
    return { facts, overdue: isOverdue(facts, this.deps.now()) };
  }

  async setReturnDue(viewer: Viewer, id: string, returnDue: string, clientAddress: string): Promise<ResearchView> {
    return this.deps.desk.exclusive(id, async () => {
      const record = await this.researchCase(viewer, id, 'case.research-due', clientAddress, true);
      if (Date.parse(`${returnDue}T00:00:00Z`) + 24 * 3600_000 <= this.deps.now()) throw new AppError('RESEARCH_INVALID', 'the return date has passed already');
      await this.deps.desk.audit(viewer, 'case.research-due', 'success', clientAddress, id, { returnDue });
      return this.saveAndView(record, { ...researchFactsOf(record), returnDue, remindedAt: null });
    });
  }

  async confirmContentCheck(viewer: Viewer, id: string, note: string, clientAddress: string): Promise<ResearchView> {
    return this.deps.desk.exclusive(id, async () => {
      const record = await this.researchCase(viewer, id, 'case.research-content-check', clientAddress, true);
      await this.deps.desk.audit(viewer, 'case.research-content-check', 'success', clientAddress, id, { calls: record.calls.length });
      return this.saveAndView(record, { ...researchFactsOf(record), contentCheck: { at: this.iso(), by: viewer.id, note } });
    });
  }

  /**
   * Makes the package of the case's calls. Needs a fresh re-authentication, the content check and
   * a return date; the audit entry (with the package's SHA-256) is committed before the file can
   * leave. Each recording keeps the coefficient drawn the first time: a second package of the
   * same case gives the same voices, so comparing two packages reveals nothing more.
   */
  async makePackage(viewer: Viewer, id: string, clientAddress: string, reauthenticated: boolean): Promise<MadePackage> {
    // The whole making holds the case: a close or a second package waits for this one to be recorded.
    return this.deps.desk.exclusive(id, async () => {
      const record = await this.researchCase(viewer, id, 'case.research-package', clientAddress, true);
      const refuse = async (code: string, message: string): Promise<never> => {
        await this.deps.desk.audit(viewer, 'case.research-package', 'denied', clientAddress, id, { reason: code });
        throw new AppError(code, message);
      };
      if (!reauthenticated) return refuse('REAUTH_REQUIRED', 'confirm your password before the package is made');
      const facts = researchFactsOf(record);
      if (facts.returnDue === null) return refuse('RESEARCH_RETURN_DUE_MISSING', 'set the date by which the institute returns or destroys the data first');
      if (facts.contentCheck === null) return refuse('RESEARCH_CONTENT_UNCHECKED', 'confirm first that the calls were checked for names and numbers spoken aloud');
      const records = await this.deps.desk.callsOf(record);
      if (records.length === 0) return refuse('RESEARCH_NO_CALLS', 'pick the calls of the disclosure first');
      const voices = [...facts.voices];
      for (const contact of records) {
        if (hasAudio(contact) && !voices.some((voice) => voice.recordingId === contact.recordingId)) voices.push({ recordingId: contact.recordingId!, alpha: drawMcAdamsAlpha() });
      }
      const alphaOf = new Map(voices.map((voice) => [voice.recordingId, voice.alpha]));
      // The coefficients are part of the case before any audio is made with them.
      let current = await this.save(record, { ...facts, voices });
      const packageId = randomUUID();
      await ensureDirectory(this.deps.outgoingDir);
      const file = join(this.deps.outgoingDir, `${packageId}.tar`);
      const discard = async (): Promise<void> => rm(file, { force: true });
      try {
        const made = await buildResearchPackage({
          reference: record.legalBasis.reference,
          records,
          alphaOf: (recordingId) => alphaOf.get(recordingId)!,
          openReader: this.deps.openReader,
          returnDue: facts.returnDue,
          outFile: file,
        });
        await this.deps.desk.audit(viewer, 'case.research-package', 'success', clientAddress, id, {
          packageId,
          sha256: made.sha256,
          bytes: made.bytes,
          calls: made.calls,
          audioFiles: made.audioFiles,
          callIds: records.map((contact) => contact.callId).join(' '),
        });
        const latest = researchFactsOf(current);
        current = await this.save(current, { ...latest, packages: [...latest.packages, { id: packageId, at: this.iso(), by: viewer.id, sha256: made.sha256, bytes: made.bytes, calls: made.calls, audioFiles: made.audioFiles }] });
        return { file, fileName: `research-${record.legalBasis.reference.replace(/[^A-Za-z0-9._-]+/g, '_')}.tar`, sha256: made.sha256, bytes: made.bytes, discard };
      } catch (err) {
        await discard();
        throw err;
      }
    });
  }

  /** The institute's written confirmation that the data were destroyed or returned. */
  async confirmDestruction(viewer: Viewer, id: string, input: { confirmedOn: string; confirmedBy: string; reference: string }, clientAddress: string): Promise<ResearchView> {
    return this.deps.desk.exclusive(id, async () => {
      const record = await this.researchCase(viewer, id, 'case.research-destruction', clientAddress, true);
      const facts = researchFactsOf(record);
      if (facts.packages.length === 0) throw new AppError('RESEARCH_NOTHING_DISCLOSED', 'no package has left under this case: there is nothing to destroy');
      if (Date.parse(`${input.confirmedOn}T00:00:00Z`) > this.deps.now()) throw new AppError('RESEARCH_INVALID', 'a confirmation cannot be dated in the future');
      await this.deps.desk.audit(viewer, 'case.research-destruction', 'success', clientAddress, id, { confirmedOn: input.confirmedOn, reference: input.reference });
      return this.saveAndView(record, { ...facts, destruction: { ...input, enteredAt: this.iso(), enteredBy: viewer.id } });
    });
  }

  /**
   * Raises an alarm for each open research case whose return date has passed without a confirmed
   * destruction, once per case (and again after a new date is set). Returns how many it raised.
   */
  async remindOverdue(): Promise<number> {
    let raised = 0;
    const now = this.deps.now();
    for (const { id } of this.deps.allCases()) {
      await this.deps.desk.exclusive(id, async () => {
        const record = this.deps.desk.latest(id);
        if (record === undefined || record.kind !== 'research' || record.status !== 'open') return;
        const facts = researchFactsOf(record);
        if (!isOverdue(facts, now) || facts.remindedAt !== null) return;
        this.deps.alarms.raise('RESEARCH_RETURN_OVERDUE', 'research data were due back or destroyed and no confirmation has been entered', { caseId: record.id, returnDue: facts.returnDue! });
        await this.save(record, { ...facts, remindedAt: this.iso() });
        raised += 1;
      });
    }
    return raised;
  }

  /** Packages a crash left before their download: removed at start, never sent. */
  async removeLeftovers(): Promise<void> {
    await rm(this.deps.outgoingDir, { recursive: true, force: true });
  }

  private async researchCase(viewer: Viewer, id: string, action: string, clientAddress: string, mustBeOpen: boolean): Promise<DisclosureCase> {
    const record = mustBeOpen ? await this.deps.desk.openCaseFor(viewer, id, action, clientAddress) : await this.deps.desk.caseFor(viewer, id, action, clientAddress);
    if (record.kind !== 'research') throw new AppError('RESEARCH_NOT_RESEARCH_CASE', 'only a research disclosure case has these steps');
    return record;
  }

  private async save(record: DisclosureCase, facts: ResearchFacts): Promise<DisclosureCase> {
    return this.deps.desk.update({ ...record, research: facts });
  }

  private async saveAndView(record: DisclosureCase, facts: ResearchFacts): Promise<ResearchView> {
    await this.save(record, facts);
    return { facts, overdue: isOverdue(facts, this.deps.now()) };
  }

  private iso(): string {
    return new Date(this.deps.now()).toISOString();
  }
}
