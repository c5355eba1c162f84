/**
 * An alarm as an RFC 5424 syslog message, and its RFC 5425 frame (octet counting: the length in
 * decimal, a space, the message) for syslog over TLS. Facility local0; the severity follows the
 * alarm's (critical 2, warning 4, info 6; a cleared alarm is a notice, 5). The structured data
 * element uses the documentation enterprise number 32473 (RFC 5612).
 */
import { summaryOf, type AlarmMessage } from '../alarm-message.js';

const FACILITY_LOCAL0 = 16;
export const SD_ID = 'tallennin@32473';
const SEVERITY = { critical: 2, warning: 4, info: 6 } as const;
const CLEARED_SEVERITY = 5;
const BOM = '\uFEFF';

/** PARAM-VALUE escaping (RFC 5424 section 6.3.3): '"', '\' and ']' get a backslash. */
function paramValue(value: string | number): string {
  return String(value).replace(/["\\\]]/g, (char) => `\\${char}`);
}

/** HOSTNAME, APP-NAME, MSGID: printable US-ASCII without spaces, bounded, '-' when empty. */
function header(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

export function syslogMessage(message: AlarmMessage, now: Date, pid = process.pid): string {
  const { alarm } = message;
  const severity = message.kind === 'cleared' ? CLEARED_SEVERITY : SEVERITY[alarm.severity];
  const params: Array<[string, string | number]> = [['kind', message.kind], ['id', alarm.id], ['code', alarm.code], ['key', alarm.key], ['severity', alarm.severity], ['count', alarm.count], ['firstAt', alarm.firstAt], ['lastAt', alarm.lastAt]];
  const sd = `[${SD_ID} ${params.map(([name, value]) => `${name}="${paramValue(value)}"`).join(' ')}]`;
  return `<${FACILITY_LOCAL0 * 8 + severity}>1 ${now.toISOString()} ${header(message.host, 255)} tallennin ${pid} ${header(alarm.code, 32)} ${sd} ${BOM}${summaryOf(message)}`;
}

/** RFC 5425 section 4.3: MSG-LEN SP SYSLOG-MSG, the length in octets. */
export function octetCounted(syslog: string): Buffer {
  const body = Buffer.from(syslog, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
