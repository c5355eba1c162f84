/**
 * The disk check on a fake filesystem-usage series (a manual clock, one sample a day): the used
 * share's warning and critical levels (the purge runs at critical), and the forecast of days until
 * full at the last 7 days' rate.
 */
import t from 'tap';
import { ManualClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { AlarmLog } from '../../../src/health/alarms.js';
import { daysUntilFull, DiskCheck } from '../../../src/health/checks/disk-check.js';

const GB = 1e9;
const DAY = 24 * 3600_000;

function setUp() {
  const clock = new ManualClock(Date.UTC(2026, 10, 1));
  const alarms = new AlarmLog(clock, silentLogger);
  let used = 0;
  let purges = 0;
  const check = new DiskCheck({ usage: () => Promise.resolve({ sizeBytes: 1000 * GB, usedBytes: used }), alarms, clock, purge: () => Promise.resolve(purges++) });
  return { clock, alarms, check, setUsed: (bytes: number) => (used = bytes), purges: () => purges };
}

t.test('when the disk fills 10 GB a day with 200 GB left, then the forecast says 20 days and warns', async (t) => {
  const { clock, alarms, check, setUsed } = setUp();
  for (let day = 0; day < 8; day++) {
    setUsed((730 + day * 10) * GB);
    await check.run();
    if (day === 0) t.notOk(alarms.isOpen('DISK_FORECAST'), 'one sample says nothing about a rate');
    clock.advance(DAY);
  }
  const forecast = alarms.records().find((alarm) => alarm.code === 'DISK_FORECAST');
  t.equal(forecast?.state, 'open');
  t.equal(forecast?.fields.days, 20, '(1000 - 800) GB at 10 GB a day');
  t.notOk(alarms.isOpen('DISK_USAGE'), '80 % is no usage alarm');
});

t.test('when the rate slows down, then the forecast alarm clears; old samples past 7 days do not count', async (t) => {
  const { clock, alarms, check, setUsed } = setUp();
  for (let day = 0; day < 8; day++) {
    setUsed((730 + day * 10) * GB);
    await check.run();
    clock.advance(DAY);
  }
  t.ok(alarms.isOpen('DISK_FORECAST'));
  for (let day = 0; day < 8; day++) {
    setUsed((800 + day * 0.5) * GB);
    await check.run();
    clock.advance(DAY);
  }
  t.notOk(alarms.isOpen('DISK_FORECAST'), '~400 days at the new rate');
});

t.test('when the used share passes 85 % and 95 %, then a warning, then a critical alarm with a purge; below, it clears', async (t) => {
  const { alarms, check, setUsed, purges } = setUp();
  setUsed(860 * GB);
  await check.run();
  t.match(alarms.records()[0], { code: 'DISK_USAGE', severity: 'warning', state: 'open' });
  t.equal(purges(), 0);
  setUsed(960 * GB);
  await check.run();
  t.match(alarms.records()[0], { code: 'DISK_USAGE', severity: 'critical', count: 2 }, 'the same alarm, now critical');
  t.equal(purges(), 1, 'the oldest recordings past retention are purged at once');
  setUsed(700 * GB);
  await check.run();
  t.notOk(alarms.isOpen('DISK_USAGE'));
});

t.test('when the disk is not filling, then there is no forecast', async (t) => {
  t.equal(daysUntilFull([{ atMs: 0, usedBytes: 5 }, { atMs: 2 * DAY, usedBytes: 5 }], 10), null);
  t.equal(daysUntilFull([{ atMs: 0, usedBytes: 9 }, { atMs: 2 * DAY, usedBytes: 5 }], 10), null, 'shrinking');
  t.equal(daysUntilFull([{ atMs: 0, usedBytes: 0 }, { atMs: 2 * DAY, usedBytes: 2 }], 10), 8);
});
