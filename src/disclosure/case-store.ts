/**
 * The cases of the registrar's desk, one encrypted document each (`documents/cases/<id>.tdoc`,
 * through the document store like every other document). A box has tens of cases a year, not
 * thousands: all are read at start and kept in memory; every change is written through before
 * the desk answers. A change reads the case and writes it back across awaits (the audit entry
 * comes first), so changes of one case run one at a time (`exclusive`): two quick steps of the
 * registrar, or a step and the overdue reminder, must not undo each other.
 */
import { Mutex } from 'async-mutex';
import type { DocumentStore } from '../storage/document-store.js';
import { AppError } from '../errors.js';
import type { DisclosureCase } from './case-record.js';

const PREFIX = 'cases/';

export class CaseStore {
  private readonly cases = new Map<string, DisclosureCase>();
  private readonly locks = new Map<string, Mutex>();

  private constructor(private readonly documents: DocumentStore) {}

  static async open(documents: DocumentStore): Promise<CaseStore> {
    const store = new CaseStore(documents);
    for (const name of await documents.list(PREFIX)) {
      const record = await documents.readDocument<DisclosureCase>(name);
      if (record !== null) store.cases.set(record.id, record);
    }
    return store;
  }

  all(): readonly DisclosureCase[] {
    return [...this.cases.values()];
  }

  get(id: string): DisclosureCase | undefined {
    return this.cases.get(id);
  }

  /** Throws CASE_NOT_FOUND. */
  require(id: string): DisclosureCase {
    const record = this.cases.get(id);
    if (record === undefined) throw new AppError('CASE_NOT_FOUND', 'no such case');
    return record;
  }

  /** Runs `work` (which reads the case and saves it) once every earlier change of case `id` is written. */
  async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(id);
    if (lock === undefined) {
      lock = new Mutex();
      this.locks.set(id, lock);
    }
    return lock.runExclusive(work);
  }

  /** Writes the case durably; memory changes only once the file has it. */
  async save(record: DisclosureCase): Promise<DisclosureCase> {
    const doc = await this.documents.openDocument<DisclosureCase>(PREFIX + record.id, record);
    const before = doc.data;
    doc.data = record;
    try {
      await doc.write();
    } catch (err) {
      doc.data = before;
      throw err;
    }
    await this.documents.close(PREFIX + record.id);
    this.cases.set(record.id, record);
    return record;
  }

  /** Destroys a case's document (its retention has passed). */
  async remove(id: string): Promise<void> {
    await this.documents.remove(PREFIX + id);
    this.cases.delete(id);
    this.locks.delete(id);
  }
}
