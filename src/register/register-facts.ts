/**
 * The live facts the register description is checked against (register-checks.ts): counts,
 * ages, settings and states, never personal data (no names, numbers of callers, usernames or
 * card numbers). The service gathers them from its running parts; `tallennin register` from the
 * data directory (register-command.ts). Both pass the same sources, so the two print the same.
 */
import { ROLES, requiresSecondFactor, type Role } from '../access/policy.js';
import type { PolicyCheckResult } from '../access/policy-self-check.js';
import type { RegisterIdentity } from '../config/config-schema.js';
import { CASE_KINDS, holdsAt, type CaseKind, type DisclosureCase } from '../disclosure/case-record.js';
import { isOverdue, researchFactsOf } from '../disclosure/research-case.js';
import type { DoorSettingsData } from '../doors/door-settings.js';
import type { ContactRecord } from '../history/contact-record.js';

/** Usernames that name a function or a group rather than a person: an account of that name is shared, not personal (P6). */
export const SHARED_ACCOUNT_NAMES: ReadonlySet<string> = new Set(['admin', 'administrator', 'root', 'shared', 'yhteinen', 'guest', 'vieras', 'test', 'testi', 'user', 'kayttaja', 'tallennin', 'operator', 'service', 'support', 'tuki']);

export interface AccountFacts {
  readonly total: number;
  readonly enabled: number;
  readonly disabled: number;
  /** Enabled accounts per role (an account with two roles counts in both). */
  readonly byRole: Readonly<Record<Role, number>>;
  /** Enabled accounts with an active second factor. */
  readonly withSecondFactor: number;
  /** Enabled accounts whose roles need the second factor and have none yet (enrolment pending). */
  readonly pendingEnrolment: number;
  /** Enabled accounts whose name names a function or group (SHARED_ACCOUNT_NAMES). */
  readonly sharedNames: number;
}

export interface DoorSourceFact {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  /** When it was last heard: an event, a poll answer or a heartbeat (ISO), null: never. */
  readonly lastHeardAt: string | null;
}

export interface DoorFacts {
  /** The server room's doors as configured (empty: every door of every source). */
  readonly serverRoomDoors: readonly string[];
  /** The enabled sources that cover the server room's doors. */
  readonly sources: readonly DoorSourceFact[];
  /** A source silent this long is not watching (DOOR_SOURCE_SILENT). */
  readonly silentMinutes: number;
  /** live: the running service's own view (heartbeats too); log: the door event log only (offline). */
  readonly heardFrom: 'live' | 'log';
}

export interface DeskFacts {
  readonly cases: Readonly<Record<CaseKind, { readonly open: number; readonly closed: number }>>;
  readonly copies: number;
  readonly policeBundles: number;
  /** Police bundles without a second registrar's approval (never possible through the desk). */
  readonly unapprovedBundles: number;
  /** Copies made under a case that is not a data subject's request. */
  readonly copiesOutsideRequests: number;
  readonly research: { readonly open: number; readonly overdue: number; readonly destroyed: number; readonly packages: number; readonly packagesWithoutContentCheck: number };
  /** Data subjects' requests still open past their deadline. */
  readonly requestsPastDeadline: number;
  readonly requestsAnswered: number;
}

export interface RegisterFacts {
  readonly generatedAt: string;
  readonly identity: RegisterIdentity;
  readonly mode: 'production' | 'demo';
  readonly recordedServiceNumbers: readonly string[];
  readonly agentsInDirectory: number;
  readonly retentionMonths: number;
  /** The other retentions of the record of processing: the audit trail, closed cases, door events. */
  readonly otherRetention: { readonly auditDays: number; readonly caseYears: number; readonly doorMonths: number };
  readonly contactRecords: number;
  /** The oldest contact record not under a legal hold: its start and age in whole days. */
  readonly oldestRecord: { readonly startedAt: string; readonly ageDays: number } | null;
  /** Records kept past retention under a legal hold (P7 allows them: an open request). */
  readonly heldRecords: number;
  readonly accounts: AccountFacts;
  /** credential: sealed by systemd-creds; demo-file: the demo's key file beside the data. */
  readonly masterKeySource: 'credential' | 'demo-file';
  readonly tls: 'installed' | 'self-signed';
  readonly doors: DoorFacts;
  readonly desk: DeskFacts;
  readonly policyCheck: PolicyCheckResult & { readonly when: 'service-start' | 'now' };
}

