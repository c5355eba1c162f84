/**
 * The compact search index of the contact history: one slot per record, its searchable fields
 * in typed arrays (times as numbers, phone numbers, extensions, agent names and days as
 * interned ids, call and recording ids as 16 bytes), so 180,000 records cost a few MB instead
 * of 180,000 objects. Searches run here and name the slots of the page; only the day documents
 * holding those slots are then read (contact-history.ts).
 *
 * Order: by start time, ties in the order the records stand in their day document (which is
 * the order a plain scan of the documents gives).
 */
import { dayKeyOf, type ContactRecord, type EndReason, type RecordingState } from './contact-record.js';
import { IdTable } from './id-table.js';
import { StringInterner } from './string-interner.js';

const NONE = -1;
const LIVE = 1;
const OPEN = 2;
const RECORDED = 4;
const RESUMED = 8;
/** The record can be rebuilt from the index exactly as stored, so showing it reads no day document. */
const EXACT = 16;
const RECORDING_STATES: readonly RecordingState[] = ['not-recorded', 'recording', 'completed', 'interrupted', 'failed'];
const END_REASONS: readonly EndReason[] = ['completed', 'abnormal', 'link-lost', 'bridge-restarted', 'end-signal-lost', 'service-stopped'];
const NO_END_REASON = 255;
/** The fields of a contact record, in their order: a record with any other field is not rebuilt. */
const RECORD_FIELDS = 13;
const INITIAL_SLOTS = 1024;

export interface IndexQuery {
  /** Inclusive lower bound on the start time, ms UTC. */
  readonly fromMs?: number;
  /** Exclusive upper bound on the start time, ms UTC. */
  readonly toMs?: number;
  /** E.164, as stored; null for the calls whose caller withheld the number. */
  readonly callerNumber?: string | null;
  /** null for the calls without a service number. */
  readonly serviceNumber?: string | null;
  /** Only calls answered at one of these extensions (an agent's own calls). */
  readonly extensions?: ReadonlySet<string>;
  /** An extension, or part of an agent's name; compared in lower case. */
  readonly agent?: string;
  readonly recordedOnly?: boolean;
  /** Bounds on the call's length in ms, inclusive; a call without an end has no length and fails them. */
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  /** Only calls without an end (in progress, or left open by a crash). */
  readonly openOnly?: boolean;
  readonly recordingId?: string;
  /** Only calls with this tag (lower case, as stored). */
  readonly tag?: string;
}

export interface IndexPage {
  /** Records matching, on all pages. */
  readonly total: number;
  /** The slots of the page, in the order asked for. */
  readonly slots: readonly number[];
}

interface DaySlots {
  readonly slots: number[];
  sorted: boolean;
}

export class HistoryIndex {
  private capacity = INITIAL_SLOTS;
  private startMs = new Float64Array(INITIAL_SLOTS);
  /** Order of arrival; breaks ties of start time within a day as the day document does. */
  private seq = new Uint32Array(INITIAL_SLOTS);
  /** NaN while the call has no end. */
  private endMs = new Float64Array(INITIAL_SLOTS);
  private agentPhone = new Int32Array(INITIAL_SLOTS);
  private channel = new Int16Array(INITIAL_SLOTS);
  private recordingState = new Uint8Array(INITIAL_SLOTS);
  private endReason = new Uint8Array(INITIAL_SLOTS);
  private flags = new Uint8Array(INITIAL_SLOTS);
  private day = new Int32Array(INITIAL_SLOTS);
  private caller = new Int32Array(INITIAL_SLOTS);
  private service = new Int32Array(INITIAL_SLOTS);
  private extension = new Int32Array(INITIAL_SLOTS);
  private agentName = new Int32Array(INITIAL_SLOTS);
  /** The caller's slots as a doubly linked list: a caller search never scans other records. */
  private callerNext = new Int32Array(INITIAL_SLOTS);
  private callerPrev = new Int32Array(INITIAL_SLOTS);
  private callerHead = new Int32Array(256).fill(NONE);
  private readonly callIds = new IdTable(INITIAL_SLOTS);
  private readonly recordingIds = new IdTable(INITIAL_SLOTS);
  private readonly callers = new StringInterner();
  private readonly services = new StringInterner();
  private readonly extensions = new StringInterner();
  private readonly agentNames = new StringInterner();
  private readonly agentPhones = new StringInterner();
  private readonly days = new StringInterner();
  /** Slots per day id; day keys sorted for range walks. */
  private readonly daySlots = new Map<number, DaySlots>();
  private sortedDays: string[] | null = [];
  /** The slots of each tag, and the tags of each tagged slot (a few calls are tagged, not all). */
  private readonly tagSlots = new Map<string, Set<number>>();
  private readonly slotTags = new Map<number, readonly string[]>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private nextSeq = 0;
  private live = 0;
  private openCount = 0;

