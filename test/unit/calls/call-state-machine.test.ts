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
    { kind: 'close-call', callRef: 7, endTick: 102, reason: 'completed' },
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

for (const [input, reason] of [
  ['link-lost', 'link-lost'],
  ['bridge-restarted', 'bridge-restarted'],
  ['shutdown', 'service-stopped'],
] as const) {
  t.test(`when ${input} happens during a call, then the call closes as ${reason} after its last audio`, async (t) => {
    const { state, effects } = run([
      { kind: 'call-start', callRef: 9, tick: 20 },
      { kind: 'audio', tick: 20 },
      { kind: 'audio', tick: 21 },
      { kind: input },
    ]);
    t.same(state, IDLE);
    t.match(effects.at(-1), { kind: 'close-call', callRef: 9, endTick: 22, reason });
    t.same(run([{ kind: input }]).effects, [], 'idle channel: nothing to close');
  });
}

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
