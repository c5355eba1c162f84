/** User administration (users:manage): list, create, change roles, disable, reset a second factor. */
import { Router } from 'express';
import type { AccountAccess } from '../../access/account-access.js';
import { idParam, userCreateBody, userUpdateBody } from '../api-schemas.js';
import { oneUser, userList } from '../api-responses.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function userRoutes(accounts: AccountAccess): Router {
  const router = Router();
  router.use(requireSession());

  router.get('/', async (req, res) => {
    reply(res, 200, userList, { users: await accounts.listUsers(actorOf(res), clientAddress(req)) });
  });

  router.post('/', async (req, res) => {
    const body = validate(userCreateBody, req.body);
    reply(res, 201, oneUser, { user: await accounts.createUser(actorOf(res), body, clientAddress(req)) });
  });

  router.patch('/:id', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const body = validate(userUpdateBody, req.body);
    reply(res, 200, oneUser, { user: await accounts.updateUser(actorOf(res), id, body, clientAddress(req)) });
  });

  router.delete('/:id/totp', async (req, res) => {
    const id = validate(idParam, req.params.id);
    await accounts.resetUserTotp(actorOf(res), id, clientAddress(req));
    res.status(204).end();
  });

  return router;
}