  get size(): number {
    return this.live;
  }

  /** Calls without an end right now. */
  get openCalls(): number {
    return this.openCount;
  }

  /** Bytes held by the typed arrays (strings and maps not counted), for the memory figures. */
  get typedBytes(): number {
    const perSlot = [this.startMs, this.seq, this.endMs, this.agentPhone, this.channel, this.recordingState, this.endReason, this.flags, this.day, this.caller, this.service, this.extension, this.agentName, this.callerNext, this.callerPrev];
    return perSlot.reduce((sum, array) => sum + array.byteLength, 0) + this.callIds.byteLength + this.recordingIds.byteLength;
  }

  add(record: ContactRecord): number {
    const slot = this.freeSlots.pop() ?? this.newSlot();
    this.startMs[slot] = Date.parse(record.startedAt);
    this.seq[slot] = this.nextSeq++;
    const dayKey = dayKeyOf(record.startedAt);
    const known = this.days.idOf(dayKey) !== undefined;
    const dayId = this.days.acquire(dayKey);
    this.day[slot] = dayId;
    if (!known) this.sortedDays = null;
    let list = this.daySlots.get(dayId);
    if (list === undefined) this.daySlots.set(dayId, (list = { slots: [], sorted: true }));
    const last = list.slots[list.slots.length - 1];
    if (last !== undefined && this.before(slot, last)) list.sorted = false;
    list.slots.push(slot);
    this.callIds.set(slot, record.callId);
    this.setFields(slot, record);
    this.live++;
    return slot;
  }

  /** Brings a slot up to date after its record changed (end, recording state...). */
  update(slot: number, record: ContactRecord): void {
    this.clearFields(slot);
    this.setFields(slot, record);
  }

  /** Sets the tags of a slot's call (as stored: lower case, each once). */
  setTags(slot: number, tags: readonly string[]): void {
    for (const tag of this.slotTags.get(slot) ?? []) {
      const slots = this.tagSlots.get(tag);
      slots?.delete(slot);
      if (slots?.size === 0) this.tagSlots.delete(tag);
    }
    this.slotTags.delete(slot);
    if (tags.length === 0) return;
    this.slotTags.set(slot, [...tags]);
    for (const tag of tags) {
      const slots = this.tagSlots.get(tag) ?? new Set<number>();
      slots.add(slot);
      this.tagSlots.set(tag, slots);
    }
  }

  remove(slot: number): void {
    if (((this.flags[slot] as number) & LIVE) === 0) return;
    this.setTags(slot, []);
    this.clearFields(slot);
    this.callIds.clear(slot);
    const dayId = this.day[slot] as number;
    const list = this.daySlots.get(dayId);
    if (list !== undefined) {
      const at = list.slots.indexOf(slot);
      if (at >= 0) list.slots.splice(at, 1);
      if (list.slots.length === 0) this.daySlots.delete(dayId);
    }
    const dayKey = this.days.valueOf(dayId);
    this.days.release(dayId);
    if (dayKey !== undefined && this.days.idOf(dayKey) === undefined) this.sortedDays = null;
    this.flags[slot] = 0;
    this.live--;
    this.freeSlots.push(slot);
  }

  /** The slot of a call id, or -1. */
  slotOf(callId: string): number {
    return this.callIds.find(callId);
  }

