/**
 * Sends every new alarm and every cleared one to the receivers the maintainers set up (e-mail,
 * syslog, SNMP), each through its own bounded queue (delivery-queue.ts), so a slow or dead
 * receiver never holds up another one, nor the recording path that raised the alarm. A receiver
 * that keeps failing raises DELIVERY_FAILED (keyed by the receiver), cleared at its next success.
 */
import type { Logger } from '../log.js';
import type { AlarmLog, AlarmRecord } from './alarms.js';
import { alarmMessage, type AlarmMessage } from './alarm-message.js';
import { DeliveryQueue, failureCode, type DeliveryStats, type Timers } from './delivery-queue.js';
import { RECEIVERS, type DeliverySettings, type DeliverySettingsData, type ReceiverName } from './delivery-settings.js';
import type { AlarmSender } from './receivers/alarm-sender.js';

export interface AlarmDeliveryOptions {
  readonly alarms: AlarmLog;
  readonly settings: DeliverySettings;
  readonly logger: Logger;
  readonly now: () => number;
  /** Back-off of the queues (tests shorten it; the default grows to ten minutes). */
  readonly backoffMs?: readonly number[];
  readonly timers?: Timers;
}

export interface TestResult {
  readonly delivered: boolean;
  readonly error: string | null;
}

// Loaded when a receiver is first used: nodemailer and net-snmp are large, and every `tallennin`
// command (verify, purge...) loads this module without ever sending an alarm.
const FACTORIES: Readonly<Record<ReceiverName, (settings: DeliverySettingsData) => Promise<AlarmSender>>> = {
  email: async (settings) => (await import('./receivers/email-sender.js')).createEmailSender(settings.email),
  syslog: async (settings) => (await import('./receivers/syslog-sender.js')).createSyslogSender(settings.syslog),
  snmp: async (settings) => (await import('./receivers/snmp-sender.js')).createSnmpSender(settings.snmp),
};

export class AlarmDelivery {
  private readonly queues = new Map<ReceiverName, DeliveryQueue<AlarmMessage>>();
  private readonly senders = new Map<ReceiverName, AlarmSender>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: AlarmDeliveryOptions) {
    for (const name of RECEIVERS) {
      this.queues.set(
        name,
        new DeliveryQueue<AlarmMessage>({
          send: (message) => this.sendNow(name, message),
          logger: options.logger.child(name),
          ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
          ...(options.timers === undefined ? {} : { timers: options.timers }),
          onDead: (error) => options.alarms.raise('DELIVERY_FAILED', `alarms do not reach the ${name} receiver`, { receiver: name, error }, { key: name }),
          onRecovered: () => options.alarms.clear('DELIVERY_FAILED', name),
        }),
      );
    }
  }

  start(): void {
    this.reconfigure();
    this.unsubscribe = this.options.alarms.onChange((change) => this.dispatch(change.kind, change.alarm));
  }

  /** The settings changed: new transports, and what waits in a queue is tried again at once. */
  reconfigure(): void {
    for (const sender of this.senders.values()) sender.close();
    this.senders.clear();
    for (const queue of this.queues.values()) queue.retryNow();
  }

  /** Sends a test message to one receiver at once (not queued) and says whether it arrived. */
  async test(name: ReceiverName): Promise<TestResult> {
    const now = new Date(this.options.now()).toISOString();
    const alarm: AlarmRecord = { id: '00000000-0000-4000-8000-000000000000', code: 'DELIVERY_TEST', key: '', severity: 'info', message: 'a test message from the alarm delivery settings', fields: {}, firstAt: now, lastAt: now, count: 1, state: 'open', clearedAt: null, acknowledged: null };
    try {
      await this.sendNow(name, alarmMessage('test', alarm));
      return { delivered: true, error: null };
    } catch (err) {
      const error = failureCode(err);
      this.queues.get(name)!.countFailure(error);
      this.options.logger.warn('a test message could not be delivered', { receiver: name, error });
      return { delivered: false, error };
    }
  }

  stats(): Record<ReceiverName, DeliveryStats> {
    return Object.fromEntries(RECEIVERS.map((name) => [name, this.queues.get(name)!.stats()])) as Record<ReceiverName, DeliveryStats>;
  }

  stop(): void {
    this.unsubscribe?.();
    for (const queue of this.queues.values()) queue.close();
    for (const sender of this.senders.values()) sender.close();
    this.senders.clear();
  }

  private dispatch(kind: 'raised' | 'cleared', alarm: AlarmRecord): void {
    const settings = this.options.settings.current;
    for (const name of RECEIVERS) {
      if (settings[name].enabled) this.queues.get(name)!.push(alarmMessage(kind, alarm));
    }
  }

  /** The receiver's transport, built from the current settings when first needed. */
  private async sendNow(name: ReceiverName, message: AlarmMessage): Promise<void> {
    let sender = this.senders.get(name);
    if (sender === undefined) {
      const built = await FACTORIES[name](this.options.settings.current);
      // The settings may have changed while the module loaded: the first one built stays.
      sender = this.senders.get(name) ?? built;
      if (sender !== built) built.close();
      this.senders.set(name, sender);
    }
    await sender.send(message);
  }
}
