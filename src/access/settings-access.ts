/**
 * Reading and changing the call settings (config:manage): the agent directory holds agents'
 * names and phone numbers, so reading it is on the audit trail too; a change records which
 * parts changed (counts, never the names or numbers).
 */
import { AppError } from '../errors.js';
import type { CallSettings, CallSettingsData } from '../calls/call-settings.js';
import { can } from './policy.js';
import type { AuditTrail } from './audit-trail.js';
import type { Viewer } from './call-access.js';
import { prepareDisplayName } from './display-name.js';

export class SettingsAccess {
  constructor(private readonly deps: { readonly settings: CallSettings; readonly audit: AuditTrail }) {}

  async view(viewer: Viewer, clientAddress: string): Promise<CallSettingsData> {
    this.require(viewer);
    await this.deps.audit.append({ action: 'config.view', outcome: 'success', actorId: viewer.id, target: { type: 'config', id: 'call-settings' }, clientAddress });
    return this.deps.settings.current;
  }

  async replace(viewer: Viewer, input: unknown, clientAddress: string): Promise<CallSettingsData> {
    this.require(viewer);
    const before = this.deps.settings.current;
    let after: CallSettingsData;
    try {
      after = await this.deps.settings.replace(withAgentNamesPrepared(input));
    } catch (err) {
      await this.deps.audit.append({ action: 'config.change', outcome: 'failed', actorId: viewer.id, target: { type: 'config', id: 'call-settings' }, clientAddress, details: { reason: err instanceof AppError ? err.code : 'error' } });
      throw err;
    }
    await this.deps.audit.append({
      action: 'config.change',
      outcome: 'success',
      actorId: viewer.id,
      target: { type: 'config', id: 'call-settings' },
      clientAddress,
      details: {
        agents: after.agents.length,
        agentsChanged: JSON.stringify(before.agents) !== JSON.stringify(after.agents),
        recordedNumbers: after.recordedServiceNumbers.length,
        recordedNumbersChanged: JSON.stringify(before.recordedServiceNumbers) !== JSON.stringify(after.recordedServiceNumbers),
        retentionMonths: after.retentionMonths,
      },
    });
    return after;
  }

  private require(viewer: Viewer): void {
    if (!can(viewer, 'config:manage')) throw new AppError('FORBIDDEN', 'this account may not change the settings');
  }
}

/** Agents' names are display names too (P3 copies them into every contact record): the same rules. */
function withAgentNamesPrepared(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as { agents?: unknown }).agents)) return input;
  const agents = (input as { agents: unknown[] }).agents.map((agent, index) => {
    if (typeof agent !== 'object' || agent === null || typeof (agent as { name?: unknown }).name !== 'string') return agent;
    return { ...agent, name: prepareDisplayName((agent as { name: string }).name, `agents.${index}.name`) };
  });
  return { ...input, agents };
}
