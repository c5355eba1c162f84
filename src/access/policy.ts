/**
 * Who may do what: the one permission matrix of the appliance (register description P11-P13),
 * deny by default. Everything that shows or changes personal data asks `can()` first; the HTTP
 * layer never decides access on its own.
 *
 * A permission needs two things: a role that grants it, and a session signed in strongly enough.
 * Running the box, reading the audit trail and letting a recording out need the second factor
 * (SECOND_FACTOR_PERMISSIONS), so a role change can never lift a session above the strength it
 * was signed in with: the roles are read from the user on every request, the strength from the
 * session.
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
  /** The server room: who is in, the door events beside the box's own (docs/door-access.md). */
  'doors:read',
  /** Which channels carry a call now, for how long, which agent: no numbers, no audio. */
  'calls:live',
  /** The registrar's desk: open and run cases, legal holds, copies and disclosures (P9, P10, P14). */
  'cases:manage',
  /** Approve another person's disclosure to an authority (P10, four eyes). */
  'disclosures:approve',
  /** The register description and record of processing with each promise's live check (P1-P14). */
  'register:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The matrix. Agents see only their own calls (P12). Supervisors and quality/training experts
 * see and hear all calls (P11). Technical maintainers and phone-system administrators run the
 * box and may also listen and read history (P13). The registrar (the controller's data-protection
 * contact) answers data-subject requests and makes disclosures, so reads all and exports.
 * The approvers of a disclosure to an authority (P10) are the holders of disclosures:approve:
 * another registrar than the one who entered the request (the desk refuses one's own).
 * Supervisors, quality experts and technical maintainers see the live channels (calls:live):
 * which channels are busy, for how long, which agent; never a number or audio.
 * The registrar and the two administrator roles read the register description with its live
 * checks (register:read): those who answer for the register and those who run the box.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  agent: ['calls:read-own', 'recordings:play-own'],
  supervisor: ['calls:read-all', 'recordings:play-all', 'calls:live'],
  'quality-expert': ['calls:read-all', 'recordings:play-all', 'calls:live'],
  'technical-maintainer': ['calls:read-all', 'recordings:play-all', 'users:manage', 'config:manage', 'health:read', 'audit:read', 'doors:read', 'calls:live', 'register:read'],
  'phone-admin': ['calls:read-all', 'recordings:play-all', 'users:manage', 'config:manage', 'health:read', 'doors:read', 'register:read'],
  registrar: ['calls:read-all', 'recordings:play-all', 'recordings:export', 'audit:read', 'doors:read', 'cases:manage', 'disclosures:approve', 'register:read'],
});

/** How a session was signed in: with the password only, or with the password and the second factor (TOTP). */
export type AuthStrength = 'password' | 'second-factor';

/** Permissions that need a session signed in with the second factor, whatever the roles say. */
export const SECOND_FACTOR_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['users:manage', 'config:manage', 'health:read', 'audit:read', 'recordings:export', 'doors:read', 'cases:manage', 'disclosures:approve', 'register:read']);

/** The two administrator roles. */
export const ADMIN_ROLES: readonly Role[] = ['technical-maintainer', 'phone-admin'];

/**
 * Roles whose grant or removal needs a fresh re-authentication with the second factor: they run
 * the box, read the audit trail or let recordings out.
 */
export const PRIVILEGED_ROLES: readonly Role[] = [...ADMIN_ROLES, 'registrar'];

/** The role the box always keeps at least one enabled holder of: without one nobody could run it. */
export const KEEPER_ROLE: Role = 'technical-maintainer';

/** Who asks: the roles (read from the user) and the strength of the session. */
export interface Principal {
  readonly roles: readonly Role[];
  readonly strength: AuthStrength;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What the roles grant, the session's strength aside. */
export function roleGrants(roles: readonly Role[]): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role] ?? []) granted.add(permission);
  return granted;
}

/** What the principal may do now: the roles' grants that the session is strong enough for. */
export function permissionsOf(principal: Principal): ReadonlySet<Permission> {
  return new Set([...roleGrants(principal.roles)].filter((permission) => principal.strength === 'second-factor' || !SECOND_FACTOR_PERMISSIONS.has(permission)));
}

export function can(principal: Principal, permission: Permission): boolean {
  if (SECOND_FACTOR_PERMISSIONS.has(permission) && principal.strength !== 'second-factor') return false;
  return roleGrants(principal.roles).has(permission);
}

/** Whether the roles grant anything that needs the second factor: such a user must enrol one. */
export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return [...roleGrants(roles)].some((permission) => SECOND_FACTOR_PERMISSIONS.has(permission));
}

/** Whether a change of roles grants or removes a privileged role. */
export function touchesPrivilegedRole(before: readonly Role[], after: readonly Role[]): boolean {
  return PRIVILEGED_ROLES.some((role) => before.includes(role) !== after.includes(role));
}

/**
 * Whether a user may see a given call: all calls with calls:read-all, otherwise only calls
 * answered at one of the user's own extensions (P12).
 */
export function canSeeCall(user: Principal & { extensions: readonly string[] }, call: { agentExtension: string }): boolean {
  if (can(user, 'calls:read-all')) return true;
  return can(user, 'calls:read-own') && user.extensions.includes(call.agentExtension);
}

export function canPlayCall(user: Principal & { extensions: readonly string[] }, call: { agentExtension: string }): boolean {
  if (can(user, 'recordings:play-all')) return true;
  return can(user, 'recordings:play-own') && user.extensions.includes(call.agentExtension);
}
