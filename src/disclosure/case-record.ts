/**
 * A case of the registrar's desk: one request about the people in the register, from its
 * arrival to its closing. Kinds follow the register description: a data subject's access
 * request (P14, GDPR Art. 15), an authority's request (P10), a research disclosure (P9), and an
 * erasure or objection request. A case is itself personal data: it is stored encrypted
 * (case-store.ts) and destroyed some years after closing (case-retention.ts).
 *
 * Open for additions: the research kind's own facts (the content check, the return or
 * destruction due date and the institute's confirmation) go into `research`, and the data
 * subject's report into its own module beside this one; both read the case from the store.
 */

export const CASE_KINDS = ['access-request', 'police-request', 'research', 'erasure-objection'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Kinds asked by the person recorded: GDPR Art. 12(3) sets their deadline. */
export const DATA_SUBJECT_KINDS: ReadonlySet<CaseKind> = new Set(['access-request', 'erasure-objection']);

/** Who the case is about: a caller by number (E.164), or an answering agent by extension. */
export type CaseSubject = { readonly type: 'caller'; readonly number: string } | { readonly type: 'agent'; readonly extension: string };

export interface CaseCall {
  readonly callId: string;
  readonly recordingId: string | null;
  /** When the call started (UTC): kept so the desk can name it after the contact record is gone. */
  readonly startedAt: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

export interface CaseNote {
  readonly at: string;
  readonly by: string;
  readonly text: string;
}

/**
 * A legal hold: while it lasts the purge leaves the case's calls alone (legal-hold.ts). It ends at
 * `until` (exclusive), or when lifted, or when the case closes.
 */
export interface LegalHold {
  readonly reason: string;
  readonly until: string;
  readonly placedAt: string;
  readonly placedBy: string;
}

/** The four-eyes approval of a disclosure to an authority: never by the one who entered the request. */
export interface CaseApproval {
  readonly approvedAt: string;
  readonly approvedBy: string;
}

/** What left the box under the case: a copy for the data subject or a signed bundle for an authority. */
export interface CaseDisclosure {
  readonly id: string;
  readonly type: 'copy' | 'police-bundle';
  readonly at: string;
  readonly by: string;
  /** SHA-256 of the file handed over (the encrypted bundle, or the copy's package). */
  readonly sha256: string;
  readonly bytes: number;
  readonly approvedBy: string | null;
}

export interface DisclosureCase {
  readonly id: string;
  readonly kind: CaseKind;
  readonly status: CaseStatus;
  /** Who asked: a person or an authority, as written in the request. */
  readonly requester: { readonly name: string; readonly contact: string };
  readonly subject: CaseSubject | null;
  readonly legalBasis: { readonly text: string; readonly reference: string };
  readonly receivedAt: string;
  readonly openedAt: string;
  readonly openedBy: string;
  /** When the answer is due; null for a kind without a legal deadline when none was given. */
  readonly deadline: string | null;
  readonly extension: { readonly reason: string; readonly at: string; readonly by: string } | null;
  readonly calls: readonly CaseCall[];
  readonly notes: readonly CaseNote[];
  readonly hold: LegalHold | null;
  readonly approval: CaseApproval | null;
  readonly disclosures: readonly CaseDisclosure[];
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly closingNote: string | null;
  /** The research disclosure's own facts (P9): filled in by the research part of the desk. */
  readonly research?: Readonly<Record<string, unknown>>;
}

/** One month for a data subject's request (Art. 12(3)). */
export const DATA_SUBJECT_DEADLINE_MONTHS = 1;
/** The one extension Art. 12(3) allows, with a reason told to the data subject. */
export const EXTENSION_MONTHS = 2;

/** `months` calendar months after `ms`, the day clamped to the month's last (31 Jan + 1 = 28/29 Feb). */
export function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}

/** The desk's order: open cases by deadline (soonest first, those without one last), then closed ones, newest first. */
export function dueFirst(a: DisclosureCase, b: DisclosureCase): number {
  if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
  if (a.status === 'closed') return (b.closedAt ?? '').localeCompare(a.closedAt ?? '');
  if (a.deadline === b.deadline) return a.openedAt.localeCompare(b.openedAt);
  if (a.deadline === null) return 1;
  if (b.deadline === null) return -1;
  return a.deadline.localeCompare(b.deadline);
}

/** Whether a hold keeps the case's calls at `nowMs`: the case is open and the hold has not ended. */
export function holdsAt(record: DisclosureCase, nowMs: number): boolean {
  return record.status === 'open' && record.hold !== null && Date.parse(record.hold.until) > nowMs;
}
