// The signed-in user as GET /me describes them. Access is decided by the service; the UI only
// hides what this user may not use (from the permissions listed here).
import { api, setCsrfToken } from './api.js';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: string[];
  csrfToken: string;
  totpEnabled: boolean;
  /** The roles need a second factor this account has not enrolled: only the set-up page. */
  totpEnrollmentOnly: boolean;
  /** The roles need the second factor this session was not signed in with: only the step-up page. */
  stepUpRequired: boolean;
  roleNotice: RoleNotice | null;
}

export interface RoleNotice {
  changedAt: string;
  before: string[];
  after: string[];
}

let me: Me | null = null;

/** The signed-in user, or null when no session is known. */
export function currentUser(): Me | null {
  return me;
}

export async function loadMe(): Promise<void> {
  try {
    me = await api<Me>('GET', '/me');
    setCsrfToken(me.csrfToken);
  } catch {
    me = null;
    setCsrfToken(undefined);
  }
}

/** The session is gone (signed out, ended, password changed): the next view asks GET /me again. */
export function forgetUser(): void {
  me = null;
}

export function can(permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}
