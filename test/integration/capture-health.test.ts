/**
 * The capture thread in the health report (the System view): its event-loop delay (p99, max),
 * restarts and the silence its writers filled; a delay above 100 ms raises CAPTURE_DELAY. The
 * capture engine runs here on the test's own thread (capture: 'inline'), so holding this thread
 * holds the engine's loop, exactly as a stall in the capture thread would.
 */
import t from 'tap';
import { firstAdministrator, startApiAppliance } from './support/api-appliance.js';
import type { CaptureStats } from '../../src/capture-thread/capture-messages.js';

interface CaptureHealth {
  capture: { running: boolean; restarts: number; eventLoopDelay: { p99Ms: number; maxMs: number; maxEverMs: number }; eventLoopDelayAlarmMs: number; gapSecondsFilled: number };
  alarms: { recent: Array<{ code: string; raisedAt: string; fields: Record<string, string | number> }> };
}

t.test('when the capture loop is held up 300 ms, then the health report shows the delay and CAPTURE_DELAY is raised once', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const before = (await admin.get('/api/v1/health')).json<CaptureHealth>();
  t.match(before.capture, { running: true, restarts: 0, eventLoopDelayAlarmMs: 100, gapSecondsFilled: 0 });
  // A minute on (the manual clock): whatever the start-up cost, the next delay may alarm again.
  fixture.clock.advance(61_000);
  const since = fixture.clock.now();

  // Two stalls in a row: the first report above the threshold alarms, the next is only logged.
  // A stall shows in the report of the window the delay sample falls in, which may be the next
  // one; so each stall is held until a report of it has come (three reports looked at a time).
  const nextReports = (count: number): Promise<CaptureStats[]> =>
    new Promise((resolve) => {
      const seen: CaptureStats[] = [];
      const check = (stats: CaptureStats): void => {
        seen.push(stats);
        if (seen.length < count) return;
        fixture.appliance.capture.off('stats', check);
        resolve(seen);
      };
      fixture.appliance.capture.on('stats', check);
    });
  for (let stall = 0; stall < 2; stall++) {
    let measured: CaptureStats | undefined;
    for (let attempt = 0; attempt < 10 && measured === undefined; attempt++) {
      const reports = nextReports(3);
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // held up
      }
      measured = (await reports).find((stats) => stats.eventLoopDelay.maxMs > 100);
    }
    t.ok(measured !== undefined && measured.eventLoopDelay.maxMs > 100, 'the stall is measured');
  }

  const after = (await admin.get('/api/v1/health')).json<CaptureHealth>();
  t.ok(after.capture.eventLoopDelay.maxEverMs > 100, `the largest delay since start is shown (${after.capture.eventLoopDelay.maxEverMs} ms)`);
  const alarms = after.alarms.recent.filter((alarm) => alarm.code === 'CAPTURE_DELAY' && Date.parse(alarm.raisedAt) >= since);
  t.equal(alarms.length, 1, 'CAPTURE_DELAY raised, once a minute at most');
  t.equal(alarms[0]?.fields.thresholdMs, 100);
});

t.test('when a recording lost audio, then the health report counts the filled silence', async (t) => {
  const fixture = await startApiAppliance(t);
  const { admin } = await firstAdministrator(fixture);
  const tracker = fixture.appliance.capture.inlineTracker;
  tracker.onHeartbeat({ uptimeMs: 20_000, tick: 1000, activeChannels: [] });
  tracker.onCallStart({ bootId: 1, channel: 2, callRef: 5, tick: 1000, caller: '0401234567', called: '0201234567', agentExtension: '2001', resumed: false });
  // 50 ticks of audio with ticks 1020..1029 missing: 10 ticks (200 ms) filled with silence.
  for (let i = 0; i < 50; i++) if (i < 20 || i >= 30) tracker.onAudio({ tick: 1000 + i, channels: [{ channel: 2, samples: Buffer.alloc(160, 0x55) }] });
  tracker.onCallEnd({ bootId: 1, channel: 2, callRef: 5, tick: 1050, cause: 'normal' });
  await tracker.drain();
  const stats = new Promise<CaptureStats>((resolve) => fixture.appliance.capture.once('stats', resolve));
  t.equal((await stats).gapTicksFilled, 10, 'the capture thread counts 10 ticks filled');
  const health = (await admin.get('/api/v1/health')).json<CaptureHealth>();
  t.equal(health.capture.gapSecondsFilled, 0.2, '0.2 s of silence filled');
});
