/**
 * Who may do what: the one permission matrix of the appliance (register description P11-P13),
 * deny by default. Everything that shows or changes personal data asks `can()` first; the HTTP
 * layer never decides access on its own. A role change takes effect at the next request, since
 * sessions hold the user id and the roles are read from the user on every request.
 */

export const ROLES = ['agent', 'supervisor', 'quality-expert', 'technical-maintainer', 'phone-admin', 'registrar'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Search and read contact records: own calls only (P12). */
  'calls:read-own',
  /** Search and read every contact record (P11, P13). */
  'calls:read-all',
  /** Listen to recordings of own calls (P12, P14). */
  'recordings:play-own',
  /** Listen to every recording (P11, P13). */
  'recordings:play-all',
  /** Export a recording out of the box: data-subject copies and disclosures (P9, P10, P14). */
  'recordings:export',
  /** Create users, change roles, disable accounts. */
  'users:manage',
  /** The agent directory, recording rules, retention. */
  'config:manage',
  /** Disk, memory, the bridge link, alarms. */
  'health:read',
  /** Search the audit trail and see its verification status. */
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The matrix. Agents see only their own calls (P12). Supervisors and quality/training experts
 * see and hear all calls (P11). Technical maintainers and phone-system administrators run the
 * box and may also listen and read history (P13). The registrar (the controller's data-protection
 * contact) answers data-subject requests and makes disclosures, so reads all and exports.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  agent: ['calls:read-own', 'recordings:play-own'],
  supervisor: ['calls:read-all', 'recordings:play-all'],
  'quality-expert': ['calls:read-all', 'recordings:play-all'],
  'technical-maintainer': ['calls:read-all', 'recordings:play-all', 'users:manage', 'config:manage', 'health:read', 'audit:read'],
  'phone-admin': ['calls:read-all', 'recordings:play-all', 'users:manage', 'config:manage', 'health:read'],
  registrar: ['calls:read-all', 'recordings:play-all', 'recordings:export', 'audit:read'],
});

/** The two administrator roles: a second factor (TOTP) is required for them. */
export const ADMIN_ROLES: readonly Role[] = ['technical-maintainer', 'phone-admin'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role] ?? []) granted.add(permission);
  return granted;
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return permissionsOf(roles).has(permission);
}

export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((role) => ADMIN_ROLES.includes(role));
}

/**
 * Whether a user may see a given call: all calls with calls:read-all, otherwise only calls
 * answered at one of the user's own extensions (P12).
 */
export function canSeeCall(user: { roles: readonly Role[]; extensions: readonly string[] }, call: { agentExtension: string }): boolean {
  if (can(user.roles, 'calls:read-all')) return true;
  return can(user.roles, 'calls:read-own') && user.extensions.includes(call.agentExtension);
}

export function canPlayCall(user: { roles: readonly Role[]; extensions: readonly string[] }, call: { agentExtension: string }): boolean {
  if (can(user.roles, 'recordings:play-all')) return true;
  return can(user.roles, 'recordings:play-own') && user.extensions.includes(call.agentExtension);
}
