import t from 'tap';
import { isE164, normalizePhoneNumber } from '../../../src/calls/phone-number.js';
import { RecordingRules } from '../../../src/calls/recording-rules.js';
import { AgentDirectory } from '../../../src/calls/agent-directory.js';

t.test('when Finnish numbers come in national or international form, then they are stored in E.164', async (t) => {
  t.equal(normalizePhoneNumber('0201234567', 'FI'), '+358201234567');
  t.equal(normalizePhoneNumber('00358401234567', 'FI'), '+358401234567');
  t.equal(normalizePhoneNumber('+358 40 123 4567', 'FI'), '+358401234567');
  t.equal(normalizePhoneNumber('09 1234 567', 'FI'), '+35891234567');
});

t.test('when a caller is withheld or a number is not in the plan, then withheld is null and the rest is kept as received', async (t) => {
  t.equal(normalizePhoneNumber('', 'FI'), null);
  t.equal(normalizePhoneNumber('  ', 'FI'), null);
  t.equal(normalizePhoneNumber('112', 'FI'), '112');
  t.ok(isE164('+358201234567'));
  t.notOk(isE164('0201234567'));
});

t.test('when recording rules list service numbers in any form, then calls to them are recorded and others not', async (t) => {
  const rules = new RecordingRules(['020 123 4567', '+358207654321'], 'FI');
  t.ok(rules.isRecorded('+358201234567'));
  t.ok(rules.isRecorded('0207654321'));
  t.notOk(rules.isRecorded('+358209999999'));
  t.notOk(rules.isRecorded(null));
  t.same([...rules.numbers].sort(), ['+358201234567', '+358207654321']);
});

t.test('when a recording rule is not a phone number, then construction fails with a clear code', async (t) => {
  t.throws(() => new RecordingRules(['service line'], 'FI'), { code: 'RECORDING_RULES_INVALID' });
});

t.test('when the agent directory is looked up, then the agent of the extension is found with an E.164 phone', async (t) => {
  const directory = new AgentDirectory([{ extension: '2001', name: ' Aino Agentti ', phone: '0401234567' }], 'FI');
  t.same(directory.lookup('2001'), { extension: '2001', name: 'Aino Agentti', phone: '+358401234567' });
  t.equal(directory.lookup('2002'), undefined);
  t.equal(directory.size, 1);
});

t.test('when an extension is listed twice, then the directory is refused', async (t) => {
  t.throws(
    () => new AgentDirectory([{ extension: '1', name: 'A', phone: '0401234567' }, { extension: '1', name: 'B', phone: '0401234568' }], 'FI'),
    { code: 'AGENT_DIRECTORY_INVALID' },
  );
});
