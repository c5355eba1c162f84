/**
 * What every receiver is told about an alarm: its kind (raised, cleared or a test from the
 * Settings view), the alarm, what to do, and the box that says it. Ids and counts only: alarms
 * never hold phone numbers or names.
 */
import { hostname } from 'node:os';
import { actionOf } from './alarm-catalogue.js';
import type { AlarmRecord } from './alarms.js';

export interface AlarmMessage {
  readonly kind: 'raised' | 'cleared' | 'test';
  readonly alarm: AlarmRecord;
  /** The box's host name, as receivers tell boxes apart. */
  readonly host: string;
}

export function alarmMessage(kind: AlarmMessage['kind'], alarm: AlarmRecord, host = hostname()): AlarmMessage {
  return { kind, alarm, host };
}

/** One line: "CRITICAL raised BRIDGE_LINK_DOWN: the link ... (x3)". */
export function summaryOf(message: AlarmMessage): string {
  const { alarm } = message;
  const key = alarm.key === '' ? '' : ` [${alarm.key}]`;
  const count = alarm.count > 1 ? ` (x${alarm.count})` : '';
  return `${alarm.severity.toUpperCase()} ${message.kind} ${alarm.code}${key}: ${alarm.message}${count}`;
}

/** The full text (e-mail body): the summary, what to do, the times and the fields. */
export function textOf(message: AlarmMessage): string {
  const { alarm } = message;
  const lines = [
    summaryOf(message),
    '',
    `What to do: ${actionOf(alarm.code)}`,
    '',
    `Box: ${message.host}`,
    `Alarm id: ${alarm.id}`,
    `First: ${alarm.firstAt}`,
    `Last: ${alarm.lastAt}`,
    `Count: ${alarm.count}`,
    ...(alarm.clearedAt === null ? [] : [`Cleared: ${alarm.clearedAt}`]),
    ...Object.entries(alarm.fields).map(([name, value]) => `${name}: ${value}`),
  ];
  return lines.join('\n') + '\n';
}
