/**
 * Each promise's check on its own: passed on a box in order, failed when the fact it rests on is
 * broken, not checkable only for the purposes.
 */
import t from 'tap';
import { checkP1, checkP2, checkP3, checkP4, checkP5, checkP6, checkP7, checkP8, checkP9, checkP10, checkP11, checkP12, checkP13, checkP14, checkRegister, PROMISES } from '../../../src/register/register-checks.js';
import { checkPolicy } from '../../../src/access/policy-self-check.js';
import { ROLE_PERMISSIONS } from '../../../src/access/policy.js';
import { knownFacts, NOW_MS } from './register-fixture.js';

const facts = knownFacts();

void t.test('when the box is in order, then every checkable promise passes, P1-P14 in order', async (t) => {
  const checks = checkRegister(facts);
  t.same(checks.map((check) => check.promise), [...PROMISES]);
  t.same(checks.filter((check) => check.status !== 'pass').map((check) => [check.promise, check.status]), [['P1', 'not-checkable'], ['P2', 'not-checkable']]);
  t.same(checkP2(facts).measured, { policeCases: 2 });
  t.equal(checkP1(facts).finding, 'purpose');
});

void t.test('P3 and P4: the agent directory and the recorded numbers', async (t) => {
  t.same(checkP3(facts), { promise: 'P3', status: 'pass', finding: 'records-kept', measured: { records: 1234, agents: 4 }, limit: null });
  t.equal(checkP3(knownFacts({ agentsInDirectory: 0 })).status, 'fail');
  t.same(checkP4(facts).measured, { count: 2, numbers: '020 123 4567, 020 765 4321' });
  t.match(checkP4(knownFacts({ recordedServiceNumbers: [] })), { status: 'fail', finding: 'no-numbers-recorded' });
});

void t.test('P5: a door source for the server room, heard within its silence limit', async (t) => {
  t.match(checkP5(facts, NOW_MS), { status: 'pass', finding: 'room-watched', measured: { source: 'Ovi-ohjain', minutes: 2, sources: 1 }, limit: 30 });
  t.match(checkP5(knownFacts({ doors: { ...facts.doors, sources: [] } }), NOW_MS), { status: 'fail', finding: 'no-door-source' });
  const never = { ...facts.doors, sources: [...facts.doors.sources, { id: 'lukija', name: 'Lukija', kind: 'osdp', lastHeardAt: null }] };
  t.match(checkP5(knownFacts({ doors: never }), NOW_MS), { status: 'fail', finding: 'door-source-never-heard', measured: { source: 'Lukija' } });
  t.match(checkP5(facts, NOW_MS + 28 * 60_000), { status: 'fail', finding: 'door-source-silent', measured: { minutes: 30 } });
  t.match(checkP5(facts, NOW_MS + 27 * 60_000), { status: 'pass', measured: { minutes: 29 } });
});

void t.test('P6: personal accounts, and a second factor wherever a role needs it', async (t) => {
  t.same(checkP6(facts), { promise: 'P6', status: 'pass', finding: 'personal-accounts', measured: { accounts: 11, withSecondFactor: 7, pendingEnrolment: 0, sharedNames: 0 }, limit: 0 });
  t.match(checkP6(knownFacts({ accounts: { ...facts.accounts, pendingEnrolment: 1 } })), { status: 'fail', finding: 'admin-without-second-factor', measured: { pendingEnrolment: 1 } });
  t.match(checkP6(knownFacts({ accounts: { ...facts.accounts, sharedNames: 1 } })), { status: 'fail', finding: 'shared-account' });
  const weak = checkPolicy('2026-11-28T06:00:00.000Z', ROLE_PERMISSIONS, new Set());
  t.match(checkP6(knownFacts({ policyCheck: { ...weak, when: 'now' } })), { status: 'fail', finding: 'policy-failed' });
});

void t.test('P7: the oldest record the purge could take, against the retention with a day for the daily run', async (t) => {
  t.same(checkP7(facts, NOW_MS), { promise: 'P7', status: 'pass', finding: 'within-retention', measured: { months: 3, held: 0, days: 89 }, limit: 92 });
  const late = knownFacts({ oldestRecord: { startedAt: '2026-08-27T09:00:00.000Z', ageDays: 93 } });
  t.match(checkP7(late, NOW_MS), { status: 'fail', finding: 'older-than-retention', measured: { days: 93 }, limit: 92 });
  const withinGrace = knownFacts({ oldestRecord: { startedAt: '2026-08-27T11:00:00.000Z', ageDays: 92 } });
  t.equal(checkP7(withinGrace, NOW_MS).status, 'pass', 'the purge runs daily: a record less than a day past the cut-off waits for it');
  t.match(checkP7(knownFacts({ oldestRecord: null }), NOW_MS), { status: 'pass', finding: 'no-records' });
});

void t.test('P8-P10: disclosures only through the desk, approved, research returned in time', async (t) => {
  t.same(checkP8(facts).measured, { copies: 3, policeBundles: 2, researchPackages: 2 });
  t.match(checkP8(knownFacts({ desk: { ...facts.desk, copiesOutsideRequests: 1 } })), { status: 'fail', finding: 'copy-outside-request' });
  t.match(checkP8(knownFacts({ desk: { ...facts.desk, unapprovedBundles: 1 } })), { status: 'fail', finding: 'unapproved-bundle' });
  t.match(checkP9(facts), { status: 'pass', measured: { open: 1, overdue: 0, destroyed: 1, packages: 2 } });
  t.match(checkP9(knownFacts({ desk: { ...facts.desk, research: { ...facts.desk.research, overdue: 1 } } })), { status: 'fail', finding: 'research-overdue' });
  t.match(checkP9(knownFacts({ desk: { ...facts.desk, research: { ...facts.desk.research, packagesWithoutContentCheck: 1 } } })), { status: 'fail', finding: 'research-unchecked' });
  t.match(checkP10(facts), { status: 'pass', measured: { cases: 2, bundles: 2 } });
  t.match(checkP10(knownFacts({ desk: { ...facts.desk, unapprovedBundles: 1 } })), { status: 'fail', measured: { unapproved: 1 } });
});

void t.test('P11-P13: the policy self-check and the accounts per role; P14: requests in time', async (t) => {
  t.match(checkP11(facts), { status: 'pass', finding: 'policy-passed', measured: { supervisors: 2, experts: 1, when: 'service-start', at: '2026-11-28T06:00:00.000Z' } });
  t.match(checkP12(facts), { status: 'pass', measured: { agents: 5 } });
  t.match(checkP13(facts), { status: 'pass', measured: { maintainers: 2, phoneAdmins: 1 } });
  const broken = checkPolicy('2026-11-28T06:00:00.000Z', { ...ROLE_PERMISSIONS, agent: ['calls:read-all', 'recordings:play-own'] });
  const failing = knownFacts({ policyCheck: { ...broken, when: 'service-start' } });
  t.match(checkP12(failing), { status: 'fail', finding: 'policy-failed', measured: { problems: 2 } });
  t.equal(checkP11(failing).status, 'pass');
  t.same(checkP14(facts).measured, { answered: 6, open: 1, pastDeadline: 0 });
  t.match(checkP14(knownFacts({ desk: { ...facts.desk, requestsPastDeadline: 1 } })), { status: 'fail', finding: 'requests-past-deadline' });
});
