/**
 * Alarms as SNMP traps (net-snmp) to the network management system: SNMPv2c with a community, or
 * SNMPv3 with authentication and privacy (authPriv). The trap and its variables are under the
 * documentation enterprise number 32473 (docs/operations.md lists them):
 *   1.3.6.1.4.1.32473.1.0.1 alarm raised, .0.2 alarm cleared, .0.3 test
 *   1.3.6.1.4.1.32473.1.1.1 code, .1.2 severity, .1.3 message, .1.4 count, .1.5 key, .1.6 alarm id, .1.7 host
 */
import snmp from 'net-snmp';
import type { DeliverySettingsData } from '../delivery-settings.js';
import type { AlarmMessage } from '../alarm-message.js';
import { SEND_TIMEOUT_MS, type AlarmSender } from './alarm-sender.js';

export const TRAP_OID = { raised: '1.3.6.1.4.1.32473.1.0.1', cleared: '1.3.6.1.4.1.32473.1.0.2', test: '1.3.6.1.4.1.32473.1.0.3' } as const;
export const VARIABLE_OID = { code: '1.3.6.1.4.1.32473.1.1.1', severity: '1.3.6.1.4.1.32473.1.1.2', message: '1.3.6.1.4.1.32473.1.1.3', count: '1.3.6.1.4.1.32473.1.1.4', key: '1.3.6.1.4.1.32473.1.1.5', id: '1.3.6.1.4.1.32473.1.1.6', host: '1.3.6.1.4.1.32473.1.1.7' } as const;

const AUTH = { sha: snmp.AuthProtocols.sha, sha256: snmp.AuthProtocols.sha256, sha512: snmp.AuthProtocols.sha512 } as const;
const PRIV = { aes: snmp.PrivProtocols.aes, aes256b: snmp.PrivProtocols.aes256b, aes256r: snmp.PrivProtocols.aes256r } as const;

export function createSnmpSender(settings: DeliverySettingsData['snmp']): AlarmSender {
  const options = { trapPort: settings.port, timeout: SEND_TIMEOUT_MS, retries: 0 };
  const session =
    settings.version === 'v3'
      ? snmp.createV3Session(settings.host, { name: settings.user, level: snmp.SecurityLevel.authPriv, authProtocol: AUTH[settings.authProtocol], authKey: settings.authKey, privProtocol: PRIV[settings.privProtocol], privKey: settings.privKey }, { ...options, version: snmp.Version3 })
      : snmp.createSession(settings.host, settings.community, { ...options, version: snmp.Version2c });
  session.on('error', () => undefined);
  return {
    send: (message: AlarmMessage) =>
      new Promise<void>((resolve, reject) => {
        const { alarm } = message;
        const text = (oid: string, value: string) => ({ oid, type: snmp.ObjectType.OctetString, value: Buffer.from(value, 'utf8') });
        const varbinds = [
          text(VARIABLE_OID.code, alarm.code),
          text(VARIABLE_OID.severity, alarm.severity),
          text(VARIABLE_OID.message, alarm.message),
          { oid: VARIABLE_OID.count, type: snmp.ObjectType.Gauge, value: Math.min(alarm.count, 4294967295) },
          text(VARIABLE_OID.key, alarm.key),
          text(VARIABLE_OID.id, alarm.id),
          text(VARIABLE_OID.host, message.host),
        ];
        session.trap(TRAP_OID[message.kind], varbinds, (err: Error | null) => (err ? reject(err) : resolve()));
      }),
    close: () => {
      try {
        session.close();
      } catch {
        // Closing a session whose socket failed already is nothing to report.
      }
    },
  };
}
