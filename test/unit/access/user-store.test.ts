import t from 'tap';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentStore } from '../../../src/storage/document-store.js';
import { UserStore, toPublicUser, type User } from '../../../src/access/user-store.js';
import { PasswordHasher } from '../../../src/access/password-hasher.js';
import { silentLogger } from '../../../src/log.js';
import { FAST_PARAMS, PASSWORD, START_MS, openUsers } from './auth-fixtures.js';

const supervisor = { username: 'Esihenkilo', displayName: 'Eeva Esimerkki', roles: ['supervisor' as const], password: PASSWORD };

t.test('when a user is created, then the public view has no secrets and the stored user an argon2id hash', async (t) => {
  const { users, hasher } = await openUsers(t);
  t.equal(users.count(), 0);
  const created = await users.create(supervisor);
  t.match(created, { username: 'esihenkilo', displayName: 'Eeva Esimerkki', roles: ['supervisor'], extensions: [], totpEnabled: false, disabled: false });
  t.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.equal(created.createdAt, new Date(START_MS).toISOString());
  t.same(Object.keys(created).sort(), ['createdAt', 'disabled', 'displayName', 'extensions', 'id', 'passwordChangedAt', 'roles', 'totpEnabled', 'updatedAt', 'username']);
  const stored = users.get(created.id)!;
  t.match(stored.passwordHash, /^\$argon2id\$/);
  t.same(await hasher.verify(stored.passwordHash, PASSWORD), { ok: true, needsRehash: false });
  t.same(toPublicUser(stored), created);
  t.equal(users.findByUsername('  ESIHENKILO ')?.id, created.id, 'case-insensitive, spaces ignored');
  t.equal(users.findByUsername('eiole'), undefined);
  t.equal(users.get('no-such-id'), undefined);
  t.equal(users.count(), 1);
});

t.test('when what get() returns is changed, then the stored user is not', async (t) => {
  const { users } = await openUsers(t);
  const created = await users.create(supervisor);
  const copy = users.get(created.id)!;
  copy.roles.push('phone-admin');
  copy.disabled = true;
  t.same(users.get(created.id)!.roles, ['supervisor']);
  t.equal(users.get(created.id)!.disabled, false);
});

