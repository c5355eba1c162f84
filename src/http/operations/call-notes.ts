/** Notes and tags on a call (the call's own access rule): operations, bodies and answers. */
import { z } from 'zod';
import type { ApiOperation } from '../openapi.js';
import { MAX_TAGS_PER_CALL, NOTE_MAX_CHARS } from '../../access/call-notes.js';
import { callTag as tag } from '../api-schemas.js';

/** No control characters (a line break is fine) and not only white space. */
const noteText = z
  .string()
  .max(NOTE_MAX_CHARS)
  .refine((text) => text.trim() !== '', 'a note has text')
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text), 'a note holds no control characters');

export const noteBody = z.object({ text: noteText }).strict();
export const tagsBody = z.object({ tags: z.array(tag).max(MAX_TAGS_PER_CALL) }).strict();

const noteView = z.object({ id: z.uuid(), text: z.string(), authorName: z.string(), createdAt: z.iso.datetime(), mine: z.boolean() });
export const notesView = z.object({ notes: z.array(noteView), tags: z.array(z.string()) });
export const oneNote = z.object({ note: noteView });
export const tagList = z.object({ tags: z.array(z.string()) });

const SEE_CALL = 'calls:read-own | calls:read-all';
const ERRORS = ['CALL_NOT_FOUND', 'AUDIT_UNAVAILABLE'];

export const CALL_NOTES_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/calls/{id}/notes', operationId: 'getCallNotes', summary: 'A call’s notes and tags (those who may see the call); audited', permission: SEE_CALL, success: { '200': { description: 'the notes and tags', json: notesView } }, errors: ERRORS },
  { method: 'post', path: '/calls/{id}/notes', operationId: 'addCallNote', summary: 'Add a note to a call; audited (without its text)', permission: SEE_CALL, body: noteBody, success: { '201': { description: 'the note added', json: oneNote } }, errors: [...ERRORS, 'NOTES_FULL'] },
  { method: 'delete', path: '/calls/{id}/notes/{noteId}', operationId: 'removeCallNote', summary: 'Remove a note from a call; audited', permission: SEE_CALL, success: { '204': { description: 'removed' } }, errors: [...ERRORS, 'NOTE_NOT_FOUND'] },
  { method: 'put', path: '/calls/{id}/tags', operationId: 'setCallTags', summary: 'Set a call’s tags (stored in lower case, each once); audited', permission: SEE_CALL, body: tagsBody, success: { '200': { description: 'the tags now', json: tagList } }, errors: ERRORS },
];
