// The player of a call's recording: its seal and gaps, the waveform with its time axis, the
// audio, skip buttons and speed; keyboard shortcuts on the call page (announced to screen
// readers); the position kept for this call while the tab is open, so a reload goes on from it.
import { api } from '../api.js';
import type { Call, RecordingView } from '../call-types.js';
import { h } from '../dom.js';
import { t, tryT } from '../i18n.js';
import { clockTime } from './clock-time.js';
import { waveform } from './waveform.js';

const SPEEDS = ['0.75', '1', '1.25', '1.5', '2'];
const SKIP_S = 10;
/** sessionStorage: per tab, gone when the tab closes; holds a call id and a position, nothing personal. */
const positionKey = (callId: string): string => `tallennin.position.${callId}`;

export async function player(call: Call): Promise<HTMLElement> {
  // The server answers HTTP Range requests, so seeking fetches (and decrypts) only what is played.
  const audio = h('audio', { controls: true, preload: 'metadata', src: `/api/v1/calls/${encodeURIComponent(call.callId)}/audio`, id: 'player', 'aria-keyshortcuts': 'Space ArrowLeft ArrowRight S', 'aria-describedby': 'player-keys' });
  const speed = h('select', { id: 'speed' }, ...SPEEDS.map((value) => h('option', { value, ...(value === '1' ? { selected: true } : {}) }, `${value}×`)));
  // A polite live region: what a shortcut did, for those who do not see the controls change.
  const announce = h('p', { id: 'player-announce', class: 'visually-hidden', role: 'status' });
  const say = (text: string): void => {
    announce.textContent = text;
  };
  const setSpeed = (value: string): void => {
    speed.value = value;
    audio.playbackRate = Number(value);
  };
  speed.addEventListener('change', () => setSpeed(speed.value));
  const skip = (seconds: number): void => {
    const end = Number.isFinite(audio.duration) ? audio.duration : Number.POSITIVE_INFINITY;
    audio.currentTime = Math.min(end, Math.max(0, audio.currentTime + seconds));
    say(t('player.at', { time: clockTime(audio.currentTime) }));
  };
  const back = h('button', { type: 'button', id: 'skip-back', class: 'secondary' }, t('player.back10'));
  const forward = h('button', { type: 'button', id: 'skip-forward', class: 'secondary' }, t('player.forward10'));
  back.addEventListener('click', () => skip(-SKIP_S));
  forward.addEventListener('click', () => skip(SKIP_S));

  // The position, kept per call for this tab; a reload starts from it.
  const key = positionKey(call.callId);
  const saved = Number(sessionStorage.getItem(key) ?? 'NaN');
  audio.addEventListener('loadedmetadata', () => {
    if (Number.isFinite(saved) && saved > 0 && saved < audio.duration) {
      audio.currentTime = saved;
      say(t('player.resumed', { time: clockTime(saved) }));
    }
  }, { once: true });
  const keep = (): void => sessionStorage.setItem(key, String(audio.currentTime));
  for (const event of ['timeupdate', 'seeked', 'pause']) audio.addEventListener(event, keep);
  audio.addEventListener('play', () => say(`${t('player.playing')}: ${t('player.at', { time: clockTime(audio.currentTime) })}`));
  audio.addEventListener('pause', () => say(`${t('player.paused')}: ${t('player.at', { time: clockTime(audio.currentTime) })}`));

  // Shortcuts while this player is on the page. Keys typed into a field, and those the focused
  // control handles itself (the audio element, buttons, links, the speed list), are left alone.
  const onKey = (event: KeyboardEvent): void => {
    if (!audio.isConnected) {
      document.removeEventListener('keydown', onKey);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement | null;
    if (target !== null && target !== document.body && target.closest('input, select, textarea, button, a, audio, [contenteditable]') !== null) return;
    if (event.key === ' ') {
      event.preventDefault();
      if (audio.paused) void audio.play();
      else audio.pause();
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      skip(event.key === 'ArrowLeft' ? -SKIP_S : SKIP_S);
    } else if (event.key === 's' || event.key === 'S') {
      event.preventDefault();
      setSpeed(SPEEDS[(SPEEDS.indexOf(speed.value) + 1) % SPEEDS.length] as string);
      say(t('player.speedNow', { speed: `${speed.value}×` }));
    }
  };
  document.addEventListener('keydown', onKey);

  const { recording } = await api<{ recording: RecordingView }>('GET', `/calls/${encodeURIComponent(call.callId)}/recording`);
  const wave = waveform(recording, audio);
  const facts = h('p', { id: 'seal' },
    h('span', { class: 'badge' }, t('call.sealOk')), ' ',
    recording.outcome === 'interrupted' ? h('span', { class: 'badge warn' }, t('rec.interrupted')) : '',
    recording.gaps.length > 0 ? h('span', { class: 'badge warn' }, t('call.gaps', { n: recording.gaps.length })) : '',
    // Why audio is missing: a lost link, a restart of the service or the bridge, lost frames.
    recording.gaps.length > 0 ? h('span', { class: 'badge' }, [...new Set(recording.gaps.map((gap) => tryT(`gap.${gap.cause}`) ?? gap.cause))].join(', ')) : '',
  );
  return h('section', { class: 'panel' },
    facts,
    wave,
    h('div', { class: 'player' }, audio, back, forward, h('div', { class: 'speed' }, h('label', { for: 'speed' }, t('call.speed')), speed)),
    h('p', { class: 'hint', id: 'player-keys' }, t('player.keys')),
    announce,
  );
}