t.test('when a user name is taken, in any case, then USERNAME_TAKEN, also for two creates at once', async (t) => {
  const { users } = await openUsers(t);
  await users.create(supervisor);
  await t.rejects(users.create({ ...supervisor, username: 'ESIHENKILO' }), { code: 'USERNAME_TAKEN' });
  const both = await Promise.allSettled([users.create({ ...supervisor, username: 'kaksi' }), users.create({ ...supervisor, username: 'Kaksi' })]);
  t.same(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  t.match(both.find((r) => r.status === 'rejected'), { reason: { code: 'USERNAME_TAKEN' } });
  t.equal(users.count(), 2);
});

t.test('when the input is invalid, then a stable code says which rule, and nothing is stored', async (t) => {
  const { users } = await openUsers(t);
  for (const username of ['ab', '-alku', 'väinö', 'a b c', 'x'.repeat(65), '']) {
    await t.rejects(users.create({ ...supervisor, username }), { code: 'USERNAME_INVALID' }, JSON.stringify(username));
  }
  await t.rejects(users.create({ ...supervisor, displayName: '   ' }), { code: 'DISPLAY_NAME_INVALID', details: { field: 'displayName', reason: 'empty' } });
  await t.rejects(users.create({ ...supervisor, displayName: 'Eeva\u0000' }), { code: 'DISPLAY_NAME_INVALID', details: { reason: 'control-character' } });
  await t.rejects(users.create({ ...supervisor, displayName: '\u202EEeva' }), { code: 'DISPLAY_NAME_INVALID', details: { reason: 'bidi-control' } });
  await t.rejects(users.create({ ...supervisor, displayName: 'Eeva\uD800' }), { code: 'DISPLAY_NAME_INVALID', details: { reason: 'lone-surrogate' } });
  await t.rejects(users.create({ ...supervisor, displayName: '<b>Eeva</b>' }), { code: 'DISPLAY_NAME_INVALID', details: { reason: 'markup' } });
  await t.rejects(users.create({ ...supervisor, roles: [] }), { code: 'ROLES_INVALID' });
  await t.rejects(users.create({ ...supervisor, roles: ['root' as never] }), { code: 'ROLES_INVALID' }, 'an unknown role');
  await t.rejects(users.create({ ...supervisor, roles: ['supervisor', 'root' as never] }), { code: 'ROLES_INVALID' }, 'one unknown among known');
  await t.rejects(users.create({ ...supervisor, roles: ['agent'] }), { code: 'ROLES_INVALID' }, 'an agent without an extension');
  await t.rejects(users.create({ ...supervisor, roles: ['agent'], extensions: ['12a'] }), { code: 'ROLES_INVALID' }, 'an extension is digits');
  await t.rejects(users.create({ ...supervisor, password: 'lyhyt' }), { code: 'PASSWORD_TOO_SHORT', details: { code: 'PASSWORD_TOO_SHORT' } });
  await t.rejects(users.create({ ...supervisor, password: 'passwordpassword' }), { code: 'PASSWORD_COMMON', details: { code: 'PASSWORD_COMMON' } });
  await t.rejects(users.create({ ...supervisor, password: 'esihenkilo on paras' }), { code: 'PASSWORD_CONTEXT' }, 'the user name');
  await t.rejects(users.create({ ...supervisor, password: 'tallennin on hyvä asia' }), { code: 'PASSWORD_CONTEXT' }, 'the product name');
  await t.rejects(users.create({ ...supervisor, password: 'x'.repeat(129) + 'y' }), { code: 'PASSWORD_TOO_LONG' });
  t.equal(users.count(), 0);
});

t.test('when an agent is created and updated, then roles, extensions and disabling change at once', async (t) => {
  const { users, clock } = await openUsers(t);
  const agent = await users.create({ username: 'agentti1', displayName: 'Anna Agentti', roles: ['agent', 'agent'], extensions: [' 201 ', '201', '202'], password: PASSWORD });
  t.same(agent.roles, ['agent'], 'duplicates dropped');
  t.same(agent.extensions, ['201', '202'], 'trimmed and without duplicates');
  clock.advance(60_000);
  const promoted = await users.update(agent.id, { roles: ['agent', 'quality-expert'], displayName: ' Anna A. ' });
  t.same(promoted.roles, ['agent', 'quality-expert']);
  t.equal(promoted.displayName, 'Anna A.');
  t.equal(promoted.updatedAt, new Date(START_MS + 60_000).toISOString());
  t.equal(promoted.createdAt, agent.createdAt);
  t.same(users.get(agent.id)!.roles, ['agent', 'quality-expert'], 'read back at once');
  t.equal((await users.update(agent.id, { disabled: true })).disabled, true);
  t.equal(users.get(agent.id)!.disabled, true);
  await t.rejects(users.update(agent.id, { extensions: [] }), { code: 'ROLES_INVALID' }, 'still an agent: needs an extension');
  await t.rejects(users.update(agent.id, { roles: [] }), { code: 'ROLES_INVALID' });
  await t.rejects(users.update(agent.id, { displayName: '' }), { code: 'DISPLAY_NAME_INVALID', details: { reason: 'empty' } });
  await t.rejects(users.update(agent.id, { displayName: 'Anna\u200B' }), { code: 'DISPLAY_NAME_INVALID', details: { reason: 'invisible-character' } });
  t.equal((await users.update(agent.id, { displayName: 'Anna\u00A0\u00A0A\u0308ma\u0308la\u0308' })).displayName, 'Anna Ämälä', 'spaces mapped and collapsed, NFKC');
  await t.rejects(users.update(agent.id, { disabled: 'yes' as never }), { code: 'VALIDATION_FAILED' });
  await t.rejects(users.update('no-such-id', { disabled: true }), { code: 'USER_NOT_FOUND' });
  t.same(users.get(agent.id)!.extensions, ['201', '202'], 'a refused update changed nothing');
  t.equal(users.get(agent.id)!.displayName, 'Anna Ämälä', 'nor the name');
  t.same(users.list().map((u) => u.username), ['agentti1']);
  t.notOk('passwordHash' in users.list()[0]!);
});

t.test('when a password is set, then the rules apply and the old password stops working', async (t) => {
  const { users, hasher, clock } = await openUsers(t);
  const user = await users.create(supervisor);
  clock.advance(1000);
  await t.rejects(users.setPassword(user.id, 'salasana'), { code: 'PASSWORD_TOO_SHORT' });
  await t.rejects(users.setPassword(user.id, 'minä, esihenkilo, olen paras'), { code: 'PASSWORD_CONTEXT' });
  await t.rejects(users.setPassword('no-such-id', 'seitsemän siilin syysretki'), { code: 'USER_NOT_FOUND' });
  await users.setPassword(user.id, 'seitsemän siilin syysretki');
  const stored = users.get(user.id)!;
  t.equal((await hasher.verify(stored.passwordHash, PASSWORD)).ok, false);
  t.equal((await hasher.verify(stored.passwordHash, 'seitsemän siilin syysretki')).ok, true);
  t.equal(stored.passwordChangedAt, new Date(START_MS + 1000).toISOString());
});

t.test('when a hash is replaced, TOTP set and steps recorded, then they are kept and steps never move back', async (t) => {
  const { users } = await openUsers(t);
  const user = await users.create(supervisor);
  const newHash = await new PasswordHasher({ params: { ...FAST_PARAMS, timeCost: 3 } }).hash(PASSWORD);
  await users.replaceHash(user.id, newHash);
  t.equal(users.get(user.id)!.passwordHash, newHash);
  await t.rejects(users.replaceHash(user.id, 'plain text'), { code: 'VALIDATION_FAILED' });
  await t.rejects(users.setTotp(user.id, { secret: 'not base32!', enabled: true }), { code: 'VALIDATION_FAILED' });
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  await users.setTotp(user.id, { secret, enabled: false });
  t.match(users.get(user.id), { totpSecret: secret, totpEnabled: false });
  await users.setTotp(user.id, { secret, enabled: true });
  t.match(users.get(user.id), { totpSecret: secret, totpEnabled: true, totpLastStep: null });
  await users.recordTotpStep(user.id, 100);
  await users.recordTotpStep(user.id, 99);
  t.equal(users.get(user.id)!.totpLastStep, 100, 'never backwards');
  await t.rejects(users.recordTotpStep(user.id, -1), { code: 'VALIDATION_FAILED' });
  await users.setTotp(user.id, { secret: null, enabled: true });
  t.match(users.get(user.id), { totpSecret: null, totpEnabled: false, totpLastStep: null }, 'no secret: not enabled');
  await t.rejects(users.setTotp('no-such-id', { secret: null, enabled: false }), { code: 'USER_NOT_FOUND' });
  await t.rejects(users.recordTotpStep('no-such-id', 1), { code: 'USER_NOT_FOUND' });
});

t.test('when the store is reopened from disk, then the users are back, and the file holds no user name in clear', async (t) => {
  const first = await openUsers(t);
  const created = await first.users.create(supervisor);
  await first.users.update(created.id, { roles: ['supervisor', 'registrar'] });
  const documents = await DocumentStore.open({ dataDir: first.dataDir, key: first.key, logger: silentLogger, clock: first.clock });
  const reopened = await UserStore.open({ documents, hasher: first.hasher, clock: first.clock, logger: silentLogger });
  t.equal(reopened.count(), 1);
  const back = reopened.findByUsername('esihenkilo') as User;
  t.same(toPublicUser(back), toPublicUser(first.users.get(created.id)!));
  t.equal(back.passwordHash, first.users.get(created.id)!.passwordHash);
  const dir = join(first.dataDir, 'documents', 'access');
  t.same(await readdir(dir), ['users.tdoc']);
  const raw = await readFile(join(dir, 'users.tdoc'));
  for (const secret of ['esihenkilo', 'Esimerkki', 'argon2id', 'supervisor']) t.equal(raw.indexOf(secret), -1, `no ${secret} in the file`);
});

t.test('when a write fails, then the change is undone in memory too', async (t) => {
  const { users, documents } = await openUsers(t);
  const created = await users.create(supervisor);
  const doc = await documents.openDocument<{ version: 1; users: User[] }>('access/users', { version: 1, users: [] });
  const realWrite = doc.write.bind(doc);
  doc.write = async () => {
    throw Object.assign(new Error('disk full'), { code: 'DISK_FULL' });
  };
  await t.rejects(users.update(created.id, { roles: ['phone-admin'] }), { code: 'DISK_FULL' });
  t.same(users.get(created.id)!.roles, ['supervisor']);
  await t.rejects(users.create({ ...supervisor, username: 'toinen' }), { code: 'DISK_FULL' });
  t.equal(users.count(), 1);
  t.equal(users.findByUsername('toinen'), undefined);
  doc.write = realWrite;
  t.equal((await users.create({ ...supervisor, username: 'toinen' })).username, 'toinen', 'works again once the disk does');
});

t.test('when the document has an unknown layout, then open refuses it', async (t) => {
  const fixture = await openUsers(t);
  const doc = await fixture.documents.openDocument<{ version: number; users: User[] }>('access/users', { version: 1, users: [] });
  doc.data.version = 2;
  await t.rejects(UserStore.open({ documents: fixture.documents, hasher: fixture.hasher, clock: fixture.clock, logger: silentLogger }), { code: 'DOCUMENT_CORRUPT' });
});

t.test('when a new TOTP secret is set up, then it waits as pending, the active one stays until it is activated, and a reset removes both', async (t) => {
  const { users } = await openUsers(t);
  const user = await users.create(supervisor);
  const active = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const next = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
  await users.setTotp(user.id, { secret: active, enabled: true });
  await t.rejects(users.setPendingTotp(user.id, 'not base32!'), { code: 'VALIDATION_FAILED' });
  await users.setPendingTotp(user.id, next);
  t.match(users.get(user.id), { totpSecret: active, totpEnabled: true, totpPendingSecret: next }, 'the active secret stays');
  t.notOk('totpPendingSecret' in users.list()[0]!, 'the pending secret is not public');
  t.equal(await users.activatePendingTotp(user.id, active, 7), false, 'only the pending secret is activated');
  t.equal(await users.activatePendingTotp(user.id, next, 7), true);
  t.match(users.get(user.id), { totpSecret: next, totpEnabled: true, totpPendingSecret: null, totpLastStep: 7 });
  t.equal(await users.activatePendingTotp(user.id, next, 8), false, 'nothing pending any more');
  await users.setPendingTotp(user.id, active);
  await users.resetTotp(user.id);
  t.match(users.get(user.id), { totpSecret: null, totpEnabled: false, totpPendingSecret: null, totpLastStep: null });
  await t.rejects(users.resetTotp('no-such-id'), { code: 'USER_NOT_FOUND' });
});

t.test('when the last enabled technical maintainer would lose the role or be disabled, then the store refuses, also for two changes at once', async (t) => {
  const { users } = await openUsers(t);
  const first = await users.create({ ...supervisor, username: 'yllapitaja', roles: ['technical-maintainer'] });
  await t.rejects(users.update(first.id, { roles: ['phone-admin'] }), { code: 'LAST_MAINTAINER' });
  await t.rejects(users.update(first.id, { disabled: true }), { code: 'LAST_MAINTAINER' });
  const second = await users.create({ ...supervisor, username: 'toinen', roles: ['technical-maintainer'] });
  const both = await Promise.allSettled([users.update(first.id, { disabled: true }), users.update(second.id, { roles: ['supervisor'] })]);
  t.same(both.map((result) => result.status), ['fulfilled', 'rejected'], 'one of two at once');
  t.equal(users.list().filter((user) => user.roles.includes('technical-maintainer') && !user.disabled).length, 1);
  t.equal((await users.update(first.id, { disabled: false })).disabled, false, 'enabling one again is fine');
  await users.update(first.id, { disabled: true });
  t.equal((await users.update(first.id, { displayName: 'Poissa' })).displayName, 'Poissa', 'a disabled maintainer does not count, and changes to them are not blocked');
});

t.test('when roles change before the next sign-in, then one notice says from what to what, and it is taken once', async (t) => {
  const { users, clock } = await openUsers(t);
  const user = await users.create(supervisor);
  t.equal(await users.takeRoleNotice(user.id), null);
  clock.advance(1000);
  await users.update(user.id, { roles: ['supervisor', 'quality-expert'] });
  await users.update(user.id, { roles: ['registrar', 'supervisor'] });
  await users.update(user.id, { displayName: 'Eeva E.' });
  t.same(await users.takeRoleNotice(user.id), { changedAt: new Date(START_MS + 1000).toISOString(), before: ['supervisor'], after: ['registrar', 'supervisor'] });
  t.equal(await users.takeRoleNotice(user.id), null, 'once');
  await users.update(user.id, { roles: ['supervisor'] });
  await users.update(user.id, { roles: ['registrar', 'supervisor'] });
  t.equal(await users.takeRoleNotice(user.id), null, 'changed and changed back: nothing to tell');
});
