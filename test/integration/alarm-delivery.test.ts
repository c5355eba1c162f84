/**
 * Alarms reach people: real receivers started by the test (an SMTP relay that wants STARTTLS
 * and a password, a syslog listener over TLS and over UDP, an SNMP trap receiver for v2c and
 * v3) get every kind of alarm message (raised, cleared, a test from Settings); a dead receiver
 * raises its own alarm while calls go on being recorded; secrets never come back from the API.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { firstAdministrator, startApiAppliance, type ApiFixture } from './support/api-appliance.js';
import type { ApiClient } from './support/https-client.js';
import { startSmtpReceiver, startTlsSyslogReceiver, startTrapReceiver, startUdpSyslogReceiver } from './support/alarm-receivers.js';
import type { AlarmChange } from '../../src/health/alarms.js';

const OFF = {
  email: { enabled: false, host: '', port: 587, starttls: true, username: '', from: '', to: [] },
  syslog: { enabled: false, transport: 'tls', host: '', port: 6514 },
  snmp: { enabled: false, version: 'v2c', host: '', port: 162, user: '', authProtocol: 'sha', privProtocol: 'aes' },
  metrics: { enabled: false },
};

async function tlsOf(fixture: ApiFixture): Promise<{ key: string; cert: string }> {
  return { key: await readFile(join(fixture.dataDir, 'tls', 'self-signed-key.pem'), 'utf8'), cert: await readFile(join(fixture.dataDir, 'tls', 'self-signed-cert.pem'), 'utf8') };
}

async function put(admin: ApiClient, settings: Record<string, unknown>): Promise<void> {
  const res = await admin.send('PUT', '/api/v1/alarm-delivery', { body: { ...OFF, ...settings } });
  if (res.status !== 200) throw new Error(`PUT /alarm-delivery: ${res.status} ${res.body.toString()}`);
}

/** Resolves at the next change of the alarm log that matches (an event, not a wait). */
function nextChange(fixture: ApiFixture, match: (change: AlarmChange) => boolean): Promise<AlarmChange> {
  return new Promise((resolve) => {
    const stop = fixture.appliance.alarms.onChange((change) => {
      if (match(change)) {
        stop();
        resolve(change);
      }
    });
  });
}

t.test('when e-mail is set up, then raised, cleared and test alarms arrive over STARTTLS with the password, which the API never returns', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const tls = await tlsOf(fixture);
  const smtp = await startSmtpReceiver(tls, { user: 'tallennin', pass: 'relay password 1' });
  t.teardown(() => smtp.close());
  await put(admin, { email: { enabled: true, host: 'localhost', port: smtp.port, starttls: true, username: 'tallennin', password: 'relay password 1', from: 'tallennin@example.fi', to: ['valvomo@example.fi'], caPem: tls.cert } });

  const view = await admin.get('/api/v1/alarm-delivery');
  t.equal(view.json<{ settings: { email: { passwordSet: boolean } } }>().settings.email.passwordSet, true);
  t.notMatch(view.body.toString(), /relay password/, 'the password never comes back');

  const test = await admin.post('/api/v1/alarm-delivery/test', { receiver: 'email' });
  t.same(test.json(), { delivered: true, error: null });
  const testMail = await smtp.mails.waitFor((mail) => /DELIVERY_TEST/.test(mail.data), 'test mail');
  t.equal(testMail.secure, true, 'over STARTTLS');
  t.equal(testMail.user, 'tallennin', 'signed in to the relay');
  t.same(testMail.to, ['valvomo@example.fi']);

  for (const code of ['BRIDGE_LINK_DOWN', 'DISK_USAGE', 'DEAD_CHANNEL']) fixture.appliance.alarms.raise(code, `${code.toLowerCase()} happened`, { n: 1 }, code === 'DEAD_CHANNEL' ? { key: '4' } : {});
  fixture.appliance.alarms.clear('BRIDGE_LINK_DOWN');
  const raised = await smtp.mails.waitFor((mail) => /Subject: .*CRITICAL raised BRIDGE_LINK_DOWN/.test(mail.data), 'raised mail');
  t.match(raised.data, /What to do: Check the bridge cable and power/, 'with what to do');
  await smtp.mails.waitFor((mail) => /WARNING raised DISK_USAGE/.test(mail.data), 'disk mail');
  await smtp.mails.waitFor((mail) => /WARNING raised DEAD_CHANNEL \[4\]/.test(mail.data), 'keyed mail');
  await smtp.mails.waitFor((mail) => /cleared BRIDGE_LINK_DOWN/.test(mail.data), 'cleared mail');
  const audit = await fixture.appliance.audit.search({ action: 'config.change' });
  t.notMatch(JSON.stringify(audit.records), /relay password/, 'the audit trail holds no secret');
});

