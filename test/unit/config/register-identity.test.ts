/**
 * The register and its controller in the configuration: a production box must name them (a
 * clear CONFIG_REGISTER_MISSING), a demo has the demo's, and a malformed one is refused with the
 * path of each problem.
 */
import t from 'tap';
import { parseConfig, requireRegisterIdentity } from '../../../src/config/load-config.js';
import { DEMO_REGISTER_IDENTITY } from '../../../src/config/config-schema.js';

const REGISTER = { name: 'Testikassan puhelutallennerekisteri', controller: { name: 'Testikassa', address: 'Testikatu 3, 00530 Helsinki' } };

void t.test('when a production configuration names the register, then it is kept as written', async (t) => {
  t.same(requireRegisterIdentity(parseConfig({ mode: 'production', register: REGISTER })), REGISTER);
});

void t.test('when a production configuration does not name the register, then the register command refuses it clearly (the service records and raises REGISTER_NOT_NAMED)', async (t) => {
  const config = parseConfig({ mode: 'production' });
  t.throws(() => requireRegisterIdentity(config), { code: 'CONFIG_REGISTER_MISSING', message: /^register: the configuration must name the register and its controller/ });
});

void t.test('when a demo configuration does not name the register, then it has the demo’s fictional fund', async (t) => {
  t.same(requireRegisterIdentity(parseConfig({ mode: 'demo' })), DEMO_REGISTER_IDENTITY);
});

void t.test('when the register is malformed, then every problem is named by its path', async (t) => {
  t.throws(() => parseConfig({ mode: 'production', register: { name: 'x', controller: { name: 'Testikassa', address: '', extra: 1 } } }), { code: 'CONFIG_INVALID', details: { problems: [/^register\.name: /, /^register\.controller\.address: /, /^register\.controller: /] } });
});
