// The player of a call's recording: its seal and gaps, the waveform, the audio and its speed.
import { api } from '../api.js';
import type { Call, RecordingView } from '../call-types.js';
import { h } from '../dom.js';
import { t, tryT } from '../i18n.js';
import { waveform } from './waveform.js';

export async function player(call: Call): Promise<HTMLElement> {
  // The server answers HTTP Range requests, so seeking fetches (and decrypts) only what is played.
  const audio = h('audio', { controls: true, preload: 'metadata', src: `/api/v1/calls/${encodeURIComponent(call.callId)}/audio`, id: 'player' });
  const speed = h('select', { id: 'speed' }, ...['0.75', '1', '1.25', '1.5', '2'].map((value) => h('option', { value, ...(value === '1' ? { selected: true } : {}) }, `${value}×`)));
  speed.addEventListener('change', () => (audio.playbackRate = Number(speed.value)));
  const { recording } = await api<{ recording: RecordingView }>('GET', `/calls/${encodeURIComponent(call.callId)}/recording`);
  const canvas = waveform(recording, audio);
  const facts = h('p', { id: 'seal' },
    h('span', { class: 'badge' }, t('call.sealOk')), ' ',
    recording.outcome === 'interrupted' ? h('span', { class: 'badge warn' }, t('rec.interrupted')) : '',
    recording.gaps.length > 0 ? h('span', { class: 'badge warn' }, t('call.gaps', { n: recording.gaps.length })) : '',
    // Why audio is missing: a lost link, a restart of the service or the bridge, lost frames.
    recording.gaps.length > 0 ? h('span', { class: 'badge' }, [...new Set(recording.gaps.map((gap) => tryT(`gap.${gap.cause}`) ?? gap.cause))].join(', ')) : '',
  );
  return h('section', { class: 'panel' }, facts, canvas, h('div', { class: 'player' }, audio, h('div', {}, h('label', { for: 'speed' }, t('call.speed')), speed)));
}