  /**
   * The record of a slot rebuilt from the index, equal to the stored one; undefined when it
   * cannot be (a time not in toISOString form, an unknown field): then its day is read.
   */
  record(slot: number): ContactRecord | undefined {
    const flags = this.flags[slot] as number;
    if ((flags & EXACT) === 0) return undefined;
    const text = (interner: StringInterner, id: number): string | null => (id === NONE ? null : (interner.valueOf(id) as string));
    const reason = this.endReason[slot] as number;
    return {
      callId: this.callIds.get(slot) as string,
      startedAt: new Date(this.startMs[slot] as number).toISOString(),
      endedAt: (flags & OPEN) !== 0 ? null : new Date(this.endMs[slot] as number).toISOString(),
      callerNumber: text(this.callers, this.caller[slot] as number),
      serviceNumber: text(this.services, this.service[slot] as number),
      agentExtension: this.extensions.valueOf(this.extension[slot] as number) as string,
      agentName: text(this.agentNames, this.agentName[slot] as number),
      agentPhone: text(this.agentPhones, this.agentPhone[slot] as number),
      channel: this.channel[slot] as number,
      recordingId: this.recordingIds.get(slot),
      recordingState: RECORDING_STATES[this.recordingState[slot] as number] as RecordingState,
      endReason: reason === NO_END_REASON ? null : (END_REASONS[reason] as EndReason),
      resumed: (flags & RESUMED) !== 0,
    };
  }

  callIdOf(slot: number): string {
    return this.callIds.get(slot) as string;
  }

  dayOf(slot: number): string {
    return this.days.valueOf(this.day[slot] as number) as string;
  }

  /** Days holding at least one record, oldest first. */
  dayKeys(): readonly string[] {
    if (this.sortedDays === null) {
      this.sortedDays = [...this.daySlots.keys()].map((id) => this.days.valueOf(id) as string).sort();
    }
    return this.sortedDays;
  }

  /**
   * The records matching `query`, counted, and the slots of one page of them: `offset` records
   * skipped in the order asked for, then at most `limit`.
   */
  search(query: IndexQuery, order: 'asc' | 'desc' = 'asc', offset = 0, limit = Number.POSITIVE_INFINITY): IndexPage {
    const test = this.matcher(query);
    const page: number[] = [];
    let total = 0;
    const take = (slot: number): void => {
      if (!test(slot)) return;
      if (total >= offset && page.length < limit) page.push(slot);
      total++;
    };
    if (query.recordingId !== undefined) {
      const slot = this.recordingIds.find(query.recordingId);
      if (slot >= 0) take(slot);
    } else if (typeof query.callerNumber === 'string') {
      const callerId = this.callers.idOf(query.callerNumber);
      const slots: number[] = [];
      if (callerId !== undefined) for (let slot = this.callerHead[callerId] as number; slot !== NONE; slot = this.callerNext[slot] as number) slots.push(slot);
      slots.sort((a, b) => this.compare(a, b));
      if (order === 'desc') slots.reverse();
      for (const slot of slots) take(slot);
    } else {
      const days = this.dayKeys();
      const fromDay = query.fromMs === undefined ? undefined : dayKeyOf(new Date(query.fromMs).toISOString());
      const toDay = query.toMs === undefined ? undefined : dayKeyOf(new Date(query.toMs).toISOString());
      for (let i = 0; i < days.length; i++) {
        const dayKey = days[order === 'asc' ? i : days.length - 1 - i] as string;
        if ((fromDay !== undefined && dayKey < fromDay) || (toDay !== undefined && dayKey > toDay)) continue;
        const slots = this.sortedSlotsOf(dayKey);
        if (order === 'asc') for (let j = 0; j < slots.length; j++) take(slots[j] as number);
        else for (let j = slots.length - 1; j >= 0; j--) take(slots[j] as number);
      }
    }
    return { total, slots: page };
  }

