/**
 * Unique string ids (call ids, recording ids) per slot of the history index, looked up in O(1).
 * Lower-case UUIDs, which the service generates, are kept as 16 bytes in one typed array and
 * found through an open-addressing table of slot numbers: 180,000 of them cost about 4 MB
 * instead of a Map of 180,000 strings (about 15 MB). Any other id (imported data, tests) goes
 * into an ordinary Map.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMPTY = 0;
const DELETED = -1;
const KIND_NONE = 0;
const KIND_UUID = 1;
const KIND_OTHER = 2;

export class IdTable {
  private bytes: Uint8Array;
  private kinds: Uint8Array;
  /** slot + 1, EMPTY or DELETED; its size is a power of two kept above twice the ids in it. */
  private table = new Int32Array(1024);
  private used = 0;
  private deleted = 0;
  private readonly others = new Map<string, number>();
  private readonly otherBySlot = new Map<number, string>();
  private readonly scratch = new Uint8Array(16);

  constructor(slots: number) {
    this.bytes = new Uint8Array(slots * 16);
    this.kinds = new Uint8Array(slots);
  }

  /** Grows the per-slot storage to `slots` (the index calls this when it grows). */
  resize(slots: number): void {
    const bytes = new Uint8Array(slots * 16);
    bytes.set(this.bytes.subarray(0, Math.min(this.bytes.length, bytes.length)));
    const kinds = new Uint8Array(slots);
    kinds.set(this.kinds.subarray(0, Math.min(this.kinds.length, slots)));
    this.bytes = bytes;
    this.kinds = kinds;
  }

  set(slot: number, id: string): void {
    if (!parseUuid(id, this.bytes, slot * 16)) {
      this.kinds[slot] = KIND_OTHER;
      this.others.set(id, slot);
      this.otherBySlot.set(slot, id);
      return;
    }
    this.kinds[slot] = KIND_UUID;
    if ((this.used + this.deleted + 1) * 2 > this.table.length) this.rehash();
    const mask = this.table.length - 1;
    let at = hashAt(this.bytes, slot * 16) & mask;
    while (this.table[at] !== EMPTY && this.table[at] !== DELETED) at = (at + 1) & mask;
    if (this.table[at] === DELETED) this.deleted--;
    this.table[at] = slot + 1;
    this.used++;
  }

  clear(slot: number): void {
    const kind = this.kinds[slot];
    this.kinds[slot] = KIND_NONE;
    if (kind === KIND_OTHER) {
      const id = this.otherBySlot.get(slot);
      this.otherBySlot.delete(slot);
      if (id !== undefined) this.others.delete(id);
    } else if (kind === KIND_UUID) {
      const at = this.position(this.bytes, slot * 16);
      if (at >= 0) {
        this.table[at] = DELETED;
        this.used--;
        this.deleted++;
      }
    }
  }

  /** The slot holding `id`, or -1. */
  find(id: string): number {
    if (!parseUuid(id, this.scratch, 0)) return this.others.get(id) ?? -1;
    const at = this.position(this.scratch, 0);
    return at < 0 ? -1 : (this.table[at] as number) - 1;
  }

  /** The id of a slot, or null when it has none. */
  get(slot: number): string | null {
    const kind = this.kinds[slot];
    if (kind === KIND_OTHER) return this.otherBySlot.get(slot) ?? null;
    if (kind !== KIND_UUID) return null;
    return formatUuid(this.bytes, slot * 16);
  }

  /** Bytes held, for the memory figures. */
  get byteLength(): number {
    return this.bytes.byteLength + this.kinds.byteLength + this.table.byteLength;
  }

  private position(source: Uint8Array, offset: number): number {
    const mask = this.table.length - 1;
    for (let at = hashAt(source, offset) & mask; ; at = (at + 1) & mask) {
      const entry = this.table[at] as number;
      if (entry === EMPTY) return -1;
      if (entry !== DELETED && sameBytes(this.bytes, (entry - 1) * 16, source, offset)) return at;
    }
  }

  private rehash(): void {
    let size = this.table.length;
    while ((this.used + 1) * 4 > size) size *= 2;
    const old = this.table;
    this.table = new Int32Array(size);
    this.deleted = 0;
    const mask = size - 1;
    for (const entry of old) {
      if (entry === EMPTY || entry === DELETED) continue;
      let at = hashAt(this.bytes, (entry - 1) * 16) & mask;
      while (this.table[at] !== EMPTY) at = (at + 1) & mask;
      this.table[at] = entry;
    }
  }
}

function hashAt(bytes: Uint8Array, offset: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ (bytes[offset + i] as number), 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): boolean {
  for (let i = 0; i < 16; i++) if (a[aOffset + i] !== b[bOffset + i]) return false;
  return true;
}

function hexValue(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

/** Writes the 16 bytes of a lower-case UUID at `offset`; false (nothing written) for anything else. */
function parseUuid(id: string, into: Uint8Array, offset: number): boolean {
  if (id.length !== 36 || !UUID.test(id)) return false;
  let at = offset;
  for (let i = 0; i < 36; i += 2) {
    if (id.charCodeAt(i) === 45) i -= 1;
    else into[at++] = (hexValue(id.charCodeAt(i)) << 4) | hexValue(id.charCodeAt(i + 1));
  }
  return true;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function formatUuid(bytes: Uint8Array, offset: number): string {
  const h = (i: number): string => HEX[bytes[offset + i] as number] as string;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}
