/**
 * The life of one channel, as a pure function: (state, input) -> (state, effects). No I/O, no
 * clock; the call tracker performs the effects. A call starts at the card's start signal and
 * ends at its end signal (P4).
 *
 * When the signal path breaks, the call is HELD, not ended: the card's call goes on, and one call
 * must stay one recording. A lost link holds the call until the bridge, back again, announces it
 * once more (CALL_START with the same call_ref, RESUMED: the call resumes and the time between is
 * a 'link-lost' gap), sends its end signal (it ended during the outage), reports the channel idle
 * for good, or announces another call there; or until the hold expires (the tracker's clock). A
 * restarted bridge has forgotten its call refs: a call announced on the held channel with the same
 * parties is the same call ('bridge-restart' gap); anything else ends the held call. After a
 * crash the service has lost the call refs too and takes the call over the same way
 * ('service-restart' gap); the bridge's first end signal on that channel is the call's. Only then
 * does a call end as interrupted, so no call stays open forever.
 */
import type { EndReason } from '../history/contact-record.js';

/**
 * Why a call is held: the link to the bridge was lost, the bridge restarted, or this service
 * restarted (a crash) or its capture thread did (it died and was started again), and the call's
 * open recording was taken over (heldAfterRestart()).
 */
export type HoldCause = 'link-lost' | 'bridge-restart' | 'service-restart' | 'capture-restart';

/** A restart of our own side: the call refs are forgotten, the bridge's boot (and ticks) go on. */
export type RestartCause = Extract<HoldCause, 'service-restart' | 'capture-restart'>;

function isOwnRestart(cause: HoldCause | null): cause is RestartCause {
  return cause === 'service-restart' || cause === 'capture-restart';
}

export type ChannelState =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'in-call';
      readonly callRef: number;
      readonly startTick: number;
      readonly lastAudioTick: number;
      readonly idleHeartbeats: number;
      /** Not null while the call is held (its signal path broke); audio then waits for the resume. */
      readonly held: HoldCause | null;
    };

export type ChannelInput =
  /** sameParties: the start names the caller, service number and agent of the call in progress. */
  | { readonly kind: 'call-start'; readonly callRef: number; readonly tick: number; readonly sameParties?: boolean }
  | { readonly kind: 'call-end'; readonly callRef: number; readonly tick: number; readonly abnormal: boolean }
  | { readonly kind: 'audio'; readonly tick: number }
  | { readonly kind: 'heartbeat'; readonly active: boolean }
  | { readonly kind: 'link-lost' }
  | { readonly kind: 'bridge-restarted' }
  /** The held call was not announced again in time. */
  | { readonly kind: 'hold-expired' }
  | { readonly kind: 'shutdown' };

export type ChannelEffect =
  | { readonly kind: 'open-call'; readonly callRef: number; readonly startTick: number }
  /** endTick is the tick after the call's last audio. */
  | { readonly kind: 'close-call'; readonly callRef: number; readonly endTick: number; readonly reason: EndReason; readonly heldFor: HoldCause | null }
  | { readonly kind: 'record-audio'; readonly callRef: number; readonly tick: number }
  | { readonly kind: 'hold-call'; readonly callRef: number; readonly cause: HoldCause }
  /** Audio of a held call: kept until the call resumes or ends. */
  | { readonly kind: 'hold-audio'; readonly callRef: number; readonly tick: number }
  /** The held call goes on; `tick` is its start tick as announced now (a new boot counts anew). */
  | { readonly kind: 'resume-call'; readonly callRef: number; readonly tick: number; readonly cause: HoldCause };

export interface Transition {
  readonly state: ChannelState;
  readonly effects: readonly ChannelEffect[];
}

type InCall = Extract<ChannelState, { kind: 'in-call' }>;

/**
 * A repeated CALL_END can arrive up to 5 s late (20 resends, 250 ms apart: PROTOCOL.md), and the
 * bridge's heartbeat already shows the channel idle meanwhile. Only an idle report that outlasts
 * the resend window means the end signal is lost for good.
 */
export const IDLE_HEARTBEATS_BEFORE_CLOSE = 7;

export const IDLE: ChannelState = Object.freeze({ kind: 'idle' });

const NOTHING: readonly ChannelEffect[] = Object.freeze([]);

/** How a held call ends when it is not resumed. */
function heldEndReason(cause: HoldCause): EndReason {
  if (cause === 'link-lost') return 'link-lost';
  return cause === 'bridge-restart' ? 'bridge-restarted' : 'service-stopped';
}

/** A call left open by a crash, taken over after the restart: held until the bridge names it. */
export function heldAfterRestart(nextTick: number, cause: RestartCause = 'service-restart'): ChannelState {
  return { kind: 'in-call', callRef: -1, startTick: nextTick, lastAudioTick: nextTick - 1, idleHeartbeats: 0, held: cause };
}