  private matcher(query: IndexQuery): (slot: number) => boolean {
    const { fromMs, toMs, minDurationMs, maxDurationMs } = query;
    const durationOk =
      minDurationMs === undefined && maxDurationMs === undefined
        ? undefined
        : (slot: number): boolean => {
            // NaN (no end yet) fails both comparisons: an ongoing call is never of a length asked for.
            const length = (this.endMs[slot] as number) - (this.startMs[slot] as number);
            return length >= (minDurationMs ?? 0) && length <= (maxDurationMs ?? Number.POSITIVE_INFINITY);
          };
    // null asks for records without the field (NONE); a value no record holds matches nothing (-2).
    const id = (interner: StringInterner, value: string | null | undefined): number | undefined =>
      value === undefined ? undefined : value === null ? NONE : (interner.idOf(value) ?? -2);
    const callerId = id(this.callers, query.callerNumber);
    const serviceId = id(this.services, query.serviceNumber);
    const required = LIVE | (query.openOnly === true ? OPEN : 0) | (query.recordedOnly === true ? RECORDED : 0);
    // Extension and agent filters become tables over the few interned ids, decided once per search.
    const ownExtensions = query.extensions === undefined ? undefined : this.extensionTable((extension) => query.extensions?.has(extension) === true);
    const agent = query.agent === undefined || query.agent === '' ? undefined : query.agent;
    const agentExtensions = agent === undefined ? undefined : this.extensionTable((extension) => extension === agent);
    const agentNames = agent === undefined ? undefined : this.nameTable((name) => name.toLowerCase().includes(agent));
    const tagged = query.tag === undefined ? undefined : (this.tagSlots.get(query.tag) ?? new Set<number>());
    return (slot) =>
      ((this.flags[slot] as number) & required) === required &&
      (tagged === undefined || tagged.has(slot)) &&
      (fromMs === undefined || (this.startMs[slot] as number) >= fromMs) &&
      (toMs === undefined || (this.startMs[slot] as number) < toMs) &&
      (callerId === undefined || this.caller[slot] === callerId) &&
      (serviceId === undefined || this.service[slot] === serviceId) &&
      (durationOk === undefined || durationOk(slot)) &&
      (ownExtensions === undefined || ownExtensions[this.extension[slot] as number] === 1) &&
      (agentExtensions === undefined ||
        agentExtensions[this.extension[slot] as number] === 1 ||
        (this.agentName[slot] !== NONE && (agentNames as Uint8Array)[this.agentName[slot] as number] === 1));
  }

  private extensionTable(wanted: (extension: string) => boolean): Uint8Array {
    const table = new Uint8Array(this.extensions.capacity);
    for (let id = 0; id < table.length; id++) {
      const value = this.extensions.valueOf(id);
      if (value !== undefined && wanted(value)) table[id] = 1;
    }
    return table;
  }

  private nameTable(wanted: (name: string) => boolean): Uint8Array {
    const table = new Uint8Array(this.agentNames.capacity);
    for (let id = 0; id < table.length; id++) {
      const value = this.agentNames.valueOf(id);
      if (value !== undefined && wanted(value)) table[id] = 1;
    }
    return table;
  }

  private sortedSlotsOf(dayKey: string): readonly number[] {
    const list = this.daySlots.get(this.days.idOf(dayKey) as number) as DaySlots;
    if (!list.sorted) {
      list.slots.sort((a, b) => this.compare(a, b));
      list.sorted = true;
    }
    return list.slots;
  }

  private compare(a: number, b: number): number {
    return (this.startMs[a] as number) - (this.startMs[b] as number) || (this.seq[a] as number) - (this.seq[b] as number);
  }

  private before(a: number, b: number): boolean {
    return this.compare(a, b) < 0;
  }

  private setFields(slot: number, record: ContactRecord): void {
    const intern = (interner: StringInterner, value: string | null): number => (value === null ? NONE : interner.acquire(value));
    this.caller[slot] = intern(this.callers, record.callerNumber);
    this.service[slot] = intern(this.services, record.serviceNumber);
    this.extension[slot] = this.extensions.acquire(record.agentExtension);
    this.agentName[slot] = intern(this.agentNames, record.agentName);
    this.agentPhone[slot] = intern(this.agentPhones, record.agentPhone);
    if (record.recordingId !== null) this.recordingIds.set(slot, record.recordingId);
    const open = record.endedAt === null;
    if (open) this.openCount++;
    this.endMs[slot] = open ? Number.NaN : Date.parse(record.endedAt);
    this.channel[slot] = record.channel;
    const state = RECORDING_STATES.indexOf(record.recordingState);
    const reason = record.endReason === null ? NO_END_REASON : END_REASONS.indexOf(record.endReason);
    this.recordingState[slot] = Math.max(0, state);
    this.endReason[slot] = Math.max(0, reason);
    const exact =
      Object.keys(record).length === RECORD_FIELDS &&
      isoOf(this.startMs[slot] as number) === record.startedAt &&
      (open || isoOf(this.endMs[slot] as number) === record.endedAt) &&
      this.channel[slot] === record.channel &&
      state >= 0 &&
      reason >= 0 &&
      typeof record.resumed === 'boolean';
    this.flags[slot] = LIVE | (open ? OPEN : 0) | (record.recordingId !== null ? RECORDED : 0) | (record.resumed === true ? RESUMED : 0) | (exact ? EXACT : 0);
    const callerId = this.caller[slot] as number;
    if (callerId !== NONE) {
      if (callerId >= this.callerHead.length) {
        const heads = new Int32Array(Math.max(callerId + 1, this.callerHead.length * 2)).fill(NONE);
        heads.set(this.callerHead);
        this.callerHead = heads;
      }
      const head = this.callerHead[callerId] as number;
      this.callerNext[slot] = head;
      this.callerPrev[slot] = NONE;
      if (head !== NONE) this.callerPrev[head] = slot;
      this.callerHead[callerId] = slot;
    }
  }

