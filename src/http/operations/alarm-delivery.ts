/** The alarm delivery settings' API operations and answers (docs/operations.md). */
import { z } from 'zod';
import { deliverySettingsInput, RECEIVERS } from '../../health/delivery-settings.js';
import type { ApiOperation } from '../openapi.js';

const port = z.number().int();
const stats = z.object({ queued: z.number().int(), sent: z.number().int(), failures: z.number().int(), dropped: z.number().int(), lastError: z.string().nullable(), dead: z.boolean() });

export const deliveryView = z.object({
  settings: z.object({
    email: z.object({ enabled: z.boolean(), host: z.string(), port, starttls: z.boolean(), username: z.string(), passwordSet: z.boolean(), from: z.string(), to: z.array(z.string()), caPem: z.string() }),
    syslog: z.object({ enabled: z.boolean(), transport: z.enum(['tls', 'udp']), host: z.string(), port, caPem: z.string() }),
    snmp: z.object({ enabled: z.boolean(), version: z.enum(['v2c', 'v3']), host: z.string(), port, communitySet: z.boolean(), user: z.string(), authProtocol: z.string(), authKeySet: z.boolean(), privProtocol: z.string(), privKeySet: z.boolean() }),
    metrics: z.object({ enabled: z.boolean(), tokenSet: z.boolean() }),
  }),
  receivers: z.object({ email: stats, syslog: stats, snmp: stats }),
});

export const deliveryTestBody = z.strictObject({ receiver: z.enum(RECEIVERS) });
export const deliveryTestResult = z.object({ delivered: z.boolean(), error: z.string().nullable() });

export const ALARM_DELIVERY_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/alarm-delivery', operationId: 'getAlarmDelivery', summary: 'Where alarms are sent (secrets only as whether they are set) and each receiver’s queue and failures (audited)', permission: 'config:manage', success: { '200': { description: 'the settings and the receivers', json: deliveryView } }, errors: ['AUDIT_UNAVAILABLE'] },
  {
    method: 'put',
    path: '/alarm-delivery',
    operationId: 'replaceAlarmDelivery',
    summary: 'Change where alarms are sent (a secret left out is kept; STARTTLS may be turned off only for a relay on localhost)',
    permission: 'config:manage',
    body: deliverySettingsInput,
    success: { '200': { description: 'the settings now', json: deliveryView } },
    errors: ['DELIVERY_SETTINGS_INVALID', 'AUDIT_UNAVAILABLE'],
  },
  { method: 'post', path: '/alarm-delivery/test', operationId: 'testAlarmDelivery', summary: 'Send a test message to one receiver now and say whether it arrived (audited)', permission: 'config:manage', body: deliveryTestBody, success: { '200': { description: 'the outcome', json: deliveryTestResult } }, errors: ['AUDIT_UNAVAILABLE'] },
];
