/** User administration (users:manage): list, create, change roles, disable, reset a second factor, give a password reset link. */
import { Router } from 'express';
import type { AccountAccess } from '../../access/account-access.js';
import { idParam, userCreateBody, userUpdateBody } from '../api-schemas.js';
import { oneUser, userList } from '../api-responses.js';
import { createdUser, passwordResetIssued } from '../operations/password-reset.js';
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
    const { user, activation } = await accounts.createUser(actorOf(res), body, clientAddress(req));
    reply(res, 201, createdUser, { user, ...(activation === undefined ? {} : { activation: { token: activation.token, expiresAt: new Date(activation.expiresAt).toISOString() } }) });
  });

  router.patch('/:id', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const body = validate(userUpdateBody, req.body);
    reply(res, 200, oneUser, { user: await accounts.updateUser(actorOf(res), id, body, clientAddress(req)) });
  });

  router.post('/:id/password-reset', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const issued = await accounts.issuePasswordReset(actorOf(res), id, clientAddress(req));
    reply(res, 201, passwordResetIssued, { token: issued.token, expiresAt: new Date(issued.expiresAt).toISOString() });
  });

  router.delete('/:id/totp', async (req, res) => {
    const id = validate(idParam, req.params.id);
    await accounts.resetUserTotp(actorOf(res), id, clientAddress(req));
    res.status(204).end();
  });

  return router;
}
