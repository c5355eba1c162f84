/**
 * The agent directory: which agent answers at which extension (P3 keeps the answering agent's
 * name and phone number with every call). The card reports only the extension.
 */
import { AppError } from '../errors.js';
import type { AgentEntry } from '../config/config-schema.js';
import { normalizePhoneNumber } from './phone-number.js';

export interface Agent {
  readonly extension: string;
  readonly name: string;
  /** E.164 where the number is valid in the plan. */
  readonly phone: string;
}

export class AgentDirectory {
  private byExtension = new Map<string, Agent>();

  constructor(entries: readonly AgentEntry[], private readonly defaultRegion: string) {
    this.replace(entries);
  }

  /** Replaces the whole directory (an administrator's change); nothing changes if any entry is invalid. */
  replace(entries: readonly AgentEntry[]): void {
    const next = new Map<string, Agent>();
    for (const entry of entries) {
      if (next.has(entry.extension)) {
        throw new AppError('AGENT_DIRECTORY_INVALID', `extension ${entry.extension} is listed twice in the agent directory`);
      }
      const phone = normalizePhoneNumber(entry.phone, this.defaultRegion);
      if (phone === null) throw new AppError('AGENT_DIRECTORY_INVALID', `extension ${entry.extension} has no phone number`);
      next.set(entry.extension, Object.freeze({ extension: entry.extension, name: entry.name.trim(), phone }));
    }
    this.byExtension = next;
  }

  entries(): Agent[] {
    return [...this.byExtension.values()].sort((a, b) => a.extension.localeCompare(b.extension));
  }

  /** The agent at an extension, or undefined when the extension is not in the directory. */
  lookup(extension: string): Agent | undefined {
    return this.byExtension.get(extension);
  }

  get size(): number {
    return this.byExtension.size;
  }
}
