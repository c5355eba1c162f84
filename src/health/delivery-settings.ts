/**
 * Where alarms go, as maintainers set it in Settings: e-mail through the fund's SMTP relay,
 * syslog (RFC 5424 over TLS or UDP), SNMP traps (v2c or v3), and the bearer token of the
 * Prometheus endpoint. Kept in the encrypted document `config/alarm-delivery`. The secrets (SMTP
 * password, SNMP community and keys, bearer token) never leave through the API: a view says only
 * whether each is set, and a change that leaves a secret out keeps the stored one.
 */
import type { Low } from 'lowdb';
import { z } from 'zod';
import { AppError } from '../errors.js';

const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or an IP address');
const port = z.number().int().min(1).max(65535);
/** A CA certificate (PEM) to trust besides the system's: the fund's own CA. */
// The body is base64 only, so a block cannot run across a marker (no exponential backtracking).
const caPem = z.string().max(20_000).regex(/^\s*(?:-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$/, 'PEM certificates').or(z.literal(''));
const secret = z.string().max(500);
const email = z.string().trim().max(254).regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address');

const emailSettings = z.strictObject({
  enabled: z.boolean(),
  host: host.or(z.literal('')),
  port,
  /** STARTTLS is required unless turned off, which is allowed only for a relay on this machine. */
  starttls: z.boolean(),
  username: z.string().max(200),
  password: secret.optional(),
  from: email.or(z.literal('')),
  to: z.array(email).max(20),
  caPem: caPem.optional(),
});

const syslogSettings = z.strictObject({
  enabled: z.boolean(),
  transport: z.enum(['tls', 'udp']),
  host: host.or(z.literal('')),
  port,
  caPem: caPem.optional(),
});

const snmpSettings = z.strictObject({
  enabled: z.boolean(),
  version: z.enum(['v2c', 'v3']),
  host: host.or(z.literal('')),
  port,
  community: secret.optional(),
  user: z.string().max(32),
  authProtocol: z.enum(['sha', 'sha256', 'sha512']),
  authKey: secret.optional(),
  privProtocol: z.enum(['aes', 'aes256b', 'aes256r']),
  privKey: secret.optional(),
});

const metricsSettings = z.strictObject({
  enabled: z.boolean(),
  /** At least 32 characters: it is the only thing between the network and the box's figures. */
  token: z.string().min(32).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional(),
});

/** A change from the API: secrets left out are kept, an empty secret removes it. */
export const deliverySettingsInput = z.strictObject({ email: emailSettings, syslog: syslogSettings, snmp: snmpSettings, metrics: metricsSettings });
export type DeliverySettingsInput = z.infer<typeof deliverySettingsInput>;

export interface DeliverySettingsData {
  email: Omit<z.infer<typeof emailSettings>, 'password' | 'caPem'> & { password: string; caPem: string };
  syslog: Omit<z.infer<typeof syslogSettings>, 'caPem'> & { caPem: string };
  snmp: Omit<z.infer<typeof snmpSettings>, 'community' | 'authKey' | 'privKey'> & { community: string; authKey: string; privKey: string };
  metrics: { enabled: boolean; token: string };
}

export const RECEIVERS = ['email', 'syslog', 'snmp'] as const;
export type ReceiverName = (typeof RECEIVERS)[number];

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettingsData = {
  email: { enabled: false, host: '', port: 587, starttls: true, username: '', password: '', from: '', to: [], caPem: '' },
  syslog: { enabled: false, transport: 'tls', host: '', port: 6514, caPem: '' },
  snmp: { enabled: false, version: 'v2c', host: '', port: 162, community: '', user: '', authProtocol: 'sha', authKey: '', privProtocol: 'aes', privKey: '' },
  metrics: { enabled: false, token: '' },
};

/** The settings as the API shows them: each secret only as whether it is set. */
export function publicView(settings: DeliverySettingsData) {
  const { password, ...email } = settings.email;
  const { community, authKey, privKey, ...snmp } = settings.snmp;
  return {
    email: { ...email, passwordSet: password !== '' },
    syslog: settings.syslog,
    snmp: { ...snmp, communitySet: community !== '', authKeySet: authKey !== '', privKeySet: privKey !== '' },
    metrics: { enabled: settings.metrics.enabled, tokenSet: settings.metrics.token !== '' },
  };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

function invalid(problem: string): AppError {
  return new AppError('DELIVERY_SETTINGS_INVALID', `the alarm delivery settings are not valid: ${problem}`, { details: { problems: [problem] } });
}

/** The stored settings after a change (secrets merged), or AppError DELIVERY_SETTINGS_INVALID. */
export function merge(current: DeliverySettingsData, input: DeliverySettingsInput): DeliverySettingsData {
  const keep = (next: string | undefined, stored: string): string => next ?? stored;
  const next: DeliverySettingsData = {
    email: { ...input.email, password: keep(input.email.password, current.email.password), caPem: input.email.caPem ?? current.email.caPem },
    syslog: { ...input.syslog, caPem: input.syslog.caPem ?? current.syslog.caPem },
    snmp: { ...input.snmp, community: keep(input.snmp.community, current.snmp.community), authKey: keep(input.snmp.authKey, current.snmp.authKey), privKey: keep(input.snmp.privKey, current.snmp.privKey) },
    metrics: { enabled: input.metrics.enabled, token: keep(input.metrics.token, current.metrics.token) },
  };
  const { email, syslog, snmp, metrics } = next;
  if (!email.starttls && email.host !== '' && !LOCAL_HOSTS.has(email.host)) throw invalid('email.starttls: STARTTLS may be turned off only for a relay on this machine (localhost)');
  if (email.enabled && (email.host === '' || email.from === '' || email.to.length === 0)) throw invalid('email: a host, a sender and at least one recipient are needed');
  if (email.enabled && email.username !== '' && email.password === '') throw invalid('email.password: a user name needs a password');
  if (syslog.enabled && syslog.host === '') throw invalid('syslog.host: a host is needed');
  if (snmp.enabled && snmp.host === '') throw invalid('snmp.host: a host is needed');
  if (snmp.enabled && snmp.version === 'v2c' && snmp.community === '') throw invalid('snmp.community: SNMP v2c needs a community');
  if (snmp.enabled && snmp.version === 'v3' && (snmp.user === '' || snmp.authKey.length < 8 || snmp.privKey.length < 8)) throw invalid('snmp: SNMP v3 needs a user and authentication and privacy keys of at least 8 characters');
  if (metrics.enabled && metrics.token.length < 32) throw invalid('metrics.token: a bearer token of at least 32 characters is needed');
  return next;
}

interface DeliveryDocument {
  version: 1;
  settings: DeliverySettingsData;
}

export class DeliverySettings {
  private constructor(private readonly doc: Low<DeliveryDocument>) {}

  static async open(documents: { openDocument<T>(name: string, defaultData: T): Promise<Low<T>> }): Promise<DeliverySettings> {
    const doc = await documents.openDocument<DeliveryDocument>('config/alarm-delivery', { version: 1, settings: structuredClone(DEFAULT_DELIVERY_SETTINGS) });
    // Fields added by a later version start at their defaults.
    const stored = doc.data.settings;
    doc.data.settings = {
      email: { ...DEFAULT_DELIVERY_SETTINGS.email, ...stored.email },
      syslog: { ...DEFAULT_DELIVERY_SETTINGS.syslog, ...stored.syslog },
      snmp: { ...DEFAULT_DELIVERY_SETTINGS.snmp, ...stored.snmp },
      metrics: { ...DEFAULT_DELIVERY_SETTINGS.metrics, ...stored.metrics },
    };
    return new DeliverySettings(doc);
  }

  get current(): DeliverySettingsData {
    return structuredClone(this.doc.data.settings);
  }

  async replace(input: DeliverySettingsInput): Promise<DeliverySettingsData> {
    const next = merge(this.current, input);
    this.doc.data.settings = next;
    await this.doc.write();
    return this.current;
  }
}
