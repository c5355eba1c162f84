/**
 * The settings administrators change while the box runs: the agent directory (P3), the recorded
 * service numbers (P4) and the retention (P7, at most 3 months). They live in the encrypted
 * document `config/call-settings`; the config file only seeds them at the first start. A change
 * is validated whole and takes effect for the next call (and the next purge).
 */
import type { Low } from 'lowdb';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { agentSchema, MAX_RETENTION_MONTHS, type Config } from '../config/config-schema.js';
import { AgentDirectory } from './agent-directory.js';
import { RecordingRules } from './recording-rules.js';

export const callSettingsSchema = z
  .object({
    agents: z.array(agentSchema).max(5000),
    recordedServiceNumbers: z.array(z.string().min(3).max(32)).max(500),
    retentionMonths: z.number().int().min(1).max(MAX_RETENTION_MONTHS),
  })
  .strict();

export type CallSettingsData = z.infer<typeof callSettingsSchema>;

interface SettingsDocument {
  version: 1;
  settings: CallSettingsData | null;
}

export class CallSettings {
  readonly agents: AgentDirectory;
  readonly rules: RecordingRules;

  private constructor(private readonly doc: Low<SettingsDocument>, defaultRegion: string) {
    const settings = doc.data.settings!;
    this.agents = new AgentDirectory(settings.agents, defaultRegion);
    this.rules = new RecordingRules(settings.recordedServiceNumbers, defaultRegion);
  }

  static async open(documents: { openDocument<T>(name: string, defaultData: T): Promise<Low<T>> }, config: Config): Promise<CallSettings> {
    const doc = await documents.openDocument<SettingsDocument>('config/call-settings', { version: 1, settings: null });
    if (doc.data.settings === null) {
      doc.data.settings = { agents: [...config.agents], recordedServiceNumbers: [...config.recording.recordedServiceNumbers], retentionMonths: config.retention.months };
      await doc.write();
    }
    return new CallSettings(doc, config.phone.defaultRegion);
  }

  private readonly listeners: Array<(settings: CallSettingsData) => void> = [];

  /** Told of every change once it is stored (the capture thread keeps its own copy of the rules). */
  onChange(listener: (settings: CallSettingsData) => void): void {
    this.listeners.push(listener);
  }

  get current(): CallSettingsData {
    return structuredClone(this.doc.data.settings!);
  }

  get retentionMonths(): number {
    return this.doc.data.settings!.retentionMonths;
  }

  /** Validates the whole new settings (numbers and agents included) before anything changes. */
  async replace(input: unknown): Promise<CallSettingsData> {
    const parsed = callSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
      throw new AppError('VALIDATION_FAILED', `the settings are not valid: ${problems.join('; ')}`, { details: { problems } });
    }
    const previous = this.current;
    try {
      this.agents.replace(parsed.data.agents);
      this.rules.replace(parsed.data.recordedServiceNumbers);
    } catch (err) {
      this.agents.replace(previous.agents);
      this.rules.replace(previous.recordedServiceNumbers);
      throw err;
    }
    this.doc.data.settings = parsed.data;
    await this.doc.write();
    for (const listener of this.listeners) listener(this.current);
    return this.current;
  }
}
