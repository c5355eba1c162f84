/**
 * One check per promise of the register description (P1-P14), each a pure function of the live
 * facts (register-facts.ts): passed, failed, or not checkable where nothing live can show it
 * (a purpose is a statement of intent). `finding` names what was found; the texts
 * (register-text.ts) say it in Finnish and English with the measured values and the limit.
 */
import { problemsOf, type AccessPromise } from '../access/policy-self-check.js';
import { retentionCutoffMs } from '../retention/retention-purge.js';
import type { RegisterFacts } from './register-facts.js';

export const PROMISES = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12', 'P13', 'P14'] as const;
export type PromiseId = (typeof PROMISES)[number];
export type CheckStatus = 'pass' | 'fail' | 'not-checkable';

export interface PromiseCheck {
  readonly promise: PromiseId;
  readonly status: CheckStatus;
  /** What was found, a stable name (register-text.ts words it). */
  readonly finding: string;
  /** The measured values, by name. */
  readonly measured: Readonly<Record<string, number | string | null>>;
  /** The limit the measured value is held to, where there is one. */
  readonly limit: number | null;
}

const DAY_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;
/** The purge runs once a day: a record may be up to a day past the limit before the next run takes it. */
export const PURGE_GRACE_MS = DAY_MS;

const check = (promise: PromiseId, status: CheckStatus, finding: string, measured: PromiseCheck['measured'] = {}, limit: number | null = null): PromiseCheck => ({ promise, status, finding, measured, limit });

/** P1: the purposes (training, quality) are intent; the box cannot measure them. */
export function checkP1(_facts: RegisterFacts): PromiseCheck {
  return check('P1', 'not-checkable', 'purpose');
}

/** P2: crime or misuse: an intent too; the police cases are shown beside it (P10 checks them). */
export function checkP2(facts: RegisterFacts): PromiseCheck {
  const police = facts.desk.cases['police-request'];
  return check('P2', 'not-checkable', 'purpose-police', { policeCases: police.open + police.closed });
}

/** P3: every call's identification data: the contact records, with the agent directory naming agents. */
export function checkP3(facts: RegisterFacts): PromiseCheck {
  const measured = { records: facts.contactRecords, agents: facts.agentsInDirectory };
  return facts.agentsInDirectory === 0 ? check('P3', 'fail', 'no-agent-directory', measured) : check('P3', 'pass', 'records-kept', measured);
}

/** P4: calls to the service numbers are recorded: some are set to be. */
export function checkP4(facts: RegisterFacts): PromiseCheck {
  const measured = { count: facts.recordedServiceNumbers.length, numbers: facts.recordedServiceNumbers.join(', ') };
  return facts.recordedServiceNumbers.length === 0 ? check('P4', 'fail', 'no-numbers-recorded', measured) : check('P4', 'pass', 'numbers-recorded', measured);
}

/** P5: the server room's electronic access control: a door source watches it and has been heard lately. */
export function checkP5(facts: RegisterFacts, nowMs: number): PromiseCheck {
  const { sources, silentMinutes, heardFrom } = facts.doors;
  if (sources.length === 0) return check('P5', 'fail', 'no-door-source', { sources: 0 }, silentMinutes);
  let latest: { name: string; minutes: number } | null = null;
  for (const source of sources) {
    if (source.lastHeardAt === null) return check('P5', 'fail', 'door-source-never-heard', { source: source.name, sources: sources.length, heardFrom }, silentMinutes);
    // A clock set back must not read as a source heard in the future.
    const minutes = Math.max(0, Math.floor((nowMs - Date.parse(source.lastHeardAt)) / MINUTE_MS));
    if (minutes >= silentMinutes) return check('P5', 'fail', 'door-source-silent', { source: source.name, minutes, sources: sources.length, heardFrom }, silentMinutes);
    if (latest === null || minutes > latest.minutes) latest = { name: source.name, minutes };
  }
  // The source heard longest ago is the one the promise rests on.
  return check('P5', 'pass', 'room-watched', { source: latest!.name, minutes: latest!.minutes, sources: sources.length, heardFrom }, silentMinutes);
}

/** P6: personal accounts only; everyone who runs the box or lets data out has a second factor. */
export function checkP6(facts: RegisterFacts): PromiseCheck {
  const { enabled, withSecondFactor, pendingEnrolment, sharedNames } = facts.accounts;
  const measured = { accounts: enabled, withSecondFactor, pendingEnrolment, sharedNames };
  if (sharedNames > 0) return check('P6', 'fail', 'shared-account', measured, 0);
  if (pendingEnrolment > 0) return check('P6', 'fail', 'admin-without-second-factor', measured, 0);
  if (problemsOf(facts.policyCheck, 'P6').length > 0) return check('P6', 'fail', 'policy-failed', { ...measured, problems: problemsOf(facts.policyCheck, 'P6').length }, 0);
  return check('P6', 'pass', 'personal-accounts', measured, 0);
}

