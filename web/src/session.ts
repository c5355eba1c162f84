// The signed-in user as GET /me describes them. Access is decided by the service; the UI only
// hides what this user may not use (from the permissions listed here).
import { api, ApiError, setCsrfToken } from './api.js';

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

/** Why the last session ended, as the service said it (idle, password changed...), until told. */
export interface SessionEnd {
  readonly reason: string;
  readonly idleMinutes?: number;
}

let sessionEnd: SessionEnd | undefined;

export async function loadMe(): Promise<void> {
  try {
    me = await api<Me>('GET', '/me');
    setCsrfToken(me.csrfToken);
  } catch (err) {
    noteSessionEnd(err);
    me = null;
    setCsrfToken(undefined);
  }
}

/** Keeps the reason a refusal gives for the end of the session, to tell it on the sign-in page. */
export function noteSessionEnd(err: unknown): void {
  if (err instanceof ApiError && err.status === 401 && err.details.reason !== undefined) {
    sessionEnd = { reason: err.details.reason, ...(err.details.idleMinutes === undefined ? {} : { idleMinutes: err.details.idleMinutes }) };
  }
}

/** The reason noted, once. */
export function takeSessionEnd(): SessionEnd | undefined {
  const taken = sessionEnd;
  sessionEnd = undefined;
  return taken;
}

const RETURN_KEY = 'tallennin.returnTo';
/** Pages that are no place to return to after signing in. */
const NOT_RETURNED_TO = /^#\/(login|logout|setup|reset|totp)?(\/|\?|$)/;

/** The view (with its search) to return to after signing in: kept for this tab only. */
export function rememberView(hash: string): void {
  if (/^#\/[a-z]/.test(hash) && !NOT_RETURNED_TO.test(hash)) sessionStorage.setItem(RETURN_KEY, hash);
}

/** The view to go to after signing in, once; undefined when there is none to return to. */
export function takeReturnView(): string | undefined {
  const hash = sessionStorage.getItem(RETURN_KEY) ?? undefined;
  sessionStorage.removeItem(RETURN_KEY);
  return hash;
}

/** Signed out on purpose: the next person to sign in in this tab starts afresh. */
export function forgetReturnView(): void {
  sessionStorage.removeItem(RETURN_KEY);
}

/** The session is gone (signed out, ended, password changed): the next view asks GET /me again. */
export function forgetUser(): void {
  me = null;
}

export function can(permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}
