import t from 'tap';
import { can, canPlayCall, canSeeCall, permissionsOf, requiresSecondFactor, roleGrants, ROLES, SECOND_FACTOR_PERMISSIONS, touchesPrivilegedRole, type Role } from '../../../src/access/policy.js';

t.test('when a session has password strength only, then no role gives it a permission that needs the second factor', async (t) => {
  for (const role of ROLES) {
    for (const permission of roleGrants([role])) {
      const needsFactor = SECOND_FACTOR_PERMISSIONS.has(permission);
      t.equal(can({ roles: [role], strength: 'password' }, permission), !needsFactor, `${role} ${permission} with the password only`);
      t.equal(can({ roles: [role], strength: 'second-factor' }, permission), true, `${role} ${permission} with the second factor`);
    }
  }
  t.same([...permissionsOf({ roles: ['technical-maintainer'], strength: 'password' })].sort(), ['calls:live', 'calls:read-all', 'recordings:play-all']);
  t.equal(can({ roles: ['supervisor'], strength: 'second-factor' }, 'users:manage'), false, 'the second factor does not grant what the roles do not');
});

t.test('when roles are looked at, then those that run the box, read the audit trail or export need a second factor', async (t) => {
  const needs: Record<Role, boolean> = { agent: false, supervisor: false, 'quality-expert': false, 'technical-maintainer': true, 'phone-admin': true, registrar: true };
  for (const role of ROLES) t.equal(requiresSecondFactor([role]), needs[role], role);
  t.equal(requiresSecondFactor(['agent', 'registrar']), true);
});

t.test('when a role change is looked at, then granting or removing an administrator or registrar role is privileged', async (t) => {
  t.equal(touchesPrivilegedRole(['supervisor'], ['technical-maintainer']), true);
  t.equal(touchesPrivilegedRole(['phone-admin'], ['supervisor']), true);
  t.equal(touchesPrivilegedRole([], ['registrar']), true);
  t.equal(touchesPrivilegedRole(['agent'], ['supervisor']), false);
  t.equal(touchesPrivilegedRole(['phone-admin', 'agent'], ['agent', 'phone-admin', 'supervisor']), false, 'adding an ordinary role to an administrator');
});

t.test('when a call is looked at, then an agent sees their own only and the strength does not matter for it', async (t) => {
  const agent = { roles: ['agent'] as Role[], extensions: ['2001'], strength: 'password' as const };
  t.ok(canSeeCall(agent, { agentExtension: '2001' }));
  t.notOk(canSeeCall(agent, { agentExtension: '2002' }));
  t.ok(canPlayCall(agent, { agentExtension: '2001' }));
  t.notOk(canPlayCall(agent, { agentExtension: '2002' }));
  t.ok(canPlayCall({ roles: ['supervisor'], extensions: [], strength: 'password' }, { agentExtension: '2002' }));
});
