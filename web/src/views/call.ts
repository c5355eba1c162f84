// One call: its details and, for those who may listen to it, the player of its recording.
import { api, ApiError } from '../api.js';
import type { Call } from '../call-types.js';
import { h } from '../dom.js';
import { formatTime, t, tryT } from '../i18n.js';
import { screen } from '../router.js';
import { can } from '../session.js';
import { describeRecording } from '../widgets/call-facts.js';
import { callNotes } from '../widgets/call-notes.js';
import { player } from '../widgets/player.js';

/** `search`: the search the call was opened from, which "back to search" returns to. */
export async function callView(id: string, search: URLSearchParams = new URLSearchParams()): Promise<void> {
  const show = screen();
  const { call } = await api<{ call: Call }>('GET', `/calls/${encodeURIComponent(id)}`);
  const details = h('dl', { class: 'details' },
    h('dt', {}, t('call.start')), h('dd', {}, formatTime(call.startedAt)),
    h('dt', {}, t('call.end')), h('dd', {}, formatTime(call.endedAt)),
    h('dt', {}, t('call.caller')), h('dd', {}, call.callerNumber ?? t('call.withheld')),
    h('dt', {}, t('call.service')), h('dd', {}, call.serviceNumber ?? '–'),
    h('dt', {}, t('call.agent')), h('dd', {}, `${call.agentName ?? '–'} (${call.agentExtension})`),
    h('dt', {}, t('call.agentPhone')), h('dd', {}, call.agentPhone ?? '–'),
    h('dt', {}, t('call.endReason')), h('dd', {}, call.endReason === null ? '–' : (tryT(`end.${call.endReason}`) ?? call.endReason)),
    h('dt', {}, t('call.recording')), h('dd', {}, describeRecording(call), call.resumed ? ` ${t('call.resumed')}` : ''),
  );
  const content: HTMLElement[] = [details];
  if (call.recordingId !== null && call.recordingState !== 'failed' && (can('recordings:play-all') || can('recordings:play-own'))) {
    // A call still going on has a recording still being written: it plays once the call ends.
    if (call.recordingState === 'recording') content.push(inProgress());
    else {
      try {
        content.push(await player(call));
      } catch (err) {
        // The call ended a moment ago and its recording is being sealed.
        if (!(err instanceof ApiError) || err.code !== 'RECORDING_IN_PROGRESS') throw err;
        content.push(inProgress());
      }
    }
  }
  content.push(await callNotes(call.callId));
  content.push(h('p', {}, h('a', { href: `#/calls${search.size === 0 ? '' : `?${search.toString()}`}`, id: 'back-to-search' }, t('call.back'))));
  show(t('call.title'), ...content);
}

const inProgress = (): HTMLElement => h('p', { class: 'panel', id: 'recording-in-progress', role: 'status' }, t('call.inProgress'));
