/**
 * The contact history as the capture thread sees it: each add or update is a message to the main
 * thread, which owns the history (its day documents and its search index) and writes the record
 * durably; the promise settles when the main thread answers. A call's chain in the tracker waits
 * for it, as it waited for the local write before, while that call's audio is buffered.
 */
import { AppError } from '../errors.js';
import type { ContactRecordSink } from '../calls/call-tracker.js';
import type { ContactRecord } from '../history/contact-record.js';
import type { CaptureControl, CaptureEvent, CapturePort } from './capture-messages.js';

export class RemoteHistory implements ContactRecordSink {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  constructor(private readonly port: CapturePort<CaptureControl, CaptureEvent>) {}

  add(record: ContactRecord): Promise<void> {
    return this.ask((id) => ({ type: 'history-add', id, record }));
  }

  update(callId: string, startedAt: string, patch: Partial<Omit<ContactRecord, 'callId' | 'startedAt'>>): Promise<void> {
    return this.ask((id) => ({ type: 'history-update', id, callId, startedAt, patch }));
  }

  /** The main thread's answer to a request: written, or the error code it failed with. */
  settle(id: number, error: string | null): void {
    const waiter = this.waiting.get(id);
    if (waiter === undefined) return;
    this.waiting.delete(id);
    if (error === null) waiter.resolve();
    else waiter.reject(new AppError(error, 'the contact record could not be written'));
  }

  private ask(message: (id: number) => CaptureEvent): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.port.postMessage(message(id));
    });
  }
}
