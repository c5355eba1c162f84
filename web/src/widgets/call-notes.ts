// The notes and tags of a call, on its page: read and changed by whoever may see the call; the
// section redraws itself after each change, and says what happened in its own live region.
import { api } from '../api.js';
import { field, h, replaceKeepingTyped, startDraw } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { errorText } from './status.js';

interface NoteView {
  id: string;
  text: string;
  authorName: string;
  createdAt: string;
  mine: boolean;
}

interface NotesView {
  notes: NoteView[];
  tags: string[];
}

export async function callNotes(callId: string): Promise<HTMLElement> {
  const base = `/calls/${encodeURIComponent(callId)}`;
  const section = h('section', { class: 'panel notes', 'aria-labelledby': 'notes-title' });
  const message = h('p', { id: 'notes-status', role: 'status' });
  const tell = (text: string, isError = false): void => {
    message.textContent = text;
    message.className = isError ? 'error' : 'ok';
  };
  /**
   * Runs a change (`sent`: its form, if any), then draws the notes again from the service: the
   * newest answer only, with what is typed in the other form kept.
   */
  const change = async (run: () => Promise<unknown>, done: string, sent: HTMLFormElement | null = null): Promise<void> => {
    try {
      await run();
      const newest = startDraw(section);
      const view = await api<NotesView>('GET', `${base}/notes`);
      if (!newest()) return;
      draw(view, sent);
      tell(done);
    } catch (err) {
      tell(errorText(err), true);
    }
  };

  const draw = (view: NotesView, sent: HTMLFormElement | null): void => {
    const tagsInput = h('input', { name: 'tags', value: view.tags.join(', '), autocomplete: 'off' });
    const tagsForm = h('form', { class: 'inline', id: 'tags-form' },
      field('note-tags', t('notes.tags'), tagsInput),
      h('button', { type: 'submit', class: 'secondary' }, t('notes.saveTags')),
    );
    tagsForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const tags = tagsInput.value.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
      void change(() => api('PUT', `${base}/tags`, { tags }), t('notes.tagsSaved'), tagsForm);
    });
    const list = view.notes.length === 0
      ? h('p', { id: 'notes-none' }, t('notes.none'))
      : h('ul', { class: 'note-list', id: 'notes' }, ...view.notes.map((note) => {
          const when = formatTime(note.createdAt);
          const remove = h('button', { type: 'button', class: 'secondary remove-note', 'aria-label': t('notes.removeLabel', { author: note.authorName, time: when }) }, t('notes.remove'));
          remove.addEventListener('click', () => void change(() => api('DELETE', `${base}/notes/${encodeURIComponent(note.id)}`), t('notes.removed')));
          return h('li', { class: 'note' }, h('p', { class: 'note-by' }, t('notes.by', { author: note.authorName, time: when })), h('p', { class: 'note-text' }, note.text), remove);
        }));
    const text = h('textarea', { name: 'text', rows: '3', maxlength: '2000', required: true });
    const noteForm = h('form', { id: 'note-form' }, field('note-text', t('notes.new'), text), h('button', { type: 'submit' }, t('notes.add')));
    noteForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void change(() => api('POST', `${base}/notes`, { text: text.value }), t('notes.added'), noteForm);
    });
    replaceKeepingTyped(section, sent,
      h('h2', { id: 'notes-title' }, t('notes.title')),
      h('p', { class: 'hint' }, t('notes.help')),
      view.tags.length === 0 ? h('p', { id: 'tag-list' }, t('notes.noTags')) : h('ul', { class: 'tags', id: 'tag-list', 'aria-label': t('notes.tags') }, ...view.tags.map((tag) => h('li', { class: 'badge' }, h('a', { href: `#/calls?tag=${encodeURIComponent(tag)}`, title: t('search.byTag', { tag }) }, tag)))),
      tagsForm,
      list,
      noteForm,
      message,
    );
  };
  draw(await api<NotesView>('GET', `${base}/notes`), null);
  return section;
}
