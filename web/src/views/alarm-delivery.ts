// Where alarms are sent: e-mail, syslog, SNMP traps and the Prometheus endpoint's token, each
// receiver with a "send a test" button and its counters. Secrets are never shown: a password
// field left empty keeps the stored one. A sub-page of the Settings view (#/settings/alarm-delivery).
import { api } from '../api.js';
import { field, h } from '../dom.js';
import { t, type MessageKey } from '../i18n.js';
import { screen } from '../router.js';
import { form } from '../widgets/form.js';
import { settingsSections } from '../widgets/settings-sections.js';
import { errorText, say } from '../widgets/status.js';

type Receiver = 'email' | 'syslog' | 'snmp';
interface Stats { queued: number; sent: number; failures: number; dropped: number; lastError: string | null; dead: boolean }
interface View {
  settings: {
    email: { enabled: boolean; host: string; port: number; starttls: boolean; username: string; passwordSet: boolean; from: string; to: string[]; caPem: string };
    syslog: { enabled: boolean; transport: 'tls' | 'udp'; host: string; port: number; caPem: string };
    snmp: { enabled: boolean; version: 'v2c' | 'v3'; host: string; port: number; communitySet: boolean; user: string; authProtocol: string; authKeySet: boolean; privProtocol: string; privKeySet: boolean };
    metrics: { enabled: boolean; tokenSet: boolean };
  };
  receivers: Record<Receiver, Stats>;
}

