/**
 * The report for the person recorded (P14, GDPR Art. 15): what the register holds of them and who
 * has seen it. For the calls of a data subject's case: their contact records (times, service
 * number, whether recorded: never the other party's number), who has access under the register
 * (roles, not names: policy.ts), and from the audit trail every time one of those calls was
 * viewed, its recording viewed, played or exported, with the role of whoever did it. Every
 * entry is taken from the trail as it is: a player fetches a recording in parts, and each part
 * played is one line, so the report shows exactly what the trail holds.
 *
 * Rendering (subject-report-html.ts, subject-report-pdf.ts) is separate; this module only reads.
 */
import { AppError } from '../errors.js';
import type { AuditRecord } from '../access/audit-entry.js';
import type { AuditSearch } from '../access/audit-trail.js';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../access/policy.js';
import type { Viewer } from '../access/call-access.js';
import type { ContactRecord } from '../history/contact-record.js';
import type { CaseDesk } from './case-desk.js';
import { DATA_SUBJECT_KINDS, type CaseSubject } from './case-record.js';

export const REPORT_LANGUAGES = ['fi', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export const REPORT_FORMATS = ['html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The audit actions that are an access to one call or its recording, as the report names them. */
export const ACCESS_ACTIONS = { 'call.view': 'viewed', 'recording.view': 'recording-viewed', 'recording.play': 'played', 'recording.export': 'exported' } as const;
/** A play on the desk's on-site listening, heard with the data subject (details.heardWith). */
export type AccessKind = (typeof ACCESS_ACTIONS)[keyof typeof ACCESS_ACTIONS] | 'played-with-subject';

export interface ReportCall {
  /** 1, 2, ...: the call's number in this report. */
  readonly number: number;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly serviceNumber: string | null;
  readonly recorded: boolean;
}

export interface ReportAccess {
  readonly at: string;
  readonly kind: AccessKind;
  /** The report's number of the call. */
  readonly call: number;
  /** The roles of the account that did it (empty: the account no longer exists). */
  readonly roles: readonly Role[];
  /** For a played part: which part of the recording, in milliseconds from its start. */
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

export interface RoleAccess {
  readonly role: Role;
  /** all: every call; own: only the calls they answered. */
  readonly calls: 'all' | 'own';
  readonly listen: boolean;
}

export interface SubjectReport {
  readonly reference: string;
  readonly subject: CaseSubject;
  readonly generatedAt: string;
  readonly calls: readonly ReportCall[];
  readonly roles: readonly RoleAccess[];
  readonly accesses: readonly ReportAccess[];
}

export interface SubjectReportDeps {
  readonly desk: CaseDesk;
  readonly audit: { search(query: AuditSearch): Promise<{ total: number; records: AuditRecord[] }> };
  readonly rolesOf: (userId: string) => readonly Role[];
  readonly now: () => number;
}

const SEARCH_PAGE = 1000;

/** Who may see calls under the register: each role with a permission to read calls (P11-P13). */
export function registerRoles(): RoleAccess[] {
  const out: RoleAccess[] = [];
  for (const role of ROLES) {
    const permissions = ROLE_PERMISSIONS[role];
    if (permissions.includes('calls:read-all')) out.push({ role, calls: 'all', listen: permissions.includes('recordings:play-all') });
    else if (permissions.includes('calls:read-own')) out.push({ role, calls: 'own', listen: permissions.includes('recordings:play-own') });
  }
  return out;
}

export class SubjectReports {
  constructor(private readonly deps: SubjectReportDeps) {}

  /** The report of a data subject's case; the audit entry is committed before it is returned. */
  async report(viewer: Viewer, id: string, format: ReportFormat, language: ReportLanguage, clientAddress: string): Promise<SubjectReport> {
    const record = await this.deps.desk.caseFor(viewer, id, 'case.report', clientAddress);
    if (!DATA_SUBJECT_KINDS.has(record.kind) || record.subject === null) throw new AppError('REPORT_NOT_DATA_SUBJECT_CASE', 'a report is made for a data subject’s request');
    const contacts = await this.deps.desk.callsOf(record);
    const calls = contacts.map((contact, index) => reportCall(contact, index + 1));
    const accesses: ReportAccess[] = [];
    for (const [index, contact] of contacts.entries()) {
      for (const entry of await this.accessesTo(contact)) {
        const details = entry.details ?? {};
        const action = ACCESS_ACTIONS[entry.action as keyof typeof ACCESS_ACTIONS];
        const kind: AccessKind = action === 'played' && details.heardWith === 'data-subject' ? 'played-with-subject' : action;
        const part = kind === 'played' || kind === 'played-with-subject';
        accesses.push({
          at: entry.time,
          kind,
          call: index + 1,
          roles: entry.actorId === null ? [] : this.deps.rolesOf(entry.actorId),
          fromMs: part && typeof details.fromMs === 'number' ? details.fromMs : null,
          toMs: part && typeof details.toMs === 'number' ? details.toMs : null,
        });
      }
    }
    accesses.sort((a, b) => a.at.localeCompare(b.at) || a.call - b.call);
    await this.deps.desk.audit(viewer, 'case.report', 'success', clientAddress, id, { format, language, calls: calls.length, accesses: accesses.length });
    return { reference: record.legalBasis.reference, subject: record.subject, generatedAt: new Date(this.deps.now()).toISOString(), calls, roles: registerRoles(), accesses };
  }

  /** The trail's successful accesses to the call and to its recording, oldest first. */
  private async accessesTo(contact: ContactRecord): Promise<AuditRecord[]> {
    const found: AuditRecord[] = [];
    const targets = [contact.callId, ...(contact.recordingId === null ? [] : [contact.recordingId])];
    for (const targetId of targets) {
      for (let offset = 0; ; offset += SEARCH_PAGE) {
        const page = await this.deps.audit.search({ targetId, outcome: 'success', limit: SEARCH_PAGE, offset });
        for (const entry of page.records) {
          if (entry.action in ACCESS_ACTIONS) found.push(entry);
        }
        if (offset + SEARCH_PAGE >= page.total) break;
      }
    }
    return found.sort((a, b) => a.seq - b.seq);
  }
}

function reportCall(contact: ContactRecord, number: number): ReportCall {
  const recorded = contact.recordingId !== null && contact.recordingState !== 'not-recorded' && contact.recordingState !== 'no-audio' && contact.recordingState !== 'failed';
  return { number, startedAt: contact.startedAt, endedAt: contact.endedAt, serviceNumber: contact.serviceNumber, recorded };
}
