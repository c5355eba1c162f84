/** The live view of the channels (calls:live): policy and audit are in access/live-channels.ts. */
import { Router } from 'express';
import type { LiveChannels } from '../../access/live-channels.js';
import { liveView } from '../operations/live-channels.js';
import { reply } from '../reply.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function liveRoutes(live: LiveChannels): Router {
  const router = Router();
  router.get('/', requireSession(), async (req, res) => {
    reply(res, 200, liveView, await live.view(actorOf(res), clientAddress(req)));
  });
  return router;
}
