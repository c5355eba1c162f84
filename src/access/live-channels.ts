/**
 * The live view of the channels for supervisors: which channels carry a call now, since when and
 * for how long, and which agent. No caller or service number, no call id and no audio: it shows
 * the floor, not the calls. The calls in progress come from one small function (`activeCalls`,
 * the same list the health report shows), so where capture runs does not matter here; the agent
 * comes from the call's contact record. Each read is audited, a refusal too.
 */
import { AppError } from '../errors.js';
import type { ContactHistory } from '../history/contact-history.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { can } from './policy.js';

/** One call in progress as the call tracker lists it. */
export interface ActiveCall {
  readonly channel: number;
  readonly callId: string;
  readonly startedAt: string;
  readonly recording: boolean;
}

export interface LiveChannel {
  readonly channel: number;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly agentExtension: string;
  readonly agentName: string | null;
  readonly recording: boolean;
}

export interface LiveView {
  readonly time: string;
  /** The channels the card has, when the bridge has told it; null before its first hello. */
  readonly channelCount: number | null;
  readonly channels: readonly LiveChannel[];
}

export class LiveChannels {
  constructor(
    private readonly deps: {
      readonly activeCalls: () => readonly ActiveCall[];
      readonly channelCount: () => number | null;
      readonly history: ContactHistory;
      readonly audit: AuditTrail;
      readonly now: () => number;
    },
  ) {}

  async view(viewer: Viewer, clientAddress: string): Promise<LiveView> {
    if (!can(viewer, 'calls:live')) {
      await this.audit(viewer, 'denied', clientAddress, {});
      throw new AppError('FORBIDDEN', 'this account may not see the live channels');
    }
    const now = this.deps.now();
    const channels: LiveChannel[] = [];
    for (const call of [...this.deps.activeCalls()].sort((a, b) => a.channel - b.channel)) {
      // The contact record is written as the call starts; a call whose record is not found
      // (purged meanwhile) is still shown busy, without an agent name.
      const record = await this.deps.history.find(call.callId);
      channels.push({
        channel: call.channel,
        startedAt: call.startedAt,
        durationSeconds: Math.max(0, Math.floor((now - Date.parse(call.startedAt)) / 1000)),
        agentExtension: record?.agentExtension ?? '',
        agentName: record?.agentName ?? null,
        recording: call.recording,
      });
    }
    await this.audit(viewer, 'success', clientAddress, { channels: channels.length });
    return { time: new Date(now).toISOString(), channelCount: this.deps.channelCount(), channels };
  }

  private async audit(viewer: Viewer, outcome: 'success' | 'denied', clientAddress: string, details: Record<string, number>): Promise<void> {
    await this.deps.audit.append({ action: 'calls.live', outcome, actorId: viewer.id, clientAddress, details }, 'synced');
  }
}
