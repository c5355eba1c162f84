// The strings of the notes and tags on a call's page.
export const fi = {
  'notes.title': 'Muistiinpanot ja tunnisteet', 'notes.none': 'Ei muistiinpanoja.',
  'notes.tags': 'Tunnisteet (pilkuilla erotettuina)', 'notes.saveTags': 'Tallenna tunnisteet', 'notes.tagsSaved': 'Tunnisteet tallennettu.', 'notes.noTags': 'Ei tunnisteita.',
  'notes.new': 'Uusi muistiinpano', 'notes.add': 'Lisää muistiinpano', 'notes.added': 'Muistiinpano lisätty.',
  'notes.remove': 'Poista', 'notes.removeLabel': 'Poista muistiinpano, jonka kirjoitti {author} {time}', 'notes.removed': 'Muistiinpano poistettu.',
  'notes.by': '{author}, {time}', 'notes.help': 'Näkyvät kaikille, jotka saavat nähdä tämän puhelun, ja poistuvat puhelun mukana säilytysajan päätyttyä.',
  'error.NOTE_NOT_FOUND': 'Muistiinpanoa ei löydy: joku on ehkä jo poistanut sen.', 'error.NOTES_FULL': 'Puhelulla on jo enimmäismäärä muistiinpanoja.',
  'action.call.notes.view': 'puhelun muistiinpanot luettu', 'action.call.note.add': 'muistiinpano lisätty', 'action.call.note.remove': 'muistiinpano poistettu', 'action.call.tags.change': 'tunnisteet muutettu',
} as const;

export const en: Record<keyof typeof fi, string> = {
  'notes.title': 'Notes and tags', 'notes.none': 'No notes.',
  'notes.tags': 'Tags (comma-separated)', 'notes.saveTags': 'Save tags', 'notes.tagsSaved': 'Tags saved.', 'notes.noTags': 'No tags.',
  'notes.new': 'New note', 'notes.add': 'Add note', 'notes.added': 'Note added.',
  'notes.remove': 'Remove', 'notes.removeLabel': 'Remove the note {author} wrote {time}', 'notes.removed': 'Note removed.',
  'notes.by': '{author}, {time}', 'notes.help': 'Seen by everyone who may see this call, and destroyed with the call when its retention ends.',
  'error.NOTE_NOT_FOUND': 'No such note: someone may have removed it already.', 'error.NOTES_FULL': 'The call already has the most notes it can hold.',
  'action.call.notes.view': 'call notes read', 'action.call.note.add': 'note added', 'action.call.note.remove': 'note removed', 'action.call.tags.change': 'tags changed',
};
