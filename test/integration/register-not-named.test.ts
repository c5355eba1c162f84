/**
 * A production box whose configuration names no register (one upgraded from a version before
 * the register) still starts and records: REGISTER_NOT_NAMED says what to add, and the register
 * shows the gap where the names go. A recorder must not stop over a field of its documentation.
 * Once the maintainer names it and restarts, the alarm clears.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MASTER_KEY_CREDENTIAL_NAME } from '../../src/storage/master-key.js';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

t.test('when a production configuration names no register, then the service starts with REGISTER_NOT_NAMED and the register shows the gap', async (t) => {
  const credentials = await mkdtemp(join(tmpdir(), 'tallennin-credentials-'));
  t.teardown(() => rm(credentials, { recursive: true, force: true }));
  await mkdir(credentials, { recursive: true });
  await writeFile(join(credentials, MASTER_KEY_CREDENTIAL_NAME), randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  const fixture = await startApiAppliance(t, { config: { mode: 'production' }, credentialsDirectory: credentials });
  t.ok(fixture.appliance.alarms.isOpen('REGISTER_NOT_NAMED'), 'the alarm says what to add');
  const { admin, secret } = await firstAdministrator(fixture);
  const register = (await admin.get('/api/v1/register?lang=en')).json<{ identity: Array<{ label: string; value: string }> }>();
  t.match(register.identity, [{ value: /not named in the configuration: register\.name/ }, { value: /not named: register\.controller\.name/ }], 'the register shows where the names go');
  const call = await fixture.call({ channel: 0, extension: '2001' });
  t.equal((await admin.get(`/api/v1/calls/${call}`)).status, 200, 'and the box records as usual');

  // The maintainer names the register and restarts: the alarm clears, the register shows the names.
  await fixture.appliance.stop();
  const named = await startApiAppliance(t, {
    dataDir: fixture.dataDir,
    startMs: fixture.clock.now() + 60_000,
    credentialsDirectory: credentials,
    config: { mode: 'production', register: { name: 'Kontaktihistorian ja puhelutallenteiden rekisteri', controller: { name: 'Työttömyyskassa', address: 'Esimerkkikatu 1, 00100 Helsinki' } } },
  });
  t.notOk(named.appliance.alarms.isOpen('REGISTER_NOT_NAMED'), 'the alarm is cleared at the start that finds the register named');
  const again = named.client();
  t.equal((await again.login('yllapitaja', PASSWORD, named.totp(secret))).status, 201);
  const shown = (await again.get('/api/v1/register?lang=en')).json<{ identity: Array<{ value: string }> }>();
  t.match(shown.identity, [{ value: 'Kontaktihistorian ja puhelutallenteiden rekisteri' }, { value: /Työttömyyskassa/ }]);
});
