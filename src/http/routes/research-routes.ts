/** The research disclosure under a case (P9). The research desk (disclosure/research-desk.ts) decides and audits. */
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import type { ResearchDesk } from '../../disclosure/research-desk.js';
import { idParam } from '../api-schemas.js';
import { researchContentCheckBody, researchDestructionBody, researchReturnDueBody, researchView } from '../operations/research.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function researchRoutes(research: ResearchDesk, isRecentlyReauthenticated: (res: Response) => boolean): Router {
  const router = Router();
  router.use(requireSession());

  router.get('/:id/research', async (req, res) => {
    const view = await research.view(actorOf(res), validate(idParam, req.params.id), clientAddress(req));
    reply(res, 200, researchView, { research: view.facts, overdue: view.overdue });
  });

  router.put('/:id/research/return-due', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { returnDue } = validate(researchReturnDueBody, req.body);
    const view = await research.setReturnDue(actorOf(res), id, returnDue, clientAddress(req));
    reply(res, 200, researchView, { research: view.facts, overdue: view.overdue });
  });

  router.post('/:id/research/content-check', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { note } = validate(researchContentCheckBody, req.body);
    const view = await research.confirmContentCheck(actorOf(res), id, note, clientAddress(req));
    reply(res, 200, researchView, { research: view.facts, overdue: view.overdue });
  });

  router.post('/:id/research/package', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const made = await research.makePackage(actorOf(res), id, clientAddress(req), isRecentlyReauthenticated(res));
    // Opened, then removed at once: the open file is sent, and no copy stays on the box whatever happens to the download.
    let file;
    try {
      file = await open(made.file);
    } finally {
      await made.discard();
    }
    res.status(200);
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Length', String(made.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="${made.fileName}"`);
    res.setHeader('X-Package-SHA256', made.sha256);
    await pipeline(file.createReadStream(), res);
  });

  router.post('/:id/research/destruction', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const body = validate(researchDestructionBody, req.body);
    const view = await research.confirmDestruction(actorOf(res), id, body, clientAddress(req));
    reply(res, 200, researchView, { research: view.facts, overdue: view.overdue });
  });

  return router;
}