t.test('when STARTTLS is turned off for a relay elsewhere than this machine, then the settings are refused', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const refused = await admin.send('PUT', '/api/v1/alarm-delivery', { body: { ...OFF, email: { ...OFF.email, enabled: true, host: 'smtp.example.fi', starttls: false, from: 'a@example.fi', to: ['b@example.fi'] } } });
  t.equal(refused.status, 400);
  t.equal(refused.json<{ error: { code: string } }>().error.code, 'DELIVERY_SETTINGS_INVALID');
  const local = await admin.send('PUT', '/api/v1/alarm-delivery', { body: { ...OFF, email: { ...OFF.email, enabled: true, host: '127.0.0.1', port: 25, starttls: false, from: 'a@example.fi', to: ['b@example.fi'] } } });
  t.equal(local.status, 200, 'a relay on this machine may go without');
  const short = await admin.send('PUT', '/api/v1/alarm-delivery', { body: { ...OFF, metrics: { enabled: true, token: 'short' } } });
  t.equal(short.status, 400, 'a short bearer token is refused');
  const notPem = await admin.send('PUT', '/api/v1/alarm-delivery', { body: { ...OFF, syslog: { ...OFF.syslog, caPem: `${'-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'.repeat(300)}x` } } });
  t.equal(notPem.status, 400, 'a CA that is not PEM is refused at once');
  t.equal(notPem.json<{ error: { code: string } }>().error.code, 'VALIDATION_FAILED');
  const noSuchReceiver = await admin.post('/api/v1/alarm-delivery/test', { receiver: 'pager' });
  t.equal(noSuchReceiver.status, 400);
});

t.test('when the SMTP password is wrong, then the test says so with a code and the failure is counted', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const tls = await tlsOf(fixture);
  const smtp = await startSmtpReceiver(tls, { user: 'tallennin', pass: 'the right one' });
  t.teardown(() => smtp.close());
  await put(admin, { email: { enabled: true, host: 'localhost', port: smtp.port, starttls: true, username: 'tallennin', password: 'a wrong one', from: 'tallennin@example.fi', to: ['valvomo@example.fi'], caPem: tls.cert } });
  const failures = async (): Promise<number> => (await admin.get('/api/v1/alarm-delivery')).json<{ receivers: { email: { failures: number } } }>().receivers.email.failures;
  // An alarm of the box's own (raised at start) may go out through the same wrong password at any
  // moment too: the test's own failure is the one more.
  const before = await failures();
  const test = await admin.post('/api/v1/alarm-delivery/test', { receiver: 'email' });
  t.same(test.json(), { delivered: false, error: 'EAUTH' });
  t.ok((await failures()) >= before + 1, 'counted');
  t.equal((await fixture.appliance.audit.search({ action: 'alarm.delivery-test', outcome: 'failed' })).total, 1, 'audited');
});

t.test('when syslog is set up over TLS and over UDP, then RFC 5424 messages arrive, octet-counted over TLS', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const tls = await tlsOf(fixture);
  const overTls = await startTlsSyslogReceiver(tls);
  t.teardown(() => overTls.close());
  await put(admin, { syslog: { enabled: true, transport: 'tls', host: 'localhost', port: overTls.port, caPem: tls.cert } });
  t.same((await admin.post('/api/v1/alarm-delivery/test', { receiver: 'syslog' })).json(), { delivered: true, error: null });
  fixture.appliance.alarms.raise('RECORDING_FAILED', 'a call could not be recorded', { callId: 'x' });
  fixture.appliance.alarms.clear('RECORDING_FAILED');
  const raised = await overTls.messages.waitFor((line) => / RECORDING_FAILED \[/.test(line) && /kind="raised"/.test(line), 'raised over TLS');
  // <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] BOM MSG; local0 (16) and critical (2): 130.
  t.match(raised, /^<130>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ tallennin \d+ RECORDING_FAILED \[tallennin@32473 kind="raised" id="[0-9a-f-]{36}" code="RECORDING_FAILED" key="" severity="critical" count="1" [^\]]*\] \uFEFFCRITICAL raised RECORDING_FAILED: a call could not be recorded$/);
  await overTls.messages.waitFor((line) => line.startsWith('<133>1 ') && /kind="cleared"/.test(line), 'cleared (a notice) over TLS');
  await overTls.messages.waitFor((line) => /kind="test"/.test(line), 'test over TLS');

  const overUdp = await startUdpSyslogReceiver();
  t.teardown(() => overUdp.close());
  await put(admin, { syslog: { enabled: true, transport: 'udp', host: '127.0.0.1', port: overUdp.port } });
  fixture.appliance.alarms.raise('CLOCK_OFFSET', 'the clock is off by 2.0 s', { offsetMs: 2000 });
  t.match(await overUdp.messages.waitFor((line) => /CLOCK_OFFSET/.test(line), 'over UDP'), /^<132>1 .* CLOCK_OFFSET \[tallennin@32473 kind="raised"/);
});

