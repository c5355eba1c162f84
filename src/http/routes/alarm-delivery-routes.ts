/** The alarm delivery settings (config:manage): read, change, send a test. */
import { Router } from 'express';
import type { AlarmDeliveryAccess } from '../../access/alarm-delivery-access.js';
import { deliverySettingsInput } from '../../health/delivery-settings.js';
import { deliveryTestBody, deliveryTestResult, deliveryView } from '../operations/alarm-delivery.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function alarmDeliveryRoutes(delivery: AlarmDeliveryAccess): Router {
  const router = Router();
  router.use(requireSession());
  router.get('/', async (req, res) => {
    reply(res, 200, deliveryView, await delivery.view(actorOf(res), clientAddress(req)));
  });
  router.put('/', async (req, res) => {
    reply(res, 200, deliveryView, await delivery.replace(actorOf(res), validate(deliverySettingsInput, req.body), clientAddress(req)));
  });
  router.post('/test', async (req, res) => {
    const { receiver } = validate(deliveryTestBody, req.body);
    reply(res, 200, deliveryTestResult, await delivery.test(actorOf(res), receiver, clientAddress(req)));
  });
  return router;
}
