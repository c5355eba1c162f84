/** A receiver's transport, built from its settings: sends one message, or fails with a coded error. */
import type { AlarmMessage } from '../alarm-message.js';

export interface AlarmSender {
  send(message: AlarmMessage): Promise<void>;
  close(): void;
}

/** How long one send may take before it counts as failed (a dead receiver must not hold the queue). */
export const SEND_TIMEOUT_MS = 15_000;
