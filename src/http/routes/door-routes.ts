/** The server room (presence, timeline), the door settings and the door sources' health. */
import { Router } from 'express';
import type { DoorAccess } from '../../access/door-access.js';
import { doorCard, doorCardBody, doorHealth, doorPresence, doorSettingsAnswer, doorTimeline, doorTimelineQuery } from '../operations/doors.js';
import { idParam } from '../api-schemas.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function doorRoutes(doorsOf: () => DoorAccess): Router {
  const router = Router();
  router.use(requireSession());
  router.get('/presence', async (req, res) => {
    reply(res, 200, doorPresence, await doorsOf().serverRoom(actorOf(res), clientAddress(req)));
  });
  router.get('/timeline', async (req, res) => {
    const query = validate(doorTimelineQuery, req.query);
    const answer = await doorsOf().timeline(
      actorOf(res),
      {
        ...(query.from === undefined ? {} : { fromMs: Date.parse(query.from) }),
        ...(query.to === undefined ? {} : { toMs: Date.parse(query.to) }),
        ...(query.door === undefined ? {} : { door: query.door }),
      },
      clientAddress(req),
    );
    reply(res, 200, doorTimeline, answer);
  });
  router.get('/health', (_req, res) => {
    reply(res, 200, doorHealth, doorsOf().health(actorOf(res)));
  });
  router.get('/settings', async (req, res) => {
    reply(res, 200, doorSettingsAnswer, { settings: await doorsOf().settings(actorOf(res), clientAddress(req)) });
  });
  router.put('/settings', async (req, res) => {
    reply(res, 200, doorSettingsAnswer, { settings: await doorsOf().replaceSettings(actorOf(res), req.body, clientAddress(req)) });
  });
  return router;
}

/** A user's access card (users:manage): /users/{id}/door-card. */
export function doorCardRoutes(doorsOf: () => DoorAccess): Router {
  const router = Router({ mergeParams: true });
  router.use(requireSession());
  router.get('/', async (req, res) => {
    const id = validate(idParam, (req.params as { id?: string }).id);
    reply(res, 200, doorCard, await doorsOf().card(actorOf(res), id, clientAddress(req)));
  });
  router.put('/', async (req, res) => {
    const id = validate(idParam, (req.params as { id?: string }).id);
    const body = validate(doorCardBody, req.body);
    reply(res, 200, doorCard, await doorsOf().enrol(actorOf(res), id, body, clientAddress(req)));
  });
  router.delete('/', async (req, res) => {
    const id = validate(idParam, (req.params as { id?: string }).id);
    await doorsOf().unenrol(actorOf(res), id, clientAddress(req));
    res.status(204).end();
  });
  return router;
}

