/**
 * The registrar's desk: the use cases of a case, from opening to closing. Each asks the policy
 * first (only the registrar runs cases: cases:manage; approvals need disclosures:approve) and
 * writes its audit entry, refusals included, before anything is answered; personal data leave
 * only after their entry is committed (fail closed, like call-access.ts).
 *
 * Where the rest of the desk plugs in: the research disclosure (P9) adds its checks before a case
 * closes through `closeChecks`, and keeps its own facts in `DisclosureCase.research` through
 * `update`; the data subject's report (P14) reads a case with `get` and its calls' records with
 * `callsOf`. Bundles and copies record what left the box with `recordDisclosure`.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { ContactRecord } from '../history/contact-record.js';
import { normalizePhoneNumber } from '../calls/phone-number.js';
import { can, type Permission } from '../access/policy.js';
import type { AuditTrail } from '../access/audit-trail.js';
import type { AuditEventInput } from '../access/audit-entry.js';
import type { AuditPseudonyms } from '../access/audit-pseudonyms.js';
import type { Viewer } from '../access/call-access.js';
import type { CaseStore } from './case-store.js';
import {
  addMonths,
  DATA_SUBJECT_DEADLINE_MONTHS,
  DATA_SUBJECT_KINDS,
  dueFirst,
  EXTENSION_MONTHS,
  type CaseDisclosure,
  type CaseKind,
  type CaseSubject,
  type DisclosureCase,
} from './case-record.js';

export interface OpenCaseInput {
  readonly kind: CaseKind;
  readonly requester: { readonly name: string; readonly contact?: string };
  /** A caller's number in any written form, or an agent's extension. */
  readonly subject?: { readonly caller?: string; readonly agent?: string };
  readonly legalBasis: { readonly text: string; readonly reference: string };
  /** When the request arrived (default now): a data subject's deadline runs from it. */
  readonly receivedAtMs?: number;
  /** The deadline of an authority's or a research request, when it has one. */
  readonly deadlineMs?: number;
}

export interface CallFind {
  readonly caller?: string;
  readonly agent?: string;
}

/** A check a case must pass before it closes; throws an AppError naming what is missing. */
export type CloseCheck = (record: DisclosureCase) => void;

/** Without a deadline, the hold placed at opening lasts this long; the registrar changes it. */
const DEFAULT_HOLD_MONTHS = 3;
/** A search for a case covers the retention period (at most 3 months, P7) and a margin. */
const FIND_DAYS = 100;
const MAX_FOUND = 500;

export class CaseDesk {
  private readonly closeChecks: CloseCheck[] = [];

  constructor(
    private readonly deps: {
      readonly cases: CaseStore;
      readonly history: ContactHistory;
      readonly audit: AuditTrail;
      readonly pseudonyms: AuditPseudonyms;
      readonly defaultRegion: string;
      readonly now: () => number;
    },
  ) {}

  /** Adds a check every case must pass before it closes (the research disclosure's confirmation of destruction). */
  addCloseCheck(check: CloseCheck): void {
    this.closeChecks.push(check);
  }

  /** The desk: every case, what is due first at the top. */
  async list(viewer: Viewer, clientAddress: string): Promise<DisclosureCase[]> {
    await this.authorize(viewer, 'cases:manage', 'case.list', clientAddress);
    const cases = [...this.deps.cases.all()].sort(dueFirst);
    await this.audit(viewer, 'case.list', 'success', clientAddress, undefined, { shown: cases.length });
    return cases;
  }

