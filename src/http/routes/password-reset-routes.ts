/** Setting one's own password with a reset or activation link: open, the token is the proof. */
import { Router } from 'express';
import type { AccountAccess } from '../../access/account-access.js';
import { passwordResetBody } from '../operations/password-reset.js';
import { validate } from '../validate.js';
import { clientAddress } from '../request-guards.js';

export function passwordResetRoutes(accounts: AccountAccess): Router {
  const router = Router();
  router.post('/password-reset', async (req, res) => {
    const body = validate(passwordResetBody, req.body);
    await accounts.completePasswordReset(body.token, body.newPassword, clientAddress(req));
    res.status(204).end();
  });
  return router;
}
