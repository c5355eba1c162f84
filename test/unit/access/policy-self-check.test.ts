/**
 * The policy self-check holds the permission matrix to P11-P13 (and P6's second factor): the
 * real table passes; each kind of breach is named with its promise, role and permission.
 */
import t from 'tap';
import { checkPolicy, problemsOf } from '../../../src/access/policy-self-check.js';
import { ROLE_PERMISSIONS, SECOND_FACTOR_PERMISSIONS } from '../../../src/access/policy.js';

const AT = '2026-11-28T06:00:00.000Z';

void t.test('when the table is the appliance’s own, then the self-check passes', async (t) => {
  t.same(checkPolicy(AT), { at: AT, passed: true, problems: [] });
});

void t.test('when a table breaks a promise, then the self-check fails naming it', async (t) => {
  const agentReadsAll = checkPolicy(AT, { ...ROLE_PERMISSIONS, agent: ['calls:read-own', 'recordings:play-own', 'calls:read-all'] });
  t.equal(agentReadsAll.passed, false);
  t.same(problemsOf(agentReadsAll, 'P12'), [{ promise: 'P12', role: 'agent', permission: 'calls:read-all', expected: 'denied' }]);
  const agentNothing = checkPolicy(AT, { ...ROLE_PERMISSIONS, agent: [] });
  t.same(problemsOf(agentNothing, 'P12').map((problem) => problem.permission), ['calls:read-own', 'recordings:play-own']);
  const supervisorBlind = checkPolicy(AT, { ...ROLE_PERMISSIONS, supervisor: ['calls:read-all'] });
  t.same(problemsOf(supervisorBlind, 'P11'), [{ promise: 'P11', role: 'supervisor', permission: 'recordings:play-all', expected: 'granted' }]);
  const adminBlind = checkPolicy(AT, { ...ROLE_PERMISSIONS, 'phone-admin': ['users:manage'] });
  t.equal(problemsOf(adminBlind, 'P13').length, 2);
  const noSecondFactor = checkPolicy(AT, ROLE_PERMISSIONS, new Set([...SECOND_FACTOR_PERMISSIONS].filter((permission) => permission !== 'recordings:export')));
  t.same(problemsOf(noSecondFactor, 'P6'), [{ promise: 'P6', role: 'registrar', permission: 'recordings:export', expected: 'second-factor' }]);
});
