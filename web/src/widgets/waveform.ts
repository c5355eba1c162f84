// The call's waveform with its gaps shaded, the play position, and a time axis; the time under
// the pointer is shown beside it, so a click lands where the user meant ("from minute 2").
import type { RecordingView } from '../call-types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clockTime } from './clock-time.js';

const WIDTH = 1100;
const WAVE_HEIGHT = 90;
const AXIS_HEIGHT = 20;
/** Tick steps in seconds; the smallest that gives at most 10 ticks is taken. */
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

export function tickStepSeconds(durationS: number): number {
  return TICK_STEPS_S.find((step) => durationS / step <= 10) ?? 3600;
}

/**
 * A click seeks. The audio element, the skip buttons and the call page's shortcuts are the
 * keyboard's way; this picture is a visual aid (its label says so).
 */
export function waveform(recording: RecordingView, audio: HTMLAudioElement): HTMLElement {
  const canvas = h('canvas', { id: 'waveform', width: String(WIDTH), height: String(WAVE_HEIGHT + AXIS_HEIGHT), role: 'img', 'aria-label': t('call.waveform') });
  // Only for the eye: a screen reader would hear every move of the mouse.
  const pointerTime = h('span', { id: 'waveform-time', class: 'pointer-time', 'aria-hidden': 'true' });
  const durationS = recording.durationMs / 1000;
  let hoverX: number | undefined;
  const draw = (): void => {
    const context = canvas.getContext('2d');
    if (context === null) return;
    context.clearRect(0, 0, WIDTH, WAVE_HEIGHT + AXIS_HEIGHT);
    const x = (ms: number): number => (ms / Math.max(1, recording.durationMs)) * WIDTH;
    context.fillStyle = '#fde68a';
    for (const gap of recording.gaps) context.fillRect(x(gap.fromMs), 0, Math.max(1, x(gap.toMs) - x(gap.fromMs)), WAVE_HEIGHT);
    context.fillStyle = '#0b5cad';
    const barWidth = WIDTH / Math.max(1, recording.peaks.length);
    recording.peaks.forEach((peak, i) => {
      const barHeight = Math.max(1, (peak / 255) * (WAVE_HEIGHT - 4));
      context.fillRect(i * barWidth, (WAVE_HEIGHT - barHeight) / 2, Math.max(1, barWidth - 0.5), barHeight);
    });
    // The axis: a tick and its time (m:ss) every step.
    context.fillStyle = '#57606a';
    context.fillRect(0, WAVE_HEIGHT, WIDTH, 1);
    context.font = '12px system-ui, sans-serif';
    context.textBaseline = 'top';
    const step = tickStepSeconds(durationS);
    for (let s = 0; s <= durationS; s += step) {
      const tickX = x(s * 1000);
      context.fillRect(tickX, WAVE_HEIGHT, 1, 5);
      context.textAlign = s === 0 ? 'left' : tickX > WIDTH - 20 ? 'right' : 'center';
      context.fillText(clockTime(s), tickX, WAVE_HEIGHT + 6);
    }
    if (hoverX !== undefined) {
      context.fillStyle = '#1b1f24';
      context.fillRect(hoverX, 0, 1, WAVE_HEIGHT);
    }
    context.fillStyle = '#b42318';
    context.fillRect(x(audio.currentTime * 1000), 0, 2, WAVE_HEIGHT);
  };
  const secondsAt = (event: MouseEvent): number => {
    const box = canvas.getBoundingClientRect();
    return Math.min(durationS, Math.max(0, ((event.clientX - box.left) / box.width) * durationS));
  };
  audio.addEventListener('timeupdate', draw);
  audio.addEventListener('seeked', draw);
  canvas.addEventListener('mousemove', (event) => {
    const seconds = secondsAt(event);
    hoverX = (seconds / Math.max(0.001, durationS)) * WIDTH;
    pointerTime.textContent = t('player.at', { time: clockTime(seconds) });
    draw();
  });
  canvas.addEventListener('mouseleave', () => {
    hoverX = undefined;
    pointerTime.textContent = '';
    draw();
  });
  canvas.addEventListener('click', (event) => {
    audio.currentTime = secondsAt(event);
  });
  requestAnimationFrame(draw);
  return h('div', { class: 'waveform' }, canvas, pointerTime);
}
