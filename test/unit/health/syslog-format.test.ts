/** RFC 5424 messages and RFC 5425 frames of alarms, byte for byte. */
import t from 'tap';
import { octetCounted, syslogMessage } from '../../../src/health/receivers/syslog-format.js';
import type { AlarmRecord } from '../../../src/health/alarms.js';

const alarm: AlarmRecord = { id: '11111111-2222-4333-8444-555555555555', code: 'DEAD_CHANNEL', key: 'a"b]c\\d', severity: 'warning', message: 'channel 3 is silent', fields: {}, firstAt: '2026-11-30T10:00:00.000Z', lastAt: '2026-11-30T10:05:00.000Z', count: 2, state: 'open', clearedAt: null, acknowledged: null };

t.test('when an alarm becomes a syslog message, then its header, structured data and escaping follow RFC 5424', async (t) => {
  const line = syslogMessage({ kind: 'raised', alarm, host: 'tallennin box' }, new Date('2026-11-30T10:05:01.000Z'), 42);
  t.equal(line, '<132>1 2026-11-30T10:05:01.000Z tallenninbox tallennin 42 DEAD_CHANNEL [tallennin@32473 kind="raised" id="11111111-2222-4333-8444-555555555555" code="DEAD_CHANNEL" key="a\\"b\\]c\\\\d" severity="warning" count="2" firstAt="2026-11-30T10:00:00.000Z" lastAt="2026-11-30T10:05:00.000Z"] \uFEFFWARNING raised DEAD_CHANNEL [a"b]c\\d]: channel 3 is silent (x2)');
  t.match(syslogMessage({ kind: 'cleared', alarm, host: '' }, new Date(0), 1), /^<133>1 1970-01-01T00:00:00.000Z - tallennin 1 /, 'a cleared alarm is a notice; an empty host is "-"');
});

t.test('when a message is framed for TLS, then its length counts octets, not characters', async (t) => {
  t.equal(octetCounted('ä').toString('utf8'), '2 ä');
});
