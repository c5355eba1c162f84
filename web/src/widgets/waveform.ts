// The call's waveform with its gaps shaded and the play position.
import type { RecordingView } from '../call-types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * A click seeks. The audio element keeps the keyboard controls; this picture is a visual aid
 * (its label says so).
 */
export function waveform(recording: RecordingView, audio: HTMLAudioElement): HTMLCanvasElement {
  const canvas = h('canvas', { id: 'waveform', width: '1100', height: '90', role: 'img', 'aria-label': t('call.waveform') });
  const draw = (): void => {
    const context = canvas.getContext('2d');
    if (context === null) return;
    const { width, height } = canvas;
    context.clearRect(0, 0, width, height);
    const x = (ms: number): number => (ms / Math.max(1, recording.durationMs)) * width;
    context.fillStyle = '#fde68a';
    for (const gap of recording.gaps) context.fillRect(x(gap.fromMs), 0, Math.max(1, x(gap.toMs) - x(gap.fromMs)), height);
    context.fillStyle = '#0b5cad';
    const barWidth = width / Math.max(1, recording.peaks.length);
    recording.peaks.forEach((peak, i) => {
      const barHeight = Math.max(1, (peak / 255) * (height - 4));
      context.fillRect(i * barWidth, (height - barHeight) / 2, Math.max(1, barWidth - 0.5), barHeight);
    });
    context.fillStyle = '#b42318';
    context.fillRect(x(audio.currentTime * 1000), 0, 2, height);
  };
  audio.addEventListener('timeupdate', draw);
  audio.addEventListener('seeked', draw);
  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    audio.currentTime = ((event.clientX - box.left) / box.width) * (recording.durationMs / 1000);
  });
  requestAnimationFrame(draw);
  return canvas;
}