const input = (id: string, value: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement => h('input', { id, value, ...attrs });
const checkbox = (id: string, checked: boolean): HTMLInputElement => h('input', { id, type: 'checkbox', ...(checked ? { checked: true } : {}) });
const secret = (id: string, isSet: boolean): HTMLInputElement => h('input', { id, type: 'password', autocomplete: 'new-password', placeholder: isSet ? t('delivery.secretSet') : t('delivery.secretNotSet') });
const select = (id: string, value: string, options: readonly string[]): HTMLSelectElement => h('select', { id }, ...options.map((option) => h('option', { value: option, ...(option === value ? { selected: true } : {}) }, option)));
const value = (id: string): string => (document.getElementById(id) as HTMLInputElement).value.trim();
const checked = (id: string): boolean => (document.getElementById(id) as HTMLInputElement).checked;
/** A secret field: left empty, the stored secret stays (the field is then not sent). */
const secretValue = (id: string): string | undefined => (value(id) === '' ? undefined : value(id));

function counters(receiver: Receiver, stats: Stats): HTMLElement {
  return h('p', { class: stats.dead ? 'error' : '', id: `${receiver}-counters` }, t('delivery.counters', { sent: stats.sent, failures: stats.failures, queued: stats.queued, dropped: stats.dropped }), stats.lastError === null ? '' : ` ${t('delivery.lastError', { code: stats.lastError })}`);
}

function testButton(receiver: Receiver): HTMLElement {
  return h('button', {
    type: 'button',
    class: 'secondary',
    id: `${receiver}-test`,
    onclick: () => {
      api<{ delivered: boolean; error: string | null }>('POST', '/alarm-delivery/test', { receiver })
        .then((result) => say(result.delivered ? t('delivery.testSent') : t('delivery.testFailed', { code: result.error ?? '' }), !result.delivered))
        .catch((err: unknown) => say(errorText(err), true));
    },
  }, t('delivery.test'));
}

export async function alarmDeliveryView(): Promise<void> {
  const show = screen();
  const { settings, receivers } = await api<View>('GET', '/alarm-delivery');
  const { email, syslog, snmp, metrics } = settings;
  const section = (title: MessageKey, receiver: Receiver | undefined, ...children: HTMLElement[]): HTMLElement =>
    h('fieldset', {}, h('legend', {}, t(title)), ...children, ...(receiver === undefined ? [] : [counters(receiver, receivers[receiver]), h('p', {}, testButton(receiver))]));
  show(
    t('settings.title'),
    settingsSections('alarm-delivery'),
    h('h2', {}, t('delivery.title')),
    form(
      async () => {
        const port = (id: string): number => Number(value(id));
        await api('PUT', '/alarm-delivery', {
          email: { enabled: checked('email-enabled'), host: value('email-host'), port: port('email-port'), starttls: checked('email-starttls'), username: value('email-username'), password: secretValue('email-password'), from: value('email-from'), to: value('email-to').split(/[\s,]+/).filter((address) => address !== ''), caPem: (document.getElementById('email-ca') as HTMLTextAreaElement).value },
          syslog: { enabled: checked('syslog-enabled'), transport: value('syslog-transport'), host: value('syslog-host'), port: port('syslog-port'), caPem: (document.getElementById('syslog-ca') as HTMLTextAreaElement).value },
          snmp: { enabled: checked('snmp-enabled'), version: value('snmp-version'), host: value('snmp-host'), port: port('snmp-port'), community: secretValue('snmp-community'), user: value('snmp-user'), authProtocol: value('snmp-auth-protocol'), authKey: secretValue('snmp-auth-key'), privProtocol: value('snmp-priv-protocol'), privKey: secretValue('snmp-priv-key') },
          metrics: { enabled: checked('metrics-enabled'), token: secretValue('metrics-token') },
        });
        say(t('delivery.saved'));
        await alarmDeliveryView();
      },
      h('p', {}, t('delivery.help')),
      section('delivery.email', 'email',
        field('email-enabled', t('delivery.enabled'), checkbox('email-enabled', email.enabled)),
        field('email-host', t('delivery.host'), input('email-host', email.host)),
        field('email-port', t('delivery.port'), input('email-port', String(email.port), { type: 'number', min: '1', max: '65535' })),
        field('email-starttls', t('delivery.starttls'), checkbox('email-starttls', email.starttls)),
        field('email-username', t('delivery.username'), input('email-username', email.username, { autocomplete: 'off' })),
        field('email-password', t('delivery.password'), secret('email-password', email.passwordSet)),
        field('email-from', t('delivery.from'), input('email-from', email.from)),
        field('email-to', t('delivery.to'), input('email-to', email.to.join(', '))),
        field('email-ca', t('delivery.ca'), h('textarea', { rows: '3', cols: '40' }, email.caPem)),
      ),
      section('delivery.syslog', 'syslog',
        field('syslog-enabled', t('delivery.enabled'), checkbox('syslog-enabled', syslog.enabled)),
        field('syslog-transport', t('delivery.transport'), select('syslog-transport', syslog.transport, ['tls', 'udp'])),
        field('syslog-host', t('delivery.host'), input('syslog-host', syslog.host)),
        field('syslog-port', t('delivery.port'), input('syslog-port', String(syslog.port), { type: 'number', min: '1', max: '65535' })),
        field('syslog-ca', t('delivery.ca'), h('textarea', { rows: '3', cols: '40' }, syslog.caPem)),
      ),
      section('delivery.snmp', 'snmp',
        field('snmp-enabled', t('delivery.enabled'), checkbox('snmp-enabled', snmp.enabled)),
        field('snmp-version', t('delivery.version'), select('snmp-version', snmp.version, ['v2c', 'v3'])),
        field('snmp-host', t('delivery.host'), input('snmp-host', snmp.host)),
        field('snmp-port', t('delivery.port'), input('snmp-port', String(snmp.port), { type: 'number', min: '1', max: '65535' })),
        field('snmp-community', t('delivery.community'), secret('snmp-community', snmp.communitySet)),
        field('snmp-user', t('delivery.user'), input('snmp-user', snmp.user, { autocomplete: 'off' })),
        field('snmp-auth-protocol', t('delivery.authProtocol'), select('snmp-auth-protocol', snmp.authProtocol, ['sha', 'sha256', 'sha512'])),
        field('snmp-auth-key', t('delivery.authKey'), secret('snmp-auth-key', snmp.authKeySet)),
        field('snmp-priv-protocol', t('delivery.privProtocol'), select('snmp-priv-protocol', snmp.privProtocol, ['aes', 'aes256b', 'aes256r'])),
        field('snmp-priv-key', t('delivery.privKey'), secret('snmp-priv-key', snmp.privKeySet)),
      ),
      section('delivery.metrics', undefined,
        h('p', {}, t('delivery.metricsHelp')),
        field('metrics-enabled', t('delivery.enabled'), checkbox('metrics-enabled', metrics.enabled)),
        field('metrics-token', t('delivery.token'), secret('metrics-token', metrics.tokenSet)),
        h('p', {}, h('button', {
          type: 'button',
          class: 'secondary',
          id: 'metrics-generate',
          onclick: () => {
            // 32 random bytes as hex: shown here once, to be copied into the scraper's configuration.
            const token = [...crypto.getRandomValues(new Uint8Array(32))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
            const tokenInput = document.getElementById('metrics-token') as HTMLInputElement;
            tokenInput.type = 'text';
            tokenInput.value = token;
          },
        }, t('delivery.generate'))),
      ),
      h('p', {}, h('button', { type: 'submit' }, t('delivery.save'))),
    ),
  );
}
