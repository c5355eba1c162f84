/**
 * GET /metrics for Prometheus: off until a bearer token is set, refused without the token, and
 * then the health report's figures (link, calls, recordings written, disk, alarms by severity),
 * the delivery queues and the request latencies in the text exposition format.
 */
import t from 'tap';
import { request } from 'node:https';
import { firstAdministrator, startApiAppliance, type ApiFixture } from './support/api-appliance.js';

const TOKEN = 'scrape-token-0123456789abcdef0123456789abcdef';

function scrape(fixture: ApiFixture, authorization?: string): Promise<{ status: number; type: string; body: string; authenticate: string | undefined }> {
  const client = fixture.client();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: client.port, path: '/metrics', ca: client.ca, servername: 'localhost', headers: { host: `localhost:${client.port}`, ...(authorization === undefined ? {} : { authorization }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8'), authenticate: res.headers['www-authenticate'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('when Prometheus scrapes /metrics, then it needs the bearer token and gets the box’s figures', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  t.equal((await scrape(fixture, `Bearer ${TOKEN}`)).status, 404, 'off until a token is set');

  const off = { email: { enabled: false, host: '', port: 587, starttls: true, username: '', from: '', to: [] }, syslog: { enabled: false, transport: 'tls', host: '', port: 6514 }, snmp: { enabled: false, version: 'v2c', host: '', port: 162, user: '', authProtocol: 'sha', privProtocol: 'aes' } };
  const set = await admin.send('PUT', '/api/v1/alarm-delivery', { body: { ...off, metrics: { enabled: true, token: TOKEN } } });
  t.equal(set.status, 200);
  t.notMatch(set.body.toString(), new RegExp(TOKEN), 'the token never comes back');

  const none = await scrape(fixture);
  t.equal(none.status, 401);
  t.match(none.authenticate, /^Bearer/);
  t.equal((await scrape(fixture, 'Bearer not-the-token-0123456789abcdef0123456789')).status, 401, 'a wrong token is refused');

  await fixture.call({ channel: 2, extension: '2001', seconds: 1 });
  // The counters come with the capture path's reports (once a second): a recording opened after
  // its call's last change is counted in the next one. Thirty reports are a hang guard only.
  for (let report = 0; report < 30 && (fixture.appliance.capture.trackerStats().recordingsStarted ?? 0) < 1; report++) {
    await new Promise((resolve) => fixture.appliance.capture.once('stats', resolve));
  }
  fixture.appliance.alarms.raise('BRIDGE_LINK_DOWN', 'the link to the firmware bridge was lost', {});
  fixture.appliance.alarms.raise('DISK_FORECAST', 'the disk is full in 20 days', {});
  const scraped = await scrape(fixture, `Bearer ${TOKEN}`);
  t.equal(scraped.status, 200);
  t.match(scraped.type, /^text\/plain; version=0\.0\.4/);
  const body = scraped.body;
  t.match(body, /^# TYPE tallennin_bridge_link_up gauge\ntallennin_bridge_link_up 0$/m, 'the link');
  t.match(body, /^tallennin_calls_active_count 0$/m, 'calls in progress');
  t.match(body, /^tallennin_calls_counters_total\{name="recordingsStarted"\} 1$/m, 'recordings written');
  t.match(body, /^tallennin_bridge_link_errors_total\{name="rxCrcErrors"\} 0$/m, 'link counters');
  // The two raised here, with whatever else the box has open on a busy machine (a capture delay...).
  const open = (severity: string): number => fixture.appliance.alarms.records().filter((alarm) => alarm.state === 'open' && alarm.severity === severity).length;
  t.ok(fixture.appliance.alarms.isOpen('BRIDGE_LINK_DOWN') && fixture.appliance.alarms.isOpen('DISK_FORECAST'));
  t.match(body, new RegExp(`^tallennin_alarms_open\\{severity="critical"\\} ${open('critical')}$`, 'm'), 'alarms by severity');
  t.match(body, new RegExp(`^tallennin_alarms_open\\{severity="warning"\\} ${open('warning')}$`, 'm'));
  t.ok(open('critical') >= 1 && open('warning') >= 1);
  t.match(body, /^tallennin_delivery_email_failures 0$/m, 'delivery queues');
  t.match(body, /^tallennin_system_process_rss_bytes \d+$/m, 'the machine');
  t.match(body, /^tallennin_http_request_duration_seconds_bucket\{le="[0-9.]+",method="PUT",route="\/api\/v1\/alarm-delivery\/",status="200"\} 1$/m, 'request latencies by route pattern');
  t.notMatch(body, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no ids in the figures');
});
