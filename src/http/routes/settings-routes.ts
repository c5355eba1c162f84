/** The call settings (config:manage): agent directory, recorded service numbers, retention. */
import { Router } from 'express';
import type { SettingsAccess } from '../../access/settings-access.js';
import { settings as settingsAnswer } from '../api-responses.js';
import { reply } from '../reply.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function settingsRoutes(settings: SettingsAccess): Router {
  const router = Router();
  router.use(requireSession());
  router.get('/', async (req, res) => {
    reply(res, 200, settingsAnswer, { settings: await settings.view(actorOf(res), clientAddress(req)) });
  });
  router.put('/', async (req, res) => {
    reply(res, 200, settingsAnswer, { settings: await settings.replace(actorOf(res), req.body, clientAddress(req)) });
  });
  return router;
}
