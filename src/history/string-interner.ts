/**
 * Interned strings with reference counts: the history index keeps one copy of each caller,
 * service number, extension, agent name and day, and a small integer per record in its place.
 * An id whose last record is purged is freed and reused, so purged callers do not stay in memory.
 */
export class StringInterner {
  private readonly ids = new Map<string, number>();
  private readonly values: Array<string | undefined> = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];

  /** The id of `value`, taking one reference. */
  acquire(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.free.pop() ?? this.values.length;
      this.ids.set(value, id);
      this.values[id] = value;
      this.refs[id] = 0;
    }
    this.refs[id] = (this.refs[id] ?? 0) + 1;
    return id;
  }

  /** Gives back one reference; the string is forgotten with its last one. */
  release(id: number): void {
    const left = (this.refs[id] ?? 0) - 1;
    this.refs[id] = left;
    if (left > 0) return;
    const value = this.values[id];
    if (value !== undefined) this.ids.delete(value);
    this.values[id] = undefined;
    this.free.push(id);
  }

  /** The id of `value` without taking a reference; undefined when no record holds it. */
  idOf(value: string): number | undefined {
    return this.ids.get(value);
  }

  valueOf(id: number): string | undefined {
    return this.values[id];
  }

  /** One past the largest id ever given: the size of a per-id lookup table. */
  get capacity(): number {
    return this.values.length;
  }

  get size(): number {
    return this.ids.size;
  }
}
