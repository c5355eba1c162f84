// The live view of the channels for supervisors: which channels carry a call now, since when,
// for how long and which agent; no numbers, no audio. It refreshes itself every 10 s while it is
// shown (each read is audited by the service), and the lengths count up every second between.
import { api } from '../api.js';
import { h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { screen } from '../router.js';
import { clockTime } from '../widgets/clock-time.js';
import { errorText } from '../widgets/status.js';

interface LiveView {
  time: string;
  channelCount: number | null;
  channels: Array<{ channel: number; startedAt: string; durationSeconds: number; agentExtension: string; agentName: string | null; recording: boolean }>;
}

export const LIVE_REFRESH_MS = 10_000;

export async function liveView(): Promise<void> {
  const show = screen();
  const first = await api<LiveView>('GET', '/live');
  const summary = h('p', { id: 'live-summary' });
  const region = h('div', { id: 'live-channels' });
  const updated = h('p', { class: 'hint', id: 'live-updated' });
  const refresh = h('button', { type: 'button', id: 'live-refresh', class: 'secondary' }, t('live.refresh'));
  let fetchedAt = Date.now();
  const durationCells: Array<{ cell: HTMLElement; seconds: number }> = [];

  const draw = (live: LiveView): void => {
    fetchedAt = Date.now();
    durationCells.length = 0;
    const n = live.channels.length;
    summary.textContent = n === 0 ? t('live.idle') : live.channelCount === null ? t('live.busy', { n }) : t('live.busyOf', { n, total: live.channelCount });
    updated.textContent = t('live.updated', { time: formatTime(live.time) });
    updated.className = 'hint';
    if (n === 0) {
      region.replaceChildren();
      return;
    }
    const rows = live.channels.map((channel) => {
      const cell = h('td', { class: 'duration' }, clockTime(channel.durationSeconds));
      durationCells.push({ cell, seconds: channel.durationSeconds });
      return h('tr', {},
        h('th', { scope: 'row' }, String(channel.channel)),
        h('td', {}, channel.agentName ?? channel.agentExtension),
        h('td', { class: 'time' }, formatTime(channel.startedAt)),
        cell,
        h('td', {}, channel.recording ? t('rec.recording') : t('rec.not-recorded')),
      );
    });
    region.replaceChildren(h('table', { id: 'live' },
      h('thead', {}, h('tr', {}, ...(['live.channel', 'live.agent', 'live.started', 'live.duration', 'live.recording'] as const).map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, ...rows),
    ));
  };

  // One timer for the view: it stops itself once the view is gone (another view, sign-out).
  let sinceRefresh = 0;
  const reload = async (): Promise<void> => {
    sinceRefresh = 0;
    try {
      draw(await api<LiveView>('GET', '/live'));
    } catch (err) {
      updated.textContent = errorText(err);
      updated.className = 'error';
    }
  };
  refresh.addEventListener('click', () => void reload());
  const timer = setInterval(() => {
    if (!region.isConnected) {
      clearInterval(timer);
      return;
    }
    const elapsed = Math.round((Date.now() - fetchedAt) / 1000);
    for (const { cell, seconds } of durationCells) cell.textContent = clockTime(seconds + elapsed);
    sinceRefresh += 1000;
    if (sinceRefresh >= LIVE_REFRESH_MS) void reload();
  }, 1000);

  draw(first);
  show(t('live.title'), h('p', {}, t('live.help')), h('div', { class: 'actions' }, summary, refresh), region, updated);
  // Drawn only if this navigation is still the latest; otherwise the timer finds the region gone.
  if (!region.isConnected) clearInterval(timer);
}
