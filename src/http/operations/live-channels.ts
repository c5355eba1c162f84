/** The live view of the channels (calls:live): its operation and the shape of its answer. */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';

export const liveView = z.object({
  time: z.iso.datetime(),
  channelCount: z.number().int().nullable(),
  channels: z.array(
    z.object({
      channel: z.number().int(),
      startedAt: z.iso.datetime(),
      durationSeconds: z.number().int().min(0),
      agentExtension: z.string(),
      agentName: z.string().nullable(),
      recording: z.boolean(),
    }),
  ),
});

export const LIVE_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/live',
    operationId: 'getLiveChannels',
    summary: 'Which channels carry a call now, for how long, which agent (no numbers, no audio); audited as a read',
    permission: 'calls:live',
    success: { '200': { description: 'the channels busy now', json: liveView } },
    errors: ['AUDIT_UNAVAILABLE'],
  },
];
