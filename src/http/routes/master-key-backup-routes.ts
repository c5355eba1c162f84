/** POST /master-key-backup/confirmation (config:manage). */
import { Router } from 'express';
import type { KeyBackupAccess } from '../../access/key-backup-access.js';
import { keyBackupConfirmed } from '../operations/master-key-backup.js';
import { reply } from '../reply.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function masterKeyBackupRoutes(keyBackup: KeyBackupAccess): Router {
  const router = Router();
  router.use(requireSession());
  router.post('/confirmation', async (req, res) => {
    reply(res, 200, keyBackupConfirmed, await keyBackup.confirm(actorOf(res), clientAddress(req)));
  });
  return router;
}