  private clearFields(slot: number): void {
    const callerId = this.caller[slot] as number;
    if (callerId !== NONE) {
      const next = this.callerNext[slot] as number;
      const prev = this.callerPrev[slot] as number;
      if (prev === NONE) this.callerHead[callerId] = next;
      else this.callerNext[prev] = next;
      if (next !== NONE) this.callerPrev[next] = prev;
      this.callers.release(callerId);
    }
    if (this.service[slot] !== NONE) this.services.release(this.service[slot] as number);
    this.extensions.release(this.extension[slot] as number);
    if (this.agentName[slot] !== NONE) this.agentNames.release(this.agentName[slot] as number);
    if (this.agentPhone[slot] !== NONE) this.agentPhones.release(this.agentPhone[slot] as number);
    if (((this.flags[slot] as number) & RECORDED) !== 0) this.recordingIds.clear(slot);
    if (((this.flags[slot] as number) & OPEN) !== 0) this.openCount--;
    this.caller[slot] = NONE;
    this.service[slot] = NONE;
    this.agentName[slot] = NONE;
    this.agentPhone[slot] = NONE;
    this.flags[slot] = LIVE;
  }

  /** Slots the arrays have room for (records and free slots included). */
  get slotCapacity(): number {
    return this.capacity;
  }

  /**
   * Makes room for `slots` records at once, when more than the arrays hold: the start's build
   * knows roughly how many records are coming, and one step to the right size leaves neither
   * the spare half of a growth by half nor the discarded copies of every step before it
   * (they stay resident until V8 collects them).
   */
  reserve(slots: number): void {
    if (slots > this.capacity) this.resize(Math.ceil(slots));
  }

  private newSlot(): number {
    // By half: doubling would leave up to half of 180,000 slots' worth of arrays unused.
    if (this.nextSlot === this.capacity) this.resize(Math.ceil(this.capacity * 1.5));
    return this.nextSlot++;
  }

  private resize(capacity: number): void {
    const grown = <T extends Float64Array | Uint32Array | Int32Array | Int16Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.startMs = grown(this.startMs, (n) => new Float64Array(n));
    this.seq = grown(this.seq, (n) => new Uint32Array(n));
    this.endMs = grown(this.endMs, (n) => new Float64Array(n));
    this.agentPhone = grown(this.agentPhone, (n) => new Int32Array(n));
    this.channel = grown(this.channel, (n) => new Int16Array(n));
    this.recordingState = grown(this.recordingState, (n) => new Uint8Array(n));
    this.endReason = grown(this.endReason, (n) => new Uint8Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.day = grown(this.day, (n) => new Int32Array(n));
    this.caller = grown(this.caller, (n) => new Int32Array(n));
    this.service = grown(this.service, (n) => new Int32Array(n));
    this.extension = grown(this.extension, (n) => new Int32Array(n));
    this.agentName = grown(this.agentName, (n) => new Int32Array(n));
    this.callerNext = grown(this.callerNext, (n) => new Int32Array(n));
    this.callerPrev = grown(this.callerPrev, (n) => new Int32Array(n));
    this.callIds.resize(capacity);
    this.recordingIds.resize(capacity);
    this.capacity = capacity;
  }
}

/** The ISO form a stored time must have to be rebuilt from its number (NaN: none). */
function isoOf(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
