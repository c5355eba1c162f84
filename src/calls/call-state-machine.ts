/**
 * The life of one channel, as a pure function: (state, input) -> (state, effects). No I/O, no
 * clock; the call tracker performs the effects. A call starts at the card's start signal and
 * ends at its end signal (P4); when the signal path breaks (link lost, bridge restarted, an end
 * signal that never came) the call still ends, as "interrupted", so no call stays open forever.
 */
import type { EndReason } from '../history/contact-record.js';

export type ChannelState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'in-call'; readonly callRef: number; readonly startTick: number; readonly lastAudioTick: number; readonly idleHeartbeats: number };

export type ChannelInput =
  | { readonly kind: 'call-start'; readonly callRef: number; readonly tick: number }
  | { readonly kind: 'call-end'; readonly callRef: number; readonly tick: number; readonly abnormal: boolean }
  | { readonly kind: 'audio'; readonly tick: number }
  | { readonly kind: 'heartbeat'; readonly active: boolean }
  | { readonly kind: 'link-lost' }
  | { readonly kind: 'bridge-restarted' }
  | { readonly kind: 'shutdown' };

export type ChannelEffect =
  | { readonly kind: 'open-call'; readonly callRef: number; readonly startTick: number }
  /** endTick is the tick after the call's last audio. */
  | { readonly kind: 'close-call'; readonly callRef: number; readonly endTick: number; readonly reason: EndReason }
  | { readonly kind: 'record-audio'; readonly callRef: number; readonly tick: number };

export interface Transition {
  readonly state: ChannelState;
  readonly effects: readonly ChannelEffect[];
}

/**
 * A repeated CALL_END can arrive up to 5 s late (20 resends, 250 ms apart: PROTOCOL.md), and the
 * bridge's heartbeat already shows the channel idle meanwhile. Only an idle report that outlasts
 * the resend window means the end signal is lost for good.
 */
export const IDLE_HEARTBEATS_BEFORE_CLOSE = 7;

export const IDLE: ChannelState = Object.freeze({ kind: 'idle' });

const NOTHING: readonly ChannelEffect[] = Object.freeze([]);

export function transition(state: ChannelState, input: ChannelInput): Transition {
  switch (input.kind) {
    case 'call-start': {
      const open: ChannelEffect = { kind: 'open-call', callRef: input.callRef, startTick: input.tick };
      const inCall: ChannelState = { kind: 'in-call', callRef: input.callRef, startTick: input.tick, lastAudioTick: input.tick - 1, idleHeartbeats: 0 };
      if (state.kind === 'idle') return { state: inCall, effects: [open] };
      // A repeat of the start of the call in progress (a resend, or RESUMED after a reconnect
      // that the link survived) changes nothing.
      if (state.callRef === input.callRef) return { state, effects: NOTHING };
      // A new call on a busy channel: the old call's end signal was lost.
      return { state: inCall, effects: [closeEffect(state, 'end-signal-lost', Math.min(input.tick, state.lastAudioTick + 1)), open] };
    }
    case 'call-end': {
      if (state.kind === 'idle' || state.callRef !== input.callRef) return { state, effects: NOTHING };
      return {
        state: IDLE,
        effects: [{ kind: 'close-call', callRef: state.callRef, endTick: Math.max(input.tick, state.startTick), reason: input.abnormal ? 'abnormal' : 'completed' }],
      };
    }
    case 'audio': {
      if (state.kind === 'idle' || input.tick < state.startTick) return { state, effects: NOTHING };
      const next = input.tick > state.lastAudioTick ? { ...state, lastAudioTick: input.tick } : state;
      return { state: next, effects: [{ kind: 'record-audio', callRef: state.callRef, tick: input.tick }] };
    }
    case 'heartbeat': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      if (input.active) return state.idleHeartbeats === 0 ? { state, effects: NOTHING } : { state: { ...state, idleHeartbeats: 0 }, effects: NOTHING };
      const idleHeartbeats = state.idleHeartbeats + 1;
      if (idleHeartbeats < IDLE_HEARTBEATS_BEFORE_CLOSE) return { state: { ...state, idleHeartbeats }, effects: NOTHING };
      return { state: IDLE, effects: [closeEffect(state, 'end-signal-lost', state.lastAudioTick + 1)] };
    }
    case 'link-lost':
    case 'bridge-restarted':
    case 'shutdown': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      const reason: EndReason = input.kind === 'link-lost' ? 'link-lost' : input.kind === 'bridge-restarted' ? 'bridge-restarted' : 'service-stopped';
      return { state: IDLE, effects: [closeEffect(state, reason, state.lastAudioTick + 1)] };
    }
  }
}

function closeEffect(state: Extract<ChannelState, { kind: 'in-call' }>, reason: EndReason, endTick: number): ChannelEffect {
  return { kind: 'close-call', callRef: state.callRef, endTick: Math.max(endTick, state.startTick), reason };
}