  async open(viewer: Viewer, input: OpenCaseInput, clientAddress: string): Promise<DisclosureCase> {
    await this.authorize(viewer, 'cases:manage', 'case.open', clientAddress);
    const now = this.deps.now();
    const subject = this.subjectOf(input.subject);
    const dataSubjectKind = DATA_SUBJECT_KINDS.has(input.kind);
    if (dataSubjectKind && subject === null) throw new AppError('CASE_SUBJECT_REQUIRED', 'a data subject’s request names the caller’s number or the agent’s extension');
    // A request about someone with no calls on the box has nothing to answer with: say so now.
    if (subject !== null && (await this.findCalls(subject)).length === 0) {
      await this.audit(viewer, 'case.open', 'failed', clientAddress, undefined, { kind: input.kind, reason: 'CASE_NO_CALLS', ...this.subjectDetails(subject) });
      throw new AppError('CASE_NO_CALLS', 'no contact records or recordings within retention for this caller or agent');
    }
    const receivedAtMs = input.receivedAtMs ?? now;
    if (receivedAtMs > now + 60_000) throw new AppError('CASE_INVALID', 'a request cannot arrive in the future');
    const deadlineMs = dataSubjectKind ? addMonths(receivedAtMs, DATA_SUBJECT_DEADLINE_MONTHS) : input.deadlineMs;
    if (!dataSubjectKind && deadlineMs !== undefined && deadlineMs <= now) throw new AppError('CASE_INVALID', 'the deadline has passed already');
    const iso = (ms: number): string => new Date(ms).toISOString();
    const record: DisclosureCase = {
      id: randomUUID(),
      kind: input.kind,
      status: 'open',
      requester: { name: input.requester.name, contact: input.requester.contact ?? '' },
      subject,
      legalBasis: input.legalBasis,
      receivedAt: iso(receivedAtMs),
      openedAt: iso(now),
      openedBy: viewer.id,
      deadline: deadlineMs === undefined ? null : iso(deadlineMs),
      extension: null,
      calls: [],
      notes: [],
      // An open request must not be defeated by the purge: its calls are held from the start.
      hold: { reason: 'open case', until: iso(Math.max(deadlineMs ?? 0, addMonths(now, DEFAULT_HOLD_MONTHS))), placedAt: iso(now), placedBy: viewer.id },
      approval: null,
      disclosures: [],
      closedAt: null,
      closedBy: null,
      closingNote: null,
    };
    await this.audit(viewer, 'case.open', 'success', clientAddress, record.id, { kind: record.kind, deadline: record.deadline, holdUntil: record.hold!.until, ...(subject === null ? {} : this.subjectDetails(subject)) });
    return this.deps.cases.save(record);
  }

  /** A case with the contact records of its calls (those the purge has not taken). */
  async view(viewer: Viewer, id: string, clientAddress: string): Promise<{ record: DisclosureCase; calls: ContactRecord[] }> {
    const record = await this.caseFor(viewer, id, 'case.view', clientAddress);
    const calls = await this.callsOf(record);
    await this.audit(viewer, 'case.view', 'success', clientAddress, id, { calls: calls.length });
    return { record, calls };
  }