t.test('when SNMP v2c and v3 traps are set up, then the trap receiver gets raised, cleared and test traps with their variables', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const v2c = await startTrapReceiver({ community: 'valvomo' });
  t.teardown(() => v2c.close());
  await put(admin, { snmp: { ...OFF.snmp, enabled: true, version: 'v2c', host: '127.0.0.1', port: v2c.port, community: 'valvomo' } });
  t.notMatch((await admin.get('/api/v1/alarm-delivery')).body.toString(), /valvomo/, 'the community never comes back');
  t.same((await admin.post('/api/v1/alarm-delivery/test', { receiver: 'snmp' })).json(), { delivered: true, error: null });
  await v2c.traps.waitFor((trap) => trap.trapOid === '1.3.6.1.4.1.32473.1.0.3', 'test trap');
  fixture.appliance.alarms.raise('BRIDGE_HEARTBEAT_LOST', 'the bridge has stopped answering', {});
  fixture.appliance.alarms.clear('BRIDGE_HEARTBEAT_LOST');
  const raised = await v2c.traps.waitFor((trap) => trap.trapOid === '1.3.6.1.4.1.32473.1.0.1', 'raised trap');
  t.equal(raised.values['1.3.6.1.4.1.32473.1.1.1'], 'BRIDGE_HEARTBEAT_LOST');
  t.equal(raised.values['1.3.6.1.4.1.32473.1.1.2'], 'critical');
  t.equal(raised.values['1.3.6.1.4.1.32473.1.1.4'], 1);
  await v2c.traps.waitFor((trap) => trap.trapOid === '1.3.6.1.4.1.32473.1.0.2', 'cleared trap');

  const user = { name: 'tallennin', authKey: 'auth key 12345', privKey: 'priv key 12345' };
  const v3 = await startTrapReceiver({ user });
  t.teardown(() => v3.close());
  await put(admin, { snmp: { ...OFF.snmp, enabled: true, version: 'v3', host: '127.0.0.1', port: v3.port, user: user.name, authKey: user.authKey, privKey: user.privKey } });
  t.notMatch((await admin.get('/api/v1/alarm-delivery')).body.toString(), /key 12345/, 'the keys never come back');
  fixture.appliance.alarms.raise('TLS_CERTIFICATE_EXPIRING', 'the TLS certificate expires in 20 days', { days: 20 });
  const secured = await v3.traps.waitFor((trap) => trap.values['1.3.6.1.4.1.32473.1.1.1'] === 'TLS_CERTIFICATE_EXPIRING', 'v3 trap');
  t.equal(secured.trapOid, '1.3.6.1.4.1.32473.1.0.1');
});

t.test('when a receiver is dead, then it raises its own alarm, recording goes on, and its recovery clears the alarm', async (t) => {
  const fixture = await startApiAppliance(t, { deliveryBackoffMs: [20] });
  const { admin } = await firstAdministrator(fixture);
  const tls = await tlsOf(fixture);
  // A port nobody listens on: every connection is refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const deadPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await put(admin, { syslog: { enabled: true, transport: 'tls', host: 'localhost', port: deadPort, caPem: tls.cert } });

  const dead = nextChange(fixture, (change) => change.kind === 'raised' && change.alarm.code === 'DELIVERY_FAILED');
  fixture.appliance.alarms.raise('RECORDING_FAILED', 'a call could not be recorded', { callId: 'y' });
  const callId = await fixture.call({ channel: 1, extension: '2001', seconds: 2 });
  t.match(callId, /^[0-9a-f-]{36}$/, 'a call is recorded while the receiver is dead');
  const alarm = (await dead).alarm;
  t.equal(alarm.key, 'syslog');
  t.equal(alarm.fields.error, 'ECONNREFUSED');
  const record = await fixture.appliance.history.search({ predicate: (r) => r.callId === callId });
  t.equal(record.length, 1, 'its contact record is there');
  const stats = (await admin.get('/api/v1/alarm-delivery')).json<{ receivers: { syslog: { failures: number; dead: boolean; queued: number } } }>().receivers.syslog;
  t.ok(stats.failures >= 3, 'failures counted');
  t.equal(stats.dead, true);

  // The log server comes back on the same port: the queue is sent and the alarm closes.
  const revived = await startTlsSyslogReceiver(tls);
  t.teardown(() => revived.close());
  const recovered = nextChange(fixture, (change) => change.kind === 'cleared' && change.alarm.code === 'DELIVERY_FAILED');
  await put(admin, { syslog: { enabled: true, transport: 'tls', host: 'localhost', port: revived.port, caPem: tls.cert } });
  await recovered;
  await revived.messages.waitFor((line) => /RECORDING_FAILED/.test(line), 'the queued alarm, delivered late');
  t.equal(fixture.appliance.alarms.isOpen('DELIVERY_FAILED', 'syslog'), false, 'closed');
});