export function transition(state: ChannelState, input: ChannelInput): Transition {
  switch (input.kind) {
    case 'call-start': {
      const open: ChannelEffect = { kind: 'open-call', callRef: input.callRef, startTick: input.tick };
      const inCall: ChannelState = { kind: 'in-call', callRef: input.callRef, startTick: input.tick, lastAudioTick: input.tick - 1, idleHeartbeats: 0, held: null };
      if (state.kind === 'idle') return { state: inCall, effects: [open] };
      if (state.held === 'link-lost' && state.callRef === input.callRef) {
        // The same boot announces the same call again after the reconnect: it goes on.
        return { state: { ...state, held: null, idleHeartbeats: 0 }, effects: [{ kind: 'resume-call', callRef: state.callRef, tick: input.tick, cause: 'link-lost' }] };
      }
      if ((state.held === 'bridge-restart' || isOwnRestart(state.held)) && input.sameParties === true) {
        // The call's ref is unknown (a new boot counts anew; a restarted service forgot it): the
        // same parties on the same channel are the same call, which goes on under the ref given now.
        return {
          state: { kind: 'in-call', callRef: input.callRef, startTick: input.tick, lastAudioTick: Math.max(input.tick - 1, isOwnRestart(state.held) ? state.lastAudioTick : -1), idleHeartbeats: 0, held: null },
          effects: [{ kind: 'resume-call', callRef: input.callRef, tick: input.tick, cause: state.held }],
        };
      }
      if (state.held !== null) return { state: inCall, effects: [closeEffect(state, heldEndReason(state.held), state.lastAudioTick + 1), open] };
      // A repeat of the start of the call in progress (a resend) changes nothing.
      if (state.callRef === input.callRef) return { state, effects: NOTHING };
      // A new call on a busy channel: the old call's end signal was lost.
      return { state: inCall, effects: [closeEffect(state, 'end-signal-lost', Math.min(input.tick, state.lastAudioTick + 1)), open] };
    }
    case 'call-end': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      // After a crash the call's ref is forgotten: the bridge's end signal on the channel (resent
      // after the new HELLO) is the end of the call the service held there.
      if (isOwnRestart(state.held)) return { state: IDLE, effects: [closeEffect(state, input.abnormal ? 'abnormal' : 'completed', input.tick)] };
      // After a bridge restart the held call's ref is void: a new boot's end cannot name it.
      if (state.callRef !== input.callRef || state.held === 'bridge-restart') return { state, effects: NOTHING };
      return { state: IDLE, effects: [closeEffect(state, input.abnormal ? 'abnormal' : 'completed', input.tick)] };
    }
    case 'audio': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      if (state.held !== null) return { state, effects: [{ kind: 'hold-audio', callRef: state.callRef, tick: input.tick }] };
      if (input.tick < state.startTick) return { state, effects: NOTHING };
      const next = input.tick > state.lastAudioTick ? { ...state, lastAudioTick: input.tick } : state;
      return { state: next, effects: [{ kind: 'record-audio', callRef: state.callRef, tick: input.tick }] };
    }
    case 'heartbeat': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      if (input.active) return state.idleHeartbeats === 0 ? { state, effects: NOTHING } : { state: { ...state, idleHeartbeats: 0 }, effects: NOTHING };
      const idleHeartbeats = state.idleHeartbeats + 1;
      if (idleHeartbeats < IDLE_HEARTBEATS_BEFORE_CLOSE) return { state: { ...state, idleHeartbeats }, effects: NOTHING };
      return { state: IDLE, effects: [closeEffect(state, state.held === null ? 'end-signal-lost' : heldEndReason(state.held), state.lastAudioTick + 1)] };
    }
    case 'link-lost':
    case 'bridge-restarted': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      const cause: HoldCause = input.kind === 'link-lost' ? 'link-lost' : 'bridge-restart';
      // Held already: only a restart of the bridge changes what a lost link's hold waits for.
      if (state.held !== null && (cause === 'link-lost' || state.held !== 'link-lost')) return { state, effects: NOTHING };
      return { state: { ...state, held: cause, idleHeartbeats: 0 }, effects: [{ kind: 'hold-call', callRef: state.callRef, cause }] };
    }
    case 'hold-expired': {
      if (state.kind === 'idle' || state.held === null) return { state, effects: NOTHING };
      return { state: IDLE, effects: [closeEffect(state, heldEndReason(state.held), state.lastAudioTick + 1)] };
    }
    case 'shutdown': {
      if (state.kind === 'idle') return { state, effects: NOTHING };
      // A held call's end is unknown because of the link, not because of the stop.
      return { state: IDLE, effects: [closeEffect(state, state.held === null ? 'service-stopped' : heldEndReason(state.held), state.lastAudioTick + 1)] };
    }
  }
}

function closeEffect(state: InCall, reason: EndReason, endTick: number): ChannelEffect {
  return { kind: 'close-call', callRef: state.callRef, endTick: Math.max(endTick, state.startTick), reason, heldFor: state.held };
}