  /** The contact records of a case's calls still on the box, oldest first. */
  async callsOf(record: DisclosureCase): Promise<ContactRecord[]> {
    const found: ContactRecord[] = [];
    for (const call of record.calls) {
      const contact = await this.deps.history.find(call.callId);
      if (contact !== undefined) found.push(contact);
    }
    return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /**
   * Every contact record and recording within retention of a caller (any written form of the
   * number, compared in E.164) or an agent (extension or name); by default the case's subject.
   */
  async find(viewer: Viewer, id: string, query: CallFind, clientAddress: string): Promise<ContactRecord[]> {
    const record = await this.caseFor(viewer, id, 'case.find', clientAddress);
    const subject = query.caller !== undefined || query.agent !== undefined ? this.subjectOf(query) : record.subject;
    if (subject === null) throw new AppError('VALIDATION_FAILED', 'name a caller’s number or an agent', { details: { problems: ['caller: required without agent'] } });
    const found = await this.findCalls(subject);
    await this.audit(viewer, 'case.find', 'success', clientAddress, id, { ...this.subjectDetails(subject), results: found.length });
    return found;
  }

  /** The calls the registrar picked for the case (replacing the earlier pick). */
  async setCalls(viewer: Viewer, id: string, callIds: readonly string[], clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = await this.openCaseFor(viewer, id, 'case.calls', clientAddress);
      const now = new Date(this.deps.now()).toISOString();
      const kept = new Map(record.calls.map((call) => [call.callId, call]));
      const calls = [];
      for (const callId of new Set(callIds)) {
        const existing = kept.get(callId);
        if (existing !== undefined) {
          calls.push(existing);
          continue;
        }
        const contact = await this.deps.history.find(callId);
        if (contact === undefined) throw new AppError('CALL_NOT_FOUND', 'no such call', { details: { reason: callId } });
        calls.push({ callId, recordingId: contact.recordingId, startedAt: contact.startedAt, addedAt: now, addedBy: viewer.id });
      }
      await this.audit(viewer, 'case.calls', 'success', clientAddress, id, { calls: calls.length, callIds: calls.map((call) => call.callId).join(' ') });
      return this.deps.cases.save({ ...record, calls });
    });
  }

  async addNote(viewer: Viewer, id: string, text: string, clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = await this.caseFor(viewer, id, 'case.note', clientAddress);
      await this.audit(viewer, 'case.note', 'success', clientAddress, id);
      return this.deps.cases.save({ ...record, notes: [...record.notes, { at: new Date(this.deps.now()).toISOString(), by: viewer.id, text }] });
    });
  }

  /** Art. 12(3): a data subject's deadline may be extended once, by two months, with a reason. */
  async extend(viewer: Viewer, id: string, reason: string, clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = await this.openCaseFor(viewer, id, 'case.extend', clientAddress);
      if (!DATA_SUBJECT_KINDS.has(record.kind) || record.deadline === null) throw new AppError('CASE_EXTENSION_NOT_ALLOWED', 'only a data subject’s request has a deadline to extend');
      if (record.extension !== null) throw new AppError('CASE_ALREADY_EXTENDED', 'the deadline has been extended once already');
      const now = this.deps.now();
      const deadline = new Date(addMonths(Date.parse(record.deadline), EXTENSION_MONTHS)).toISOString();
      // The hold placed at opening follows the new deadline, so the request is not defeated by the purge.
      const hold = record.hold !== null && record.hold.until < deadline ? { ...record.hold, until: deadline } : record.hold;
      await this.audit(viewer, 'case.extend', 'success', clientAddress, id, { deadline });
      return this.deps.cases.save({ ...record, deadline, hold, extension: { reason, at: new Date(now).toISOString(), by: viewer.id } });
    });
  }

  /** Places (or changes) the legal hold of the case's calls. */
  async placeHold(viewer: Viewer, id: string, hold: { reason: string; untilMs: number }, clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = await this.openCaseFor(viewer, id, 'case.hold', clientAddress);
      const now = this.deps.now();
      if (hold.untilMs <= now) throw new AppError('HOLD_INVALID', 'a hold ends in the future');
      const placed = { reason: hold.reason, until: new Date(hold.untilMs).toISOString(), placedAt: new Date(now).toISOString(), placedBy: viewer.id };
      await this.audit(viewer, 'case.hold', 'success', clientAddress, id, { until: placed.until, calls: record.calls.length, callIds: record.calls.map((call) => call.callId).join(' ') });
      return this.deps.cases.save({ ...record, hold: placed });
    });
  }

  async liftHold(viewer: Viewer, id: string, clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = await this.caseFor(viewer, id, 'case.hold-lift', clientAddress);
      if (record.hold === null) throw new AppError('HOLD_NOT_FOUND', 'the case has no hold');
      await this.audit(viewer, 'case.hold-lift', 'success', clientAddress, id, { calls: record.calls.length, callIds: record.calls.map((call) => call.callId).join(' ') });
      return this.deps.cases.save({ ...record, hold: null });
    });
  }

  /**
   * Four eyes (P10): a disclosure to an authority is approved by a holder of disclosures:approve
   * who did not enter the request. Every attempt is audited, refusals too.
   */
  async approve(viewer: Viewer, id: string, clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      await this.authorize(viewer, 'disclosures:approve', 'case.approve', clientAddress, id);
      const record = this.deps.cases.get(id);
      if (record === undefined) {
        await this.audit(viewer, 'case.approve', 'denied', clientAddress, id, { reason: 'CASE_NOT_FOUND' });
        throw new AppError('CASE_NOT_FOUND', 'no such case');
      }
      const refuse = async (code: string, message: string): Promise<never> => {
        await this.audit(viewer, 'case.approve', 'denied', clientAddress, id, { reason: code });
        throw new AppError(code, message);
      };
      if (record.kind !== 'police-request') return refuse('APPROVAL_NOT_NEEDED', 'only a disclosure to an authority is approved');
      if (record.status !== 'open') return refuse('CASE_CLOSED', 'the case is closed');
      if (record.openedBy === viewer.id) return refuse('APPROVAL_BY_REQUESTER', 'the person who entered the request cannot approve it: another registrar does');
      if (record.approval !== null) return refuse('APPROVAL_DONE', 'the disclosure is approved already');
      await this.audit(viewer, 'case.approve', 'success', clientAddress, id, { requestedBy: record.openedBy });
      return this.deps.cases.save({ ...record, approval: { approvedAt: new Date(this.deps.now()).toISOString(), approvedBy: viewer.id } });
    });
  }

  /** Closes a case; a refusal (closed already, a check not passed) is audited with its reason. */
  async close(viewer: Viewer, id: string, note: string, clientAddress: string): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = await this.caseFor(viewer, id, 'case.close', clientAddress);
      try {
        if (record.status !== 'open') throw new AppError('CASE_CLOSED', 'the case is closed');
        for (const check of this.closeChecks) check(record);
      } catch (err) {
        if (err instanceof AppError) {
          const check = err.details?.reason;
          await this.audit(viewer, 'case.close', 'denied', clientAddress, id, { reason: err.code, ...(typeof check === 'string' ? { check } : {}) });
        }
        throw err;
      }
      await this.audit(viewer, 'case.close', 'success', clientAddress, id, { holdLifted: record.hold !== null });
      // A closed case holds nothing: its calls go at the first purge past their retention.
      return this.deps.cases.save({ ...record, status: 'closed', hold: null, closedAt: new Date(this.deps.now()).toISOString(), closedBy: viewer.id, closingNote: note });
    });
  }

  /**
   * For the parts of the desk built on a case (research facts): a change of the case, written
   * through. Called inside `exclusive` of the same case, from a record read inside it.
   */
  async update(record: DisclosureCase): Promise<DisclosureCase> {
    return this.deps.cases.save(record);
  }

  /** Runs a change of case `id` after every earlier one is written (case-store.ts says why). */
  async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.deps.cases.exclusive(id, work);
  }

  /** The case as last written (read inside `exclusive`); undefined once it is destroyed. */
  latest(id: string): DisclosureCase | undefined {
    return this.deps.cases.get(id);
  }

  /** Records what left the box under the case (the audit entry is its maker's). */
  async recordDisclosure(id: string, disclosure: CaseDisclosure): Promise<DisclosureCase> {
    return this.deps.cases.exclusive(id, async () => {
      const record = this.deps.cases.require(id);
      return this.deps.cases.save({ ...record, disclosures: [...record.disclosures, disclosure] });
    });
  }

  /** A case for an action of the desk: permission first, then the case; both refusals audited. */
  async caseFor(viewer: Viewer, id: string, action: string, clientAddress: string): Promise<DisclosureCase> {
    await this.authorize(viewer, 'cases:manage', action, clientAddress, id);
    const record = this.deps.cases.get(id);
    if (record === undefined) {
      await this.audit(viewer, action, 'denied', clientAddress, id, { reason: 'CASE_NOT_FOUND' });
      throw new AppError('CASE_NOT_FOUND', 'no such case');
    }
    return record;
  }

  async openCaseFor(viewer: Viewer, id: string, action: string, clientAddress: string): Promise<DisclosureCase> {
    const record = await this.caseFor(viewer, id, action, clientAddress);
    if (record.status !== 'open') throw new AppError('CASE_CLOSED', 'the case is closed');
    return record;
  }

  async authorize(viewer: Viewer, permission: Permission, action: string, clientAddress: string, caseId?: string): Promise<void> {
    if (can(viewer, permission)) return;
    await this.audit(viewer, action, 'denied', clientAddress, caseId);
    throw new AppError('FORBIDDEN', permission === 'disclosures:approve' ? 'this account may not approve disclosures' : 'only the registrar works on cases');
  }

  /** An entry of the desk's own making (a playback under a case), committed before the answer. */
  async auditEntry(event: AuditEventInput): Promise<void> {
    await this.deps.audit.append(event);
  }

  async audit(viewer: Viewer, action: string, outcome: 'success' | 'denied' | 'failed', clientAddress: string, caseId?: string, details?: Record<string, string | number | boolean | null>): Promise<void> {
    await this.deps.audit.append({
      action,
      outcome,
      actorId: viewer.id,
      clientAddress,
      ...(caseId === undefined ? {} : { target: { type: 'case' as const, id: caseId } }),
      ...(details === undefined ? {} : { details }),
    });
  }

  private subjectOf(input: { caller?: string; agent?: string } | undefined): CaseSubject | null {
    if (input?.caller !== undefined && input.agent !== undefined) throw new AppError('VALIDATION_FAILED', 'name a caller or an agent, not both', { details: { problems: ['subject: caller or agent'] } });
    if (input?.caller !== undefined) {
      const number = normalizePhoneNumber(input.caller, this.deps.defaultRegion);
      if (number === null) throw new AppError('VALIDATION_FAILED', 'the caller’s number is empty', { details: { problems: ['caller: empty'] } });
      return { type: 'caller', number };
    }
    if (input?.agent !== undefined) return { type: 'agent', extension: input.agent.trim() };
    return null;
  }

  /** The trail holds who was looked for as a pseudonym, never the number. */
  private subjectDetails(subject: CaseSubject): Record<string, string> {
    return subject.type === 'caller' ? { caller: this.deps.pseudonyms.of('phone', subject.number) } : { agent: subject.extension };
  }

  private async findCalls(subject: CaseSubject): Promise<ContactRecord[]> {
    const toMs = this.deps.now() + 60_000;
    const fromMs = toMs - FIND_DAYS * 24 * 3600_000;
    const page = await this.deps.history.page(
      { fromMs, toMs, ...(subject.type === 'caller' ? { callerNumber: subject.number } : /^[0-9]+$/.test(subject.extension) ? { extensions: new Set([subject.extension]) } : { agent: subject.extension.toLowerCase() }) },
      { order: 'asc', offset: 0, limit: MAX_FOUND },
    );
    return [...page.records];
  }
}
