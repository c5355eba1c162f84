/**
 * One signed-in user per role (the second factor enrolled where the role needs it), created by
 * the first administrator through the API as a maintainer would.
 */
import { firstAdministrator, PASSWORD, type ApiFixture } from './api-appliance.js';
import type { ApiClient } from './https-client.js';

export type RoleUser = 'agent' | 'supervisor' | 'quality' | 'maintainer' | 'phoneadmin' | 'registrar';

export interface RoleUsers {
  readonly clients: Record<RoleUser, ApiClient>;
  readonly ids: Record<RoleUser, string>;
  readonly admin: ApiClient;
}

export async function roleUsers(fixture: ApiFixture): Promise<RoleUsers> {
  const { admin, secret } = await firstAdministrator(fixture);
  const me = (await admin.get('/api/v1/me')).json<{ id: string }>();
  const make = async (username: string, roles: string[], extensions?: string[]): Promise<{ client: ApiClient; id: string }> => {
    // Administrator and registrar roles are granted only after a re-authentication with the second factor.
    fixture.clock.advance(30_000);
    const reauth = await admin.post('/api/v1/session/reauthenticate', { password: PASSWORD, totpCode: fixture.totp(secret) });
    if (reauth.status !== 200) throw new Error(`re-authentication: ${reauth.status} ${reauth.body.toString()}`);
    const created = await admin.post('/api/v1/users', { username, displayName: username, roles, password: PASSWORD, ...(extensions === undefined ? {} : { extensions }) });
    if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${created.body.toString()}`);
    const client = fixture.client();
    const login = await client.login(username, PASSWORD);
    if (login.status !== 201) throw new Error(`login ${username}: ${login.status} ${login.body.toString()}`);
    if (login.json<{ totpEnrollmentRequired: boolean }>().totpEnrollmentRequired) {
      const own = (await client.post('/api/v1/me/totp')).json<{ secret: string }>().secret;
      fixture.clock.advance(30_000);
      const confirmed = await client.post('/api/v1/me/totp/confirm', { code: fixture.totp(own) });
      if (confirmed.status !== 200) throw new Error(`totp ${username}: ${confirmed.status}`);
    }
    return { client, id: created.json<{ user: { id: string } }>().user.id };
  };
  const agent = await make('agentti', ['agent'], ['2001']);
  const supervisor = await make('esihenkilo', ['supervisor']);
  const quality = await make('laatu', ['quality-expert']);
  const phoneadmin = await make('puhelinvastaava', ['phone-admin']);
  const registrar = await make('rekisterinpitaja', ['registrar']);
  return {
    admin,
    clients: { agent: agent.client, supervisor: supervisor.client, quality: quality.client, maintainer: admin, phoneadmin: phoneadmin.client, registrar: registrar.client },
    ids: { agent: agent.id, supervisor: supervisor.id, quality: quality.id, maintainer: me.id, phoneadmin: phoneadmin.id, registrar: registrar.id },
  };
}
