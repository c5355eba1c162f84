/** The registrar's desk: cases, their calls, holds and approvals. The desk (disclosure/case-desk.ts) decides and audits. */
import { Router, type Response } from 'express';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { CaseDesk } from '../../disclosure/case-desk.js';
import type { DisclosureDesk } from '../../disclosure/disclosure-desk.js';
import { sendWav } from './call-routes.js';
import { idParam } from '../api-schemas.js';
import { bundleBody, disclosureKey, madeBundle, caseCallsBody, caseCloseBody, caseExtendBody, caseFindQuery, caseHoldBody, caseList, caseNoteBody, caseOpenBody, caseWithCalls, foundCalls, oneCase } from '../operations/cases.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function caseRoutes(desk: CaseDesk, disclosures: DisclosureDesk, isRecentlyReauthenticated: (res: Response) => boolean): Router {
  const router = Router();
  // The public key is public: a receiver checks a bundle against it without an account.
  router.get('/public-key', (_req, res) => {
    reply(res, 200, disclosureKey, disclosures.publicKey());
  });
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

  router.post('/:id/bundles', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { passphrase } = validate(bundleBody, req.body);
    const made = await disclosures.makePoliceBundle(actorOf(res), id, { ...(passphrase === undefined ? {} : { passphrase }), reauthenticated: isRecentlyReauthenticated(res) }, clientAddress(req));
    reply(res, 201, madeBundle, {
      case: made.record,
      bundle: { id: made.disclosure.id, sha256: made.disclosure.sha256, bytes: made.disclosure.bytes, approvedBy: made.disclosure.approvedBy, fileName: `tallennin-disclosure-${made.disclosure.id}.tar.age` },
      passphrase: made.passphrase,
      passphraseGenerated: made.generated,
    });
  });

  router.get('/:id/bundles/:bundleId', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const bundleId = validate(idParam, req.params.bundleId);
    const { file, fileName, bytes } = await disclosures.openBundle(actorOf(res), id, bundleId, clientAddress(req));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(bytes));
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    await pipeline(createReadStream(file), res);
  });

  router.get('/:id/copy', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const copy = await disclosures.makeCopy(actorOf(res), id, isRecentlyReauthenticated(res), clientAddress(req));
    try {
      res.setHeader('Content-Type', 'application/x-tar');
      res.setHeader('Content-Length', String(copy.bytes));
      res.setHeader('Content-Disposition', `attachment; filename="${copy.fileName}"`);
      await pipeline(createReadStream(copy.file), res);
    } finally {
      await copy.done();
    }
  });

  router.get('/:id/calls/:callId/audio', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const callId = validate(idParam, req.params.callId);
    const viewer = actorOf(res);
    const { reader } = await disclosures.openListening(viewer, id, callId, clientAddress(req));
    await sendWav(req, res, reader, (part) => disclosures.auditListening(viewer, id, callId, reader, part, clientAddress(req)));
  });

  router.post('/:id/close', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { note } = validate(caseCloseBody, req.body);
    reply(res, 200, oneCase, { case: await desk.close(actorOf(res), id, note, clientAddress(req)) });
  });

  return router;
}
