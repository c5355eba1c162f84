import t from 'tap';
import {
  SCBK_DEFAULT,
  SecureSession,
  acuCryptogram,
  chainedMac,
  decryptData,
  deriveSessionKeys,
  encryptData,
  initialRmac,
  parseScbk,
  readerCryptogram,
} from '../../../../src/doors/osdp/secure-channel.js';

// SIA OSDP v2.2, Annex E: the secure channel example with SCBK-D, byte for byte.
const ACU_RANDOM = Buffer.from('b0b1b2b3b4b5b6b7', 'hex');
const READER_RANDOM = Buffer.from('a0a1a2a3a4a5a6a7', 'hex');
const hex = (value: string): Buffer => Buffer.from(value.replace(/ /g, ''), 'hex');

void t.test('when the session keys are derived from SCBK-D and the Annex E random, then they are the published ones', async (t) => {
  t.equal(SCBK_DEFAULT.toString('hex'), '303132333435363738393a3b3c3d3e3f');
  const keys = deriveSessionKeys(SCBK_DEFAULT, ACU_RANDOM);
  t.same(keys.mac1, hex('5E86C676603BDEE2 D8BEAFE178637332'));
  t.same(keys.mac2, hex('6FDA86E857777E81 132035758239172E'));
  t.same(keys.enc, hex('BF8DC2A8329ACB8C 67C6D0CD9A451682'));
});

void t.test('when the cryptograms and R-MAC-I are computed, then they are the published ones', async (t) => {
  const keys = deriveSessionKeys(SCBK_DEFAULT, ACU_RANDOM);
  t.same(readerCryptogram(keys, ACU_RANDOM, READER_RANDOM), hex('FDE5D2F428EC1631 2471EA3C02BD7796'), 'client (reader) cryptogram');
  const acu = acuCryptogram(keys, ACU_RANDOM, READER_RANDOM);
  t.same(acu, hex('26D3356E07762D26 2801FC8E6665A891'), 'server (ACU) cryptogram');
  t.same(initialRmac(keys, acu), hex('B2A30057EB98BA22 29EC1F875662B524'));
});

void t.test('when data is encrypted and decrypted with the same chain, then it comes back; a wrong chain or padding gives null', async (t) => {
  const keys = deriveSessionKeys(SCBK_DEFAULT, ACU_RANDOM);
  const iv = Buffer.alloc(16, 7);
  for (const length of [0, 1, 15, 16, 17, 40]) {
    const data = Buffer.alloc(length, 0x5a);
    const sealed = encryptData(keys, iv, data);
    t.equal(sealed.length % 16, 0);
    t.ok(sealed.length > length, 'the end marker always takes room');
    t.same(decryptData(keys, iv, sealed), data, `length ${length}`);
  }
  t.equal(decryptData(keys, iv, Buffer.alloc(15)), null, 'not whole blocks');
  t.equal(decryptData(keys, iv, Buffer.alloc(0)), null, 'nothing');
  const sealed = encryptData(keys, iv, Buffer.from('1234'));
  t.not(decryptData(keys, Buffer.alloc(16, 8), sealed)?.toString(), '1234', 'another chain does not give the data');
});

void t.test('when a MAC is computed, then it pads a short or empty last block and not an aligned one', async (t) => {
  const keys = deriveSessionKeys(SCBK_DEFAULT, ACU_RANDOM);
  const iv = Buffer.alloc(16);
  const aligned = Buffer.alloc(16, 1);
  const padded = Buffer.concat([Buffer.alloc(15, 1), Buffer.from([0x80])]);
  t.same(chainedMac(keys, iv, Buffer.alloc(15, 1)), chainedMac(keys, iv, padded), '15 bytes are padded with 0x80');
  t.not(chainedMac(keys, iv, aligned).toString('hex'), chainedMac(keys, iv, Buffer.concat([aligned, Buffer.from([0x80]), Buffer.alloc(15)])).toString('hex'));
  t.equal(chainedMac(keys, iv, Buffer.alloc(0)).length, 16);
});

void t.test('when both ends keep a session, then their MAC chains and ciphers agree packet after packet', async (t) => {
  const keys = deriveSessionKeys(SCBK_DEFAULT, ACU_RANDOM);
  const rmacI = initialRmac(keys, acuCryptogram(keys, ACU_RANDOM, READER_RANDOM));
  const acu = new SecureSession(keys, rmacI);
  const reader = new SecureSession(keys, rmacI);
  for (let i = 0; i < 3; i++) {
    const command = Buffer.from(`command ${i}`);
    const sealed = acu.encryptCommand(command);
    t.same(acu.macCommand(sealed), reader.macCommand(sealed));
    t.same(reader.decryptCommand(sealed), command);
    const reply = Buffer.from(`reply ${i} with more bytes than a block`);
    const sealedReply = reader.encryptReply(reply);
    t.same(reader.macReply(sealedReply), acu.macReply(sealedReply));
    t.same(acu.decryptReply(sealedReply), reply);
  }
});

void t.test('when an SCBK is read from hex, then only 32 hex digits pass', async (t) => {
  t.same(parseScbk('00112233445566778899AABBCCDDEEFF'), hex('00112233445566778899aabbccddeeff'));
  t.throws(() => parseScbk('0011'), { code: 'OSDP_SECURE_CHANNEL_FAILED' });
  t.throws(() => deriveSessionKeys(Buffer.alloc(3), ACU_RANDOM), { code: 'OSDP_SECURE_CHANNEL_FAILED' });
});
