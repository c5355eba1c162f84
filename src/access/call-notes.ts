/**
 * Notes and tags on a call: whoever may see the call may read, add and remove them (the same
 * rule as the call, policy.canSeeCall), and nobody else learns whether the call exists (the same
 * 404 after the same audited work as CallAccess). Reading them and every change is an audit
 * entry; the entries name the call and the note, never the text. They live in the call's day
 * document (history/call-annotations.ts), so the purge destroys them with the call.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { ContactRecord } from '../history/contact-record.js';
import type { CallAnnotations, CallNote } from '../history/call-annotations.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { canSeeCall } from './policy.js';

/** A call holds at most this many notes; a note at most NOTE_MAX_CHARS. */
export const MAX_NOTES_PER_CALL = 100;
export const NOTE_MAX_CHARS = 2000;
export const MAX_TAGS_PER_CALL = 20;

/** A note as its reader sees it: whether it is theirs, not the author's id. */
export interface NoteView {
  readonly id: string;
  readonly text: string;
  readonly authorName: string;
  readonly createdAt: string;
  readonly mine: boolean;
}

export interface NotesView {
  readonly notes: readonly NoteView[];
  readonly tags: readonly string[];
}

export interface NoteAuthor extends Viewer {
  readonly displayName: string;
}

export class CallNotes {
  constructor(
    private readonly deps: {
      readonly history: ContactHistory;
      readonly audit: AuditTrail;
      readonly now: () => number;
      readonly newId?: () => string;
    },
  ) {}

  async view(viewer: Viewer, callId: string, clientAddress: string): Promise<NotesView> {
    const record = await this.visibleCall(viewer, callId, clientAddress, 'call.notes.view');
    const annotations = await this.deps.history.annotations(record.callId, record.startedAt);
    await this.audit(viewer, 'call.notes.view', clientAddress, callId, { notes: annotations.notes.length, tags: annotations.tags.length });
    return viewOf(viewer, annotations);
  }

  async addNote(author: NoteAuthor, callId: string, text: string, clientAddress: string): Promise<NoteView> {
    const record = await this.visibleCall(author, callId, clientAddress, 'call.note.add');
    const note: CallNote = { id: (this.deps.newId ?? randomUUID)(), text, authorId: author.id, authorName: author.displayName, createdAt: new Date(this.deps.now()).toISOString() };
    await this.deps.history.annotate(record.callId, record.startedAt, (current) => {
      if (current.notes.length >= MAX_NOTES_PER_CALL) throw new AppError('NOTES_FULL', `a call holds at most ${MAX_NOTES_PER_CALL} notes`);
      return { ...current, notes: [...current.notes, note] };
    });
    await this.audit(author, 'call.note.add', clientAddress, callId, { note: note.id, chars: text.length });
    return { id: note.id, text: note.text, authorName: note.authorName, createdAt: note.createdAt, mine: true };
  }

  async removeNote(viewer: Viewer, callId: string, noteId: string, clientAddress: string): Promise<void> {
    const record = await this.visibleCall(viewer, callId, clientAddress, 'call.note.remove');
    await this.deps.history.annotate(record.callId, record.startedAt, (current) => {
      if (!current.notes.some((note) => note.id === noteId)) throw new AppError('NOTE_NOT_FOUND', 'no such note on this call');
      return { ...current, notes: current.notes.filter((note) => note.id !== noteId) };
    });
    await this.audit(viewer, 'call.note.remove', clientAddress, callId, { note: noteId });
  }

  /** Sets the call's tags (lower case, each once); returns them as stored. */
  async setTags(viewer: Viewer, callId: string, tags: readonly string[], clientAddress: string): Promise<readonly string[]> {
    const record = await this.visibleCall(viewer, callId, clientAddress, 'call.tags.change');
    const normalised = [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))];
    if (normalised.length > MAX_TAGS_PER_CALL) throw new AppError('VALIDATION_FAILED', `a call has at most ${MAX_TAGS_PER_CALL} tags`);
    const next = await this.deps.history.annotate(record.callId, record.startedAt, (current) => ({ ...current, tags: normalised }));
    await this.audit(viewer, 'call.tags.change', clientAddress, callId, { tags: normalised.length });
    return next.tags;
  }

  private async visibleCall(viewer: Viewer, callId: string, clientAddress: string, action: string): Promise<ContactRecord> {
    const record = await this.deps.history.find(callId);
    if (record === undefined || !canSeeCall(viewer, record)) {
      // As CallAccess: a missing call and another agent's call cost and answer the same.
      await this.deps.audit.append({ action, outcome: 'denied', actorId: viewer.id, clientAddress, target: { type: 'call', id: callId } }, 'synced');
      throw new AppError('CALL_NOT_FOUND', 'no such call');
    }
    return record;
  }

  private async audit(viewer: Viewer, action: string, clientAddress: string, callId: string, details: Record<string, string | number>): Promise<void> {
    await this.deps.audit.append({ action, outcome: 'success', actorId: viewer.id, clientAddress, target: { type: 'call', id: callId }, details }, 'synced');
  }
}

function viewOf(viewer: Viewer, annotations: CallAnnotations): NotesView {
  return {
    notes: annotations.notes.map((note) => ({ id: note.id, text: note.text, authorName: note.authorName, createdAt: note.createdAt, mine: note.authorId === viewer.id })),
    tags: annotations.tags,
  };
}