export interface AccountLike {
  readonly username: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly totpEnabled: boolean;
}

export interface RegisterSources {
  readonly identity: RegisterIdentity;
  readonly mode: 'production' | 'demo';
  readonly settings: { readonly recordedServiceNumbers: readonly string[]; readonly agents: readonly unknown[]; readonly retentionMonths: number };
  readonly auditRetentionDays: number;
  readonly caseRetentionYears: number;
  readonly history: {
    /** How many contact records there are. */
    readonly count: () => Promise<number>;
    /** Contact records oldest first, a page at a time. */
    readonly oldest: (offset: number, limit: number) => Promise<readonly ContactRecord[]>;
  };
  readonly accounts: readonly AccountLike[];
  readonly masterKeySource: 'credential' | 'demo-file';
  readonly tls: 'installed' | 'self-signed';
  readonly doorSettings: DoorSettingsData;
  readonly lastHeard: (sourceId: string) => string | null;
  readonly heardFrom: 'live' | 'log';
  readonly cases: readonly DisclosureCase[];
  readonly policyCheck: PolicyCheckResult & { readonly when: 'service-start' | 'now' };
  readonly nowMs: number;
}

const DAY_MS = 24 * 3600_000;
const PAGE = 200;

export async function gatherRegisterFacts(sources: RegisterSources): Promise<RegisterFacts> {
  const { nowMs } = sources;
  const held = new Set(sources.cases.filter((record) => holdsAt(record, nowMs)).flatMap((record) => record.calls.map((call) => call.callId)));
  let oldest: RegisterFacts['oldestRecord'] = null;
  let heldRecords = 0;
  // The oldest record the purge could take: those under a hold are counted apart.
  for (let offset = 0; oldest === null; offset += PAGE) {
    const page = await sources.history.oldest(offset, PAGE);
    for (const record of page) {
      if (held.has(record.callId)) {
        heldRecords += 1;
        continue;
      }
      oldest = { startedAt: record.startedAt, ageDays: Math.max(0, Math.floor((nowMs - Date.parse(record.startedAt)) / DAY_MS)) };
      break;
    }
    if (page.length < PAGE) break;
  }
  return {
    generatedAt: new Date(nowMs).toISOString(),
    identity: sources.identity,
    mode: sources.mode,
    recordedServiceNumbers: [...sources.settings.recordedServiceNumbers],
    agentsInDirectory: sources.settings.agents.length,
    retentionMonths: sources.settings.retentionMonths,
    otherRetention: { auditDays: sources.auditRetentionDays, caseYears: sources.caseRetentionYears, doorMonths: sources.doorSettings.retentionMonths },
    contactRecords: await sources.history.count(),
    oldestRecord: oldest,
    heldRecords,
    accounts: accountFacts(sources.accounts),
    masterKeySource: sources.masterKeySource,
    tls: sources.tls,
    doors: doorFacts(sources.doorSettings, sources.lastHeard, sources.heardFrom),
    desk: deskFacts(sources.cases, nowMs),
    policyCheck: sources.policyCheck,
  };
}

