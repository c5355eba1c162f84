// The state of the box: the capture thread, the link to the bridge and its error counters, the channels, the resources, the alarms.
import { api } from '../api.js';
import { h } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { screen } from '../router.js';
import { doorSourcesHealth } from '../widgets/door-sources-health.js';
import { alarmList } from '../widgets/alarm-list.js';
import { can } from '../session.js';
import { fetchRegister } from './register.js';

/** The link's error counters since the service started (src/capture/link-errors.ts), in display order. */
const LINK_ERROR_NAMES = ['rxCrcErrors', 'garbageBytes', 'lostFrames', 'duplicateFrames', 'oversizeFrames', 'malformedFrames', 'resyncs'] as const;
type LinkErrorName = (typeof LINK_ERROR_NAMES)[number];

export async function systemView(): Promise<void> {
  const show = screen();
  const health = await api<{ capture: { running: boolean; restarts: number; eventLoopDelay: { p99Ms: number; maxMs: number; maxEverMs: number }; eventLoopDelayAlarmMs: number; gapSecondsFilled: number }; bridge: { linkUp: boolean; linkErrors: Record<LinkErrorName, number>; linkErrorAlarmPerMinute: number }; calls: { active: Array<{ channel: number; startedAt: string; recording: boolean }> }; alarms: { recent: Array<{ code: string; message: string; raisedAt: string }> }; system: { disk: { usePercent: number } | null; memory: { totalBytes: number; availableBytes: number } | null; load: { currentPercent: number } | null; temperatureC: number | null } }>('GET', '/health');
  const doorSources = await doorSourcesHealth();
  const alarms = await alarmList();
  // One line of the register's checks, for those who may read it (the Register view has the rest).
  const register = can('register:read') ? (await fetchRegister()).summary : null;
  const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  show(
    t('system.title'),
    ...(register === null ? [] : [h('p', { id: 'register-summary-line', class: register.failed > 0 ? 'error' : 'ok' }, h('a', { href: '#/register' }, t('register.summaryLine', { promises: register.promises, passed: register.passed, failed: register.failed })))]),
    h('dl', { class: 'details' },
      h('dt', {}, t('system.link')), h('dd', { class: health.bridge.linkUp ? 'ok' : 'error' }, health.bridge.linkUp ? t('system.up') : t('system.down')),
      h('dt', {}, t('system.active')), h('dd', {}, String(health.calls.active.length)),
      h('dt', {}, t('system.disk')), h('dd', {}, health.system.disk === null ? '–' : `${health.system.disk.usePercent.toFixed(0)} %`),
      h('dt', {}, t('system.memory')), h('dd', {}, health.system.memory === null ? '–' : `${gib(health.system.memory.availableBytes)} / ${gib(health.system.memory.totalBytes)}`),
      h('dt', {}, t('system.load')), h('dd', {}, health.system.load === null ? '–' : `${health.system.load.currentPercent} %`),
      h('dt', {}, t('system.temperature')), h('dd', {}, health.system.temperatureC === null ? '–' : `${health.system.temperatureC} °C`),
    ),
    h('h2', {}, t('capture.title')),
    h('p', {}, t('capture.delayHint', { n: health.capture.eventLoopDelayAlarmMs })),
    h('dl', { class: 'details' },
      h('dt', {}, t('capture.running')), h('dd', { class: health.capture.running ? 'ok' : 'error' }, health.capture.running ? t('capture.runningYes') : t('capture.runningNo')),
      h('dt', {}, t('capture.restarts')), h('dd', { class: health.capture.restarts === 0 ? 'ok' : 'error' }, String(health.capture.restarts)),
      h('dt', {}, t('capture.delay')), h('dd', {}, `${health.capture.eventLoopDelay.p99Ms} / ${health.capture.eventLoopDelay.maxMs} ms`),
      h('dt', {}, t('capture.delayMax')), h('dd', { class: health.capture.eventLoopDelay.maxEverMs > health.capture.eventLoopDelayAlarmMs ? 'error' : 'ok' }, `${health.capture.eventLoopDelay.maxEverMs} ms`),
      h('dt', {}, t('capture.gaps')), h('dd', {}, `${health.capture.gapSecondsFilled} s`),
    ),
    h('h2', {}, t('system.linkErrors')),
    h('p', {}, t('system.linkErrorsHint', { n: health.bridge.linkErrorAlarmPerMinute })),
    h('dl', { class: 'details' }, ...LINK_ERROR_NAMES.flatMap((name) => [h('dt', {}, t(`system.linkError.${name}`)), h('dd', { class: health.bridge.linkErrors[name] === 0 ? 'ok' : 'error' }, String(health.bridge.linkErrors[name]))])),
    h('h2', {}, t('system.channels')),
    health.calls.active.length === 0
      ? h('p', {}, t('system.idle'))
      : h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('system.channel')), h('th', {}, t('col.start')), h('th', {}, t('col.recording')))),
          h('tbody', {}, ...health.calls.active.map((active) => h('tr', {}, h('td', {}, String(active.channel)), h('td', {}, formatTime(active.startedAt)), h('td', {}, active.recording ? t('rec.recording') : t('rec.not-recorded')))))),
    doorSources,
    alarms,
  );
}