/** P7: at most 3 months: the retention set, and the oldest contact record the purge could take. */
export function checkP7(facts: RegisterFacts, nowMs: number): PromiseCheck {
  const cutoffMs = retentionCutoffMs(nowMs, facts.retentionMonths);
  const limitDays = Math.round((nowMs - cutoffMs) / DAY_MS);
  const base = { months: facts.retentionMonths, held: facts.heldRecords };
  if (facts.oldestRecord === null) return check('P7', 'pass', 'no-records', base, limitDays);
  const measured = { ...base, days: facts.oldestRecord.ageDays };
  if (Date.parse(facts.oldestRecord.startedAt) < cutoffMs - PURGE_GRACE_MS) return check('P7', 'fail', 'older-than-retention', measured, limitDays);
  return check('P7', 'pass', 'within-retention', measured, limitDays);
}

/** P8: nothing leaves but through the desk's cases: copies for data subjects, approved police bundles, research packages. */
export function checkP8(facts: RegisterFacts): PromiseCheck {
  const { copies, policeBundles, copiesOutsideRequests, unapprovedBundles, research } = facts.desk;
  const measured = { copies, policeBundles, researchPackages: research.packages };
  if (copiesOutsideRequests > 0) return check('P8', 'fail', 'copy-outside-request', { ...measured, copiesOutsideRequests });
  if (unapprovedBundles > 0) return check('P8', 'fail', 'unapproved-bundle', { ...measured, unapprovedBundles });
  return check('P8', 'pass', 'disclosures-through-desk', measured);
}

/** P9: research disclosures are anonymised, checked and returned or destroyed when due. */
export function checkP9(facts: RegisterFacts): PromiseCheck {
  const { open, overdue, destroyed, packages, packagesWithoutContentCheck } = facts.desk.research;
  const measured = { open, overdue, destroyed, packages };
  if (overdue > 0) return check('P9', 'fail', 'research-overdue', measured, 0);
  if (packagesWithoutContentCheck > 0) return check('P9', 'fail', 'research-unchecked', { ...measured, unchecked: packagesWithoutContentCheck }, 0);
  return check('P9', 'pass', 'research-in-order', measured, 0);
}

/** P10: to the police only under a case, each bundle approved by a second registrar. */
export function checkP10(facts: RegisterFacts): PromiseCheck {
  const police = facts.desk.cases['police-request'];
  const measured = { cases: police.open + police.closed, bundles: facts.desk.policeBundles };
  if (facts.desk.unapprovedBundles > 0) return check('P10', 'fail', 'unapproved-bundle', { ...measured, unapproved: facts.desk.unapprovedBundles }, 0);
  return check('P10', 'pass', 'police-approved', measured, 0);
}

function policyCheck(promise: AccessPromise & PromiseId, facts: RegisterFacts, measured: Record<string, number | string | null>): PromiseCheck {
  const problems = problemsOf(facts.policyCheck, promise).length;
  const withTime = { ...measured, at: facts.policyCheck.at, when: facts.policyCheck.when };
  return problems > 0 ? check(promise, 'fail', 'policy-failed', { ...withTime, problems }) : check(promise, 'pass', 'policy-passed', withTime);
}

/** P11: supervisors and quality/training experts read and hear all calls (the policy self-check). */
export function checkP11(facts: RegisterFacts): PromiseCheck {
  return policyCheck('P11', facts, { supervisors: facts.accounts.byRole.supervisor, experts: facts.accounts.byRole['quality-expert'] });
}

/** P12: agents only their own calls. */
export function checkP12(facts: RegisterFacts): PromiseCheck {
  return policyCheck('P12', facts, { agents: facts.accounts.byRole.agent });
}

/** P13: technical maintainers and phone-system administrators may listen and read too. */
export function checkP13(facts: RegisterFacts): PromiseCheck {
  return policyCheck('P13', facts, { maintainers: facts.accounts.byRole['technical-maintainer'], phoneAdmins: facts.accounts.byRole['phone-admin'] });
}

/** P14: the right of inspection: the data subjects' requests answered, none past its deadline. */
export function checkP14(facts: RegisterFacts): PromiseCheck {
  const requests = facts.desk.cases['access-request'];
  const measured = { answered: facts.desk.requestsAnswered, open: requests.open, pastDeadline: facts.desk.requestsPastDeadline };
  return facts.desk.requestsPastDeadline > 0 ? check('P14', 'fail', 'requests-past-deadline', measured, 0) : check('P14', 'pass', 'requests-in-time', measured, 0);
}

/** Every promise's check, P1 to P14. */
export function checkRegister(facts: RegisterFacts): PromiseCheck[] {
  const nowMs = Date.parse(facts.generatedAt);
  return [checkP1(facts), checkP2(facts), checkP3(facts), checkP4(facts), checkP5(facts, nowMs), checkP6(facts), checkP7(facts, nowMs), checkP8(facts), checkP9(facts), checkP10(facts), checkP11(facts), checkP12(facts), checkP13(facts), checkP14(facts)];
}
