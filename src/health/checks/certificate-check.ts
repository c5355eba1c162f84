/** The web server's TLS certificate: TLS_CERTIFICATE_EXPIRING within 30 days of its end. */
import { X509Certificate } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { AlarmControl, HealthCheck } from './health-check.js';

export const CERTIFICATE_WARN_DAYS = 30;
const DAY_MS = 24 * 3600_000;

export class CertificateCheck implements HealthCheck {
  readonly name = 'tls-certificate';
  private readonly validToMs: number;

  constructor(certPem: string, private readonly alarms: AlarmControl, private readonly clock: Clock) {
    this.validToMs = Date.parse(new X509Certificate(certPem).validTo);
  }

  run(): Promise<void> {
    const days = Math.floor((this.validToMs - this.clock.now()) / DAY_MS);
    if (days < CERTIFICATE_WARN_DAYS) {
      this.alarms.raise('TLS_CERTIFICATE_EXPIRING', days < 0 ? 'the TLS certificate has expired' : `the TLS certificate expires in ${days} days`, { days }, { severity: days < 7 ? 'critical' : 'warning' });
    } else this.alarms.clear('TLS_CERTIFICATE_EXPIRING');
    return Promise.resolve();
  }
}
