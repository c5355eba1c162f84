/** The alarms (health:read) and their acknowledgement by a maintainer (config:manage). */
import { Router } from 'express';
import type { AlarmAccess } from '../../access/alarm-access.js';
import { idParam } from '../api-schemas.js';
import { acknowledgeBody, alarmList, oneAlarm } from '../operations/alarms.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function alarmRoutes(alarms: AlarmAccess): Router {
  const router = Router();
  router.use(requireSession());
  router.get('/', (_req, res) => {
    reply(res, 200, alarmList, alarms.list(actorOf(res)));
  });
  router.post('/:id/acknowledgement', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { note } = validate(acknowledgeBody, req.body);
    reply(res, 200, oneAlarm, { alarm: await alarms.acknowledge(actorOf(res), id, note, clientAddress(req)) });
  });
  return router;
}
