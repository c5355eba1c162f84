/** The alarms' API operations and their request and answer schemas (docs/operations.md). */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';

const isoTime = z.iso.datetime({ offset: true });

export const alarmRecord = z.object({
  id: z.uuid(),
  code: z.string(),
  /** The cause within the code (a channel, a receiver); '' when the code is the whole cause. */
  key: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
  firstAt: isoTime,
  lastAt: isoTime,
  count: z.number().int().min(1),
  state: z.enum(['open', 'cleared']),
  clearedAt: isoTime.nullable(),
  acknowledged: z.object({ userId: z.string(), at: isoTime, note: z.string() }).nullable(),
});

export const alarmList = z.object({ open: z.array(alarmRecord), recent: z.array(alarmRecord) });
export const oneAlarm = z.object({ alarm: alarmRecord });
export const acknowledgeBody = z.strictObject({ note: z.string().trim().min(1).max(500) });

export const ALARM_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/alarms', operationId: 'listAlarms', summary: 'Open alarms (most severe first) and the recent closed ones', permission: 'health:read', success: { '200': { description: 'the alarms', json: alarmList } } },
  {
    method: 'post',
    path: '/alarms/{id}/acknowledgement',
    operationId: 'acknowledgeAlarm',
    summary: 'Acknowledge an open alarm with a note (audited)',
    permission: 'config:manage',
    body: acknowledgeBody,
    success: { '200': { description: 'the alarm, acknowledged', json: oneAlarm } },
    errors: ['ALARM_NOT_FOUND', 'ALARM_CLEARED', 'AUDIT_UNAVAILABLE'],
  },
];
