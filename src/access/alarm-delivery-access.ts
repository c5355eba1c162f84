/**
 * The alarm delivery settings for maintainers (config:manage): reading them (the recipients'
 * addresses are personal data, so the read is audited like the call settings), changing them
 * and sending a test to one receiver, each on the audit trail. Secrets never leave: the view
 * says only whether each is set.
 */
import { AppError } from '../errors.js';
import type { AlarmDelivery, TestResult } from '../health/alarm-delivery.js';
import type { DeliveryStats } from '../health/delivery-queue.js';
import { publicView, type DeliverySettings, type DeliverySettingsInput, type ReceiverName } from '../health/delivery-settings.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { can } from './policy.js';

const TARGET = { type: 'config', id: 'alarm-delivery' } as const;

export interface DeliveryView {
  settings: ReturnType<typeof publicView>;
  receivers: Record<ReceiverName, DeliveryStats>;
}

export class AlarmDeliveryAccess {
  constructor(private readonly deps: { readonly settings: DeliverySettings; readonly delivery: AlarmDelivery; readonly audit: AuditTrail }) {}

  async view(viewer: Viewer, clientAddress: string): Promise<DeliveryView> {
    this.require(viewer);
    await this.deps.audit.append({ action: 'config.view', outcome: 'success', actorId: viewer.id, target: TARGET, clientAddress });
    return this.current();
  }

  async replace(viewer: Viewer, input: DeliverySettingsInput, clientAddress: string): Promise<DeliveryView> {
    this.require(viewer);
    try {
      await this.deps.settings.replace(input);
    } catch (err) {
      await this.deps.audit.append({ action: 'config.change', outcome: 'failed', actorId: viewer.id, target: TARGET, clientAddress, details: { reason: err instanceof AppError ? err.code : 'error' } });
      throw err;
    }
    this.deps.delivery.reconfigure();
    const settings = this.deps.settings.current;
    await this.deps.audit.append({
      action: 'config.change',
      outcome: 'success',
      actorId: viewer.id,
      target: TARGET,
      clientAddress,
      // Which receivers are on, and whether a secret was sent: never a secret or an address.
      details: { email: settings.email.enabled, syslog: settings.syslog.enabled, snmp: settings.snmp.enabled, metrics: settings.metrics.enabled, secretsChanged: [input.email.password, input.snmp.community, input.snmp.authKey, input.snmp.privKey, input.metrics.token].filter((secret) => secret !== undefined).length },
    });
    return this.current();
  }

  async test(viewer: Viewer, receiver: ReceiverName, clientAddress: string): Promise<TestResult> {
    this.require(viewer);
    const result = await this.deps.delivery.test(receiver);
    await this.deps.audit.append({ action: 'alarm.delivery-test', outcome: result.delivered ? 'success' : 'failed', actorId: viewer.id, target: TARGET, clientAddress, details: { receiver, error: result.error } });
    return result;
  }

  private current(): DeliveryView {
    return { settings: publicView(this.deps.settings.current), receivers: this.deps.delivery.stats() };
  }

  private require(viewer: Viewer): void {
    if (!can(viewer, 'config:manage')) throw new AppError('FORBIDDEN', 'this account may not change the alarm delivery');
  }
}
