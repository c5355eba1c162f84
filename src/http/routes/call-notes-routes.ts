/** Notes and tags on a call: policy, audit and storage are in access/call-notes.ts. */
import { Router } from 'express';
import type { CallNotes } from '../../access/call-notes.js';
import { idParam } from '../api-schemas.js';
import { noteBody, notesView, oneNote, tagList, tagsBody } from '../operations/call-notes.js';
import { reply } from '../reply.js';
import { validate } from '../validate.js';
import { actorOf, clientAddress, requireSession } from '../request-guards.js';

export function callNotesRoutes(notes: CallNotes): Router {
  const router = Router();
  router.use('/:id/notes', requireSession());
  router.use('/:id/tags', requireSession());

  router.get('/:id/notes', async (req, res) => {
    const id = validate(idParam, req.params.id);
    reply(res, 200, notesView, await notes.view(actorOf(res), id, clientAddress(req)));
  });

  router.post('/:id/notes', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { text } = validate(noteBody, req.body);
    const actor = actorOf(res);
    reply(res, 201, oneNote, { note: await notes.addNote({ ...actor, displayName: actor.user.displayName }, id, text, clientAddress(req)) });
  });

  router.delete('/:id/notes/:noteId', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const noteId = validate(idParam, req.params.noteId);
    await notes.removeNote(actorOf(res), id, noteId, clientAddress(req));
    res.status(204).end();
  });

  router.put('/:id/tags', async (req, res) => {
    const id = validate(idParam, req.params.id);
    const { tags } = validate(tagsBody, req.body);
    reply(res, 200, tagList, { tags: await notes.setTags(actorOf(res), id, tags, clientAddress(req)) });
  });
  return router;
}
