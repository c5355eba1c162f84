/**
 * Health checks through the running appliance: a clock alarm from a faked `timedatectl` answer
 * (the command runner is injected), cleared when the time service is back in step; the
 * master-key backup alarm until a maintainer confirms the backup, which is audited.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';
import type { CommandRunner } from '../../src/health/checks/clock-check.js';

interface AlarmAnswer {
  code: string;
  state: string;
  fields: Record<string, string | number>;
}

t.test('when timedatectl says the clock is not synchronised and 2.5 s off, then both alarms open, and close when it is in step', async (t) => {
  const answers: Record<string, string> = {
    'timedatectl show': 'Timezone=Europe/Helsinki\nLocalRTC=no\nCanNTP=yes\nNTP=yes\nNTPSynchronized=no\n',
    'timedatectl timesync-status': '       Server: 192.0.2.1 (ntp.example.fi)\n       Offset: +2.512s\n        Delay: 1.2ms\n',
  };
  const asked: string[] = [];
  const runner: CommandRunner = (command, args) => {
    const line = [command, ...args].join(' ');
    asked.push(line);
    return line in answers ? Promise.resolve(answers[line] as string) : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOENT' }));
  };
  const fixture = await startApiAppliance(t, { commandRunner: runner });
  const { admin } = await firstAdministrator(fixture);
  await fixture.appliance.healthChecks.runAll();
  t.ok(asked.includes('timedatectl show'), 'the time service was asked');
  let open = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[] }>().open;
  t.ok(open.some((alarm) => alarm.code === 'CLOCK_UNSYNCHRONISED'), 'not synchronised');
  t.match(open.find((alarm) => alarm.code === 'CLOCK_OFFSET'), { fields: { offsetMs: 2512 } }, 'off by 2.5 s');

  answers['timedatectl show'] = 'NTP=yes\nNTPSynchronized=yes\n';
  answers['timedatectl timesync-status'] = '       Offset: -312us\n';
  await fixture.appliance.healthChecks.runAll();
  open = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[] }>().open;
  t.notOk(open.some((alarm) => alarm.code.startsWith('CLOCK_')), 'both closed');

  // Someone sets the clock an hour back by hand: the wall clock moves against the monotonic one.
  fixture.clock.advance(-3600_000);
  await fixture.appliance.healthChecks.runAll();
  open = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[] }>().open;
  t.ok(open.some((alarm) => alarm.code === 'CLOCK_OFFSET' && Number(alarm.fields.offsetMs) <= -3599_000), 'a jump of an hour backwards');
});

t.test('when no maintainer has confirmed the master-key backup, then it is an alarm until one does, and the confirmation is audited', async (t) => {
  const fixture = await startApiAppliance(t, { commandRunner: () => Promise.reject(new Error('no time service here')) });
  const { admin } = await firstAdministrator(fixture);
  await fixture.appliance.healthChecks.runAll();
  let open = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[] }>().open;
  t.ok(open.some((alarm) => alarm.code === 'KEY_BACKUP_UNCONFIRMED'), 'open');
  const confirmed = await admin.post('/api/v1/master-key-backup/confirmation');
  t.equal(confirmed.status, 200);
  t.equal(confirmed.json<{ confirmedAt: string }>().confirmedAt, new Date(fixture.clock.now()).toISOString());
  await fixture.appliance.healthChecks.runAll();
  open = (await admin.get('/api/v1/alarms')).json<{ open: AlarmAnswer[] }>().open;
  t.notOk(open.some((alarm) => alarm.code === 'KEY_BACKUP_UNCONFIRMED'), 'closed, and stays closed');
  t.equal((await fixture.appliance.audit.search({ action: 'key.backup-confirm' })).total, 1, 'audited');
});

t.test('when the audit checkpoint has not been exported for 30 days, then it is an alarm until a maintainer exports the signed head', async (t) => {
  const fixture = await startApiAppliance(t, { commandRunner: () => Promise.reject(new Error('no time service here')) });
  const { secret } = await firstAdministrator(fixture);
  await fixture.appliance.healthChecks.runAll();
  t.notOk(fixture.appliance.alarms.isOpen('AUDIT_EXPORT_OVERDUE'), 'a new box has 30 days');
  fixture.clock.advance(31 * 24 * 3600_000);
  await fixture.appliance.healthChecks.runAll();
  t.ok(fixture.appliance.alarms.isOpen('AUDIT_EXPORT_OVERDUE'), 'overdue');
  const admin = fixture.client();
  t.equal((await admin.login('yllapitaja', PASSWORD, fixture.totp(secret))).status, 201);
  const exported = await admin.post('/api/v1/audit-checkpoint/export');
  t.equal(exported.status, 200);
  const head = JSON.parse(exported.json<{ headJson: string }>().headJson) as Record<string, unknown>;
  t.match(head, { seq: Number, hash: String }, 'the signed head, verbatim');
  t.notOk(fixture.appliance.alarms.isOpen('AUDIT_EXPORT_OVERDUE'), 'closed');
  t.equal((await fixture.appliance.audit.search({ action: 'audit.checkpoint-export' })).total, 1, 'audited');
});