export function accountFacts(accounts: readonly AccountLike[]): AccountFacts {
  const enabled = accounts.filter((account) => !account.disabled);
  const byRole = Object.fromEntries(ROLES.map((role) => [role, enabled.filter((account) => account.roles.includes(role)).length])) as Record<Role, number>;
  return {
    total: accounts.length,
    enabled: enabled.length,
    disabled: accounts.length - enabled.length,
    byRole,
    withSecondFactor: enabled.filter((account) => account.totpEnabled).length,
    pendingEnrolment: enabled.filter((account) => requiresSecondFactor(account.roles) && !account.totpEnabled).length,
    sharedNames: enabled.filter((account) => SHARED_ACCOUNT_NAMES.has(account.username)).length,
  };
}

export function doorFacts(settings: DoorSettingsData, lastHeard: (sourceId: string) => string | null, heardFrom: 'live' | 'log'): DoorFacts {
  const roomDoors = settings.serverRoomDoors;
  const sources = settings.sources
    .filter((source) => source.enabled && (roomDoors.length === 0 || source.doors.length === 0 || source.doors.some((door) => roomDoors.includes(door))))
    .map((source) => ({ id: source.id, name: source.name, kind: source.kind, lastHeardAt: lastHeard(source.id) }));
  return { serverRoomDoors: [...roomDoors], sources, silentMinutes: settings.silentMinutes, heardFrom };
}

export function deskFacts(cases: readonly DisclosureCase[], nowMs: number): DeskFacts {
  const byKind = Object.fromEntries(CASE_KINDS.map((kind) => [kind, { open: 0, closed: 0 }])) as Record<CaseKind, { open: number; closed: number }>;
  let copies = 0;
  let policeBundles = 0;
  let unapprovedBundles = 0;
  let copiesOutsideRequests = 0;
  const research = { open: 0, overdue: 0, destroyed: 0, packages: 0, packagesWithoutContentCheck: 0 };
  let requestsPastDeadline = 0;
  let requestsAnswered = 0;
  for (const record of cases) {
    byKind[record.kind][record.status] += 1;
    for (const disclosure of record.disclosures) {
      if (disclosure.type === 'copy') {
        copies += 1;
        if (record.kind !== 'access-request' && record.kind !== 'erasure-objection') copiesOutsideRequests += 1;
      } else {
        policeBundles += 1;
        if (disclosure.approvedBy === null || disclosure.approvedBy === disclosure.by) unapprovedBundles += 1;
      }
    }
    if (record.kind === 'research') {
      const facts = researchFactsOf(record);
      if (record.status === 'open') research.open += 1;
      if (isOverdue(facts, nowMs)) research.overdue += 1;
      if (facts.destruction !== null) research.destroyed += 1;
      research.packages += facts.packages.length;
      if (facts.contentCheck === null) research.packagesWithoutContentCheck += facts.packages.length;
    }
    if (record.kind === 'access-request') {
      if (record.status === 'closed') requestsAnswered += 1;
      else if (record.deadline !== null && Date.parse(record.deadline) < nowMs) requestsPastDeadline += 1;
    }
  }
  return { cases: byKind, copies, policeBundles, unapprovedBundles, copiesOutsideRequests, research, requestsPastDeadline, requestsAnswered };
}

/** The contact history as the facts read it: how many records, and the oldest first. */
export function historySource(history: { ready(): Promise<void>; stats(): { records: number }; page(query: Record<string, never>, options: { order: 'asc'; offset: number; limit: number }): Promise<{ records: readonly ContactRecord[] }> }): RegisterSources['history'] {
  return {
    count: async () => {
      await history.ready();
      return history.stats().records;
    },
    oldest: async (offset, limit) => (await history.page({}, { order: 'asc', offset, limit })).records,
  };
}

/** When each door source was last heard, from the events the log keeps (the newest receive time per source). */
export function lastHeardFromLog(events: readonly { readonly sourceId: string; readonly receivedAt: string }[]): (sourceId: string) => string | null {
  const latest = new Map<string, string>();
  for (const event of events) {
    const seen = latest.get(event.sourceId);
    if (seen === undefined || event.receivedAt > seen) latest.set(event.sourceId, event.receivedAt);
  }
  return (sourceId) => latest.get(sourceId) ?? null;
}
