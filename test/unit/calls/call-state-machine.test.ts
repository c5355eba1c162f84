import t from 'tap';
import { IDLE, IDLE_HEARTBEATS_BEFORE_CLOSE, transition, type ChannelInput, type ChannelState } from '../../../src/calls/call-state-machine.js';

function run(inputs: ChannelInput[], from: ChannelState = IDLE) {
  let state = from;
  const effects = [];
  for (const input of inputs) {
    const result = transition(state, input);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

t.test('when a call starts and ends with the card signals, then it opens at the start tick and closes completed at the end tick', async (t) => {
  const { state, effects } = run([
    { kind: 'call-start', callRef: 7, tick: 100 },
    { kind: 'audio', tick: 100 },
    { kind: 'audio', tick: 101 },
    { kind: 'call-end', callRef: 7, tick: 102, abnormal: false },
  ]);
  t.same(state, IDLE);
  t.same(effects, [
    { kind: 'open-call', callRef: 7, startTick: 100 },
    { kind: 'record-audio', callRef: 7, tick: 100 },
    { kind: 'record-audio', callRef: 7, tick: 101 },
    { kind: 'close-call', callRef: 7, endTick: 102, reason: 'completed', heldFor: null },
  ]);
});

t.test('when the end signal carries an abnormal cause, then the call closes as abnormal, not interrupted', async (t) => {
  const { effects } = run([
    { kind: 'call-start', callRef: 1, tick: 0 },
    { kind: 'call-end', callRef: 1, tick: 50, abnormal: true },
  ]);
  t.match(effects.at(-1), { kind: 'close-call', reason: 'abnormal', endTick: 50 });
});

t.test('when a start signal is repeated, then nothing changes', async (t) => {
  const { state, effects } = run([
    { kind: 'call-start', callRef: 3, tick: 10 },
    { kind: 'call-start', callRef: 3, tick: 10 },
  ]);
  t.equal(effects.length, 1);
  t.match(state, { kind: 'in-call', callRef: 3 });
});

t.test('when audio comes before the start tick or with no call, then it is not recorded', async (t) => {
  t.same(run([{ kind: 'audio', tick: 5 }]).effects, []);
  const { effects } = run([{ kind: 'call-start', callRef: 3, tick: 10 }, { kind: 'audio', tick: 9 }]);
  t.same(effects, [{ kind: 'open-call', callRef: 3, startTick: 10 }]);
});

t.test('when an end signal names another call or comes while idle, then it is ignored', async (t) => {
  t.same(run([{ kind: 'call-end', callRef: 1, tick: 5, abnormal: false }]).effects, []);
  const { state, effects } = run([
    { kind: 'call-start', callRef: 2, tick: 0 },
    { kind: 'call-end', callRef: 1, tick: 5, abnormal: false },
  ]);
  t.equal(effects.length, 1);
  t.match(state, { kind: 'in-call', callRef: 2 });
});

t.test('when a new call starts on a busy channel, then the old call closes as end-signal-lost after its last audio', async (t) => {
  const { effects, state } = run([
    { kind: 'call-start', callRef: 1, tick: 0 },
    { kind: 'audio', tick: 0 },
    { kind: 'audio', tick: 1 },
    { kind: 'call-start', callRef: 2, tick: 400 },
  ]);
  t.match(effects.slice(-2), [
    { kind: 'close-call', callRef: 1, endTick: 2, reason: 'end-signal-lost' },
    { kind: 'open-call', callRef: 2, startTick: 400 },
  ]);
  t.match(state, { kind: 'in-call', callRef: 2 });
});

t.test('when shutdown happens during a call, then the call closes as service-stopped after its last audio', async (t) => {
  const { state, effects } = run([
    { kind: 'call-start', callRef: 9, tick: 20 },
    { kind: 'audio', tick: 20 },
    { kind: 'audio', tick: 21 },
    { kind: 'shutdown' },
  ]);
  t.same(state, IDLE);
  t.match(effects.at(-1), { kind: 'close-call', callRef: 9, endTick: 22, reason: 'service-stopped' });
  t.same(run([{ kind: 'shutdown' }]).effects, [], 'idle channel: nothing to close');
});

for (const [input, cause, reason] of [
  ['link-lost', 'link-lost', 'link-lost'],
  ['bridge-restarted', 'bridge-restart', 'bridge-restarted'],
] as const) {
  t.test(`when ${input} happens during a call, then the call is held, its audio kept aside, and it ends as ${reason} only when the hold expires, the stop comes or the channel is idle for good`, async (t) => {
    const opened: ChannelInput[] = [
      { kind: 'call-start', callRef: 9, tick: 20 },
      { kind: 'audio', tick: 20 },
      { kind: 'audio', tick: 21 },
      { kind: input },
    ];
    const held = run(opened);
    t.match(held.state, { kind: 'in-call', callRef: 9, held: cause });
    t.same(held.effects.at(-1), { kind: 'hold-call', callRef: 9, cause });
    t.equal(run([...opened, { kind: input }]).effects.length, held.effects.length, 'a second loss changes nothing');
    t.same(run([...opened, { kind: 'audio', tick: 30 }]).effects.at(-1), { kind: 'hold-audio', callRef: 9, tick: 30 });
    for (const end of [{ kind: 'hold-expired' }, { kind: 'shutdown' }] as const) {
      const ended = run([...opened, end]);
      t.same(ended.state, IDLE);
      t.match(ended.effects.at(-1), { kind: 'close-call', callRef: 9, endTick: 22, reason, heldFor: cause });
    }
    const idle: ChannelInput[] = [...opened];
    for (let i = 0; i < IDLE_HEARTBEATS_BEFORE_CLOSE; i++) idle.push({ kind: 'heartbeat', active: false });
    t.match(run(idle).effects.at(-1), { kind: 'close-call', reason });
    t.same(run([{ kind: input }]).effects, [], 'idle channel: nothing to hold');
    t.same(run([{ kind: 'hold-expired' }]).effects, []);
    t.same(run([{ kind: 'call-start', callRef: 9, tick: 20 }, { kind: 'hold-expired' }]).effects.length, 1, 'a call not held does not expire');
  });
}

t.test('when a held call is announced again, then it resumes: the same ref after a lost link, the same parties after a bridge restart', async (t) => {
  const lost = run([{ kind: 'call-start', callRef: 9, tick: 20 }, { kind: 'link-lost' }, { kind: 'call-start', callRef: 9, tick: 20 }]);
  t.same(lost.effects.at(-1), { kind: 'resume-call', callRef: 9, tick: 20, cause: 'link-lost' });
  t.match(lost.state, { kind: 'in-call', callRef: 9, held: null });
  const restarted = run([{ kind: 'call-start', callRef: 9, tick: 20 }, { kind: 'bridge-restarted' }, { kind: 'call-start', callRef: 1, tick: 3, sameParties: true }]);
  t.same(restarted.effects.at(-1), { kind: 'resume-call', callRef: 1, tick: 3, cause: 'bridge-restart' });
  t.match(restarted.state, { kind: 'in-call', callRef: 1, startTick: 3, held: null });
  const other = run([{ kind: 'call-start', callRef: 9, tick: 20 }, { kind: 'bridge-restarted' }, { kind: 'call-start', callRef: 1, tick: 3, sameParties: false }]);
  t.match(other.effects.slice(-2), [{ kind: 'close-call', callRef: 9, reason: 'bridge-restarted' }, { kind: 'open-call', callRef: 1 }]);
  const ended = run([{ kind: 'call-start', callRef: 9, tick: 20 }, { kind: 'link-lost' }, { kind: 'call-end', callRef: 9, tick: 80, abnormal: false }]);
  t.same(ended.effects.at(-1), { kind: 'close-call', callRef: 9, endTick: 80, reason: 'completed', heldFor: 'link-lost' });
  t.same(run([{ kind: 'call-start', callRef: 9, tick: 20 }, { kind: 'bridge-restarted' }, { kind: 'call-end', callRef: 9, tick: 80, abnormal: false }]).effects.length, 2, 'a void ref after a restart ends nothing');
});

t.test('when the bridge reports the channel idle only within the resend window, then the call stays open', async (t) => {
  const inputs: ChannelInput[] = [{ kind: 'call-start', callRef: 4, tick: 0 }];
  for (let i = 0; i < IDLE_HEARTBEATS_BEFORE_CLOSE - 1; i++) inputs.push({ kind: 'heartbeat', active: false });
  inputs.push({ kind: 'heartbeat', active: true });
  for (let i = 0; i < IDLE_HEARTBEATS_BEFORE_CLOSE - 1; i++) inputs.push({ kind: 'heartbeat', active: false });
  const { state, effects } = run(inputs);
  t.equal(effects.length, 1);
  t.match(state, { kind: 'in-call', callRef: 4 });
});

t.test('when the bridge reports the channel idle beyond the resend window, then the call closes as end-signal-lost', async (t) => {
  const inputs: ChannelInput[] = [{ kind: 'call-start', callRef: 4, tick: 0 }, { kind: 'audio', tick: 0 }];
  for (let i = 0; i < IDLE_HEARTBEATS_BEFORE_CLOSE; i++) inputs.push({ kind: 'heartbeat', active: false });
  const { state, effects } = run(inputs);
  t.same(state, IDLE);
  t.match(effects.at(-1), { kind: 'close-call', reason: 'end-signal-lost', endTick: 1 });
  t.same(run([{ kind: 'heartbeat', active: false }]).effects, []);
});
