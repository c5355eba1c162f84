/**
 * Notes and tags on a call, kept in the call's day document beside its contact record: the
 * purge that destroys the record destroys them with it (P7), and they are encrypted the same way.
 */
export interface CallNote {
  readonly id: string;
  readonly text: string;
  readonly authorId: string;
  /** The author's name when the note was written (a name shown beside the note, not looked up). */
  readonly authorName: string;
  readonly createdAt: string;
}

export interface CallAnnotations {
  readonly notes: readonly CallNote[];
  /** Lower-case, each at most once, in the order added. */
  readonly tags: readonly string[];
}

export const NO_ANNOTATIONS: CallAnnotations = Object.freeze({ notes: [], tags: [] });
