/**
 * Signed-in users of every role for the desk's API tests, made the way an administrator makes
 * them (a second-factor re-authentication before a privileged role), each enrolled in TOTP when
 * its roles need it. Two registrars: one enters a disclosure, the other approves it.
 */
import { firstAdministrator, PASSWORD, type ApiFixture } from './api-appliance.js';
import type { ApiClient } from './https-client.js';

export type DeskRole = 'agent' | 'supervisor' | 'quality' | 'maintainer' | 'phoneadmin' | 'registrar' | 'registrar2';

export interface DeskUser {
  readonly client: ApiClient;
  readonly id: string;
  /** The TOTP secret (every desk user has one: the desk needs the second factor). */
  readonly secret: string | null;
}

export async function deskUsers(fixture: ApiFixture, wanted: readonly DeskRole[] = ['agent', 'supervisor', 'quality', 'maintainer', 'phoneadmin', 'registrar', 'registrar2']): Promise<Record<DeskRole, DeskUser>> {
  const { admin, secret: adminSecret } = await firstAdministrator(fixture);
  const me = await admin.get('/api/v1/me');
  const users: Partial<Record<DeskRole, DeskUser>> = { maintainer: { client: admin, id: me.json<{ id: string }>().id, secret: adminSecret } };
  const roles: Record<Exclude<DeskRole, 'maintainer'>, { username: string; roles: string[]; extensions?: string[] }> = {
    agent: { username: 'agentti', roles: ['agent'], extensions: ['2001'] },
    supervisor: { username: 'esihenkilo', roles: ['supervisor'] },
    quality: { username: 'laatu', roles: ['quality-expert'] },
    phoneadmin: { username: 'puhelinvastaava', roles: ['phone-admin'] },
    registrar: { username: 'rekisterinpitaja', roles: ['registrar'] },
    registrar2: { username: 'toinen.rekisterinpitaja', roles: ['registrar'] },
  };
  for (const role of wanted) {
    if (role === 'maintainer') continue;
    const spec = roles[role];
    fixture.clock.advance(30_000);
    const reauth = await admin.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(adminSecret) });
    if (reauth.status !== 200) throw new Error(`re-authentication: ${reauth.status}`);
    const created = await admin.post('/api/v1/users', { username: spec.username, displayName: spec.username, roles: spec.roles, password: PASSWORD, ...(spec.extensions === undefined ? {} : { extensions: spec.extensions }) });
    if (created.status !== 201) throw new Error(`create ${spec.username}: ${created.status} ${created.body.toString()}`);
    const client = fixture.client();
    const login = await client.login(spec.username, PASSWORD);
    if (login.status !== 201) throw new Error(`login ${spec.username}: ${login.status}`);
    let secret: string | null = null;
    if (login.json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired) {
      secret = (await client.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
      fixture.clock.advance(30_000);
      const confirmed = await client.post('/api/v1/me/totp/confirm', { code: fixture.totp(secret) });
      if (confirmed.status !== 200) throw new Error(`totp ${spec.username}: ${confirmed.status}`);
    }
    users[role] = { client, id: created.json<{ user: { id: string } }>().user.id, secret };
  }
  return users as Record<DeskRole, DeskUser>;
}

/** A fresh re-authentication with the password and the code (before a copy or a bundle). */
export async function reauthenticate(fixture: ApiFixture, user: DeskUser): Promise<void> {
  fixture.clock.advance(30_000);
  const res = await user.client.post('/api/v1/session/reauthenticate', { password: PASSWORD, ...(user.secret === null ? {} : { totpCode: fixture.totp(user.secret) }) });
  if (res.status !== 200) throw new Error(`re-authentication: ${res.status} ${res.body.toString()}`);
}

export function codeOf(res: { json<T>(): T }): string {
  return res.json<{ error: { code: string } }>().error.code;
}
