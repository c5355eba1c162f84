/**
 * The policy's self-check: the permission matrix (policy.ts) held against what the register
 * description promises about access (P11-P13). The service runs it at every start and keeps the
 * result with its time, so the printed register can say "policy test passed at start (time)";
 * a failure is an alarm too (POLICY_SELF_CHECK_FAILED), since the box would then grant what the
 * register says it does not. A pure function of the table, so a broken table is easy to test.
 */
import { ROLE_PERMISSIONS, ROLES, SECOND_FACTOR_PERMISSIONS, type Permission, type Role } from './policy.js';

/** P6 too: the permissions that run the box or let recordings out must need the second factor. */
export type AccessPromise = 'P6' | 'P11' | 'P12' | 'P13';

/** One way the table breaks a promise: a role that is granted (or denied) what it must not (or must) be. */
export interface PolicyProblem {
  readonly promise: AccessPromise;
  readonly role: Role;
  readonly permission: Permission;
  /** What the promise needs: the role granted the permission, or denied it. */
  readonly expected: 'granted' | 'denied' | 'second-factor';
}

export interface PolicyCheckResult {
  /** When the check ran (ISO time). */
  readonly at: string;
  readonly passed: boolean;
  readonly problems: readonly PolicyProblem[];
}

type Table = Readonly<Record<Role, readonly Permission[]>>;

/**
 * Who must read and hear every call: supervisors and quality/training experts (P11), technical
 * maintainers and phone-system administrators (P13). The registrar (the controller's contact)
 * reads all to answer data subjects and authorities (P10, P14): allowed, not promised here.
 */
const READ_ALL: Readonly<Record<Role, AccessPromise | null>> = {
  supervisor: 'P11',
  'quality-expert': 'P11',
  'technical-maintainer': 'P13',
  'phone-admin': 'P13',
  registrar: null,
  agent: null,
};

/** Roles that may read all calls at all: the promised ones and the registrar. Any other is a breach of P11. */
const MAY_READ_ALL: ReadonlySet<Role> = new Set<Role>(['supervisor', 'quality-expert', 'technical-maintainer', 'phone-admin', 'registrar']);

/** P6 with P11: running the box and letting recordings out needs a personal second factor. */
const MUST_NEED_SECOND_FACTOR: readonly Permission[] = ['users:manage', 'config:manage', 'audit:read', 'recordings:export', 'cases:manage'];

export function checkPolicy(at: string, table: Table = ROLE_PERMISSIONS, secondFactor: ReadonlySet<Permission> = SECOND_FACTOR_PERMISSIONS): PolicyCheckResult {
  const problems: PolicyProblem[] = [];
  const has = (role: Role, permission: Permission): boolean => (table[role] ?? []).includes(permission);
  for (const role of ROLES) {
    const promise = READ_ALL[role];
    if (promise !== null) {
      for (const permission of ['calls:read-all', 'recordings:play-all'] as const) {
        if (!has(role, permission)) problems.push({ promise, role, permission, expected: 'granted' });
      }
    } else if (!MAY_READ_ALL.has(role) && role !== 'agent') {
      // (The agent's own limits are P12's, below.)
      for (const permission of ['calls:read-all', 'recordings:play-all'] as const) {
        if (has(role, permission)) problems.push({ promise: 'P11', role, permission, expected: 'denied' });
      }
    }
  }
  // P12: an agent reads and hears their own calls, and nothing more of anyone's.
  for (const permission of ['calls:read-own', 'recordings:play-own'] as const) {
    if (!has('agent', permission)) problems.push({ promise: 'P12', role: 'agent', permission, expected: 'granted' });
  }
  for (const permission of ['calls:read-all', 'recordings:play-all', 'recordings:export', 'cases:manage', 'audit:read', 'calls:live'] as const) {
    if (has('agent', permission)) problems.push({ promise: 'P12', role: 'agent', permission, expected: 'denied' });
  }
  for (const permission of MUST_NEED_SECOND_FACTOR) {
    if (!secondFactor.has(permission)) {
      for (const role of ROLES) if (has(role, permission)) problems.push({ promise: 'P6', role, permission, expected: 'second-factor' });
    }
  }
  return { at, passed: problems.length === 0, problems };
}

/** The problems that break one promise. */
export function problemsOf(result: PolicyCheckResult, promise: AccessPromise): PolicyProblem[] {
  return result.problems.filter((problem) => problem.promise === promise);
}
