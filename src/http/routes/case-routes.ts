/** The registrar's desk: cases, their calls, holds and approvals. The desk (disclosure/case-desk.ts) decides and audits. */
import { Router } from 'express';
import type { CaseDesk } from '../../disclosure/case-desk.js';
import { idParam } from '../api-schemas.js';
import { caseCallsBody, caseCloseBody, caseExtendBody, caseFindQuery, caseHoldBody, caseList, caseNoteBody, caseOpenBody, caseWithCalls, foundCalls, oneCase } from '../operations/cases.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function caseRoutes(desk: CaseDesk): Router {
  const router = Router();
  router.use(requireSession());

  router.get('/', async (req, res) => {
    reply(res, 200, caseList, { cases: await desk.list(actorOf(res), clientAddress(req)) });
  });

  router.post('/', async (req, res) => {
    const body = validate(caseOpenBody, req.body);
    const opened = await desk.open(
      actorOf(res),
      {
        kind: body.kind,
        requester: body.requester,
        legalBasis: body.legalBasis,
        ...(body.subject === undefined ? {} : { subject: body.subject }),
        ...(body.receivedAt === undefined ? {} : { receivedAtMs: Date.parse(body.receivedAt) }),
        ...(body.deadline === undefined ? {} : { deadlineMs: Date.parse(body.deadline) }),
      },
      clientAddress(req),
    );
    reply(res, 201, oneCase, { case: opened });
  });

  router.get('/:id', async (req, res) => {
    const { record, calls } = await desk.view(actorOf(res), validate(idParam, req.params.id), clientAddress(req));
    reply(res, 200, caseWithCalls, { case: record, calls });
  });

  router.get('/:id/find', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const query = validate(caseFindQuery, req.query);
    reply(res, 200, foundCalls, { calls: await desk.find(actorOf(res), id, query, clientAddress(req)) });
  });

  router.put('/:id/calls', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { callIds } = validate(caseCallsBody, req.body);
    reply(res, 200, oneCase, { case: await desk.setCalls(actorOf(res), id, callIds, clientAddress(req)) });
  });

  router.post('/:id/notes', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { text } = validate(caseNoteBody, req.body);
    reply(res, 201, oneCase, { case: await desk.addNote(actorOf(res), id, text, clientAddress(req)) });
  });

  router.post('/:id/extension', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { reason } = validate(caseExtendBody, req.body);
    reply(res, 200, oneCase, { case: await desk.extend(actorOf(res), id, reason, clientAddress(req)) });
  });

  router.put('/:id/hold', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { reason, until } = validate(caseHoldBody, req.body);
    reply(res, 200, oneCase, { case: await desk.placeHold(actorOf(res), id, { reason, untilMs: Date.parse(until) }, clientAddress(req)) });
  });

  router.delete('/:id/hold', async (req, res) => {
    reply(res, 200, oneCase, { case: await desk.liftHold(actorOf(res), validate(idParam, req.params.id), clientAddress(req)) });
  });

  router.post('/:id/approval', async (req, res) => {
    reply(res, 200, oneCase, { case: await desk.approve(actorOf(res), validate(idParam, req.params.id), clientAddress(req)) });
  });

  router.post('/:id/close', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { note } = validate(caseCloseBody, req.body);
    reply(res, 200, oneCase, { case: await desk.close(actorOf(res), id, note, clientAddress(req)) });
  });

  return router;
}
