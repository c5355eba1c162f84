/**
 * Account administration through the API: the second factor's QR code, the password reset link
 * (single use, expiry, audit, the user's sessions end), why a session ended, and the audit trail
 * read by name.
 */
import t from 'tap';
import { firstAdministrator, PASSWORD, startApiAppliance } from './support/api-appliance.js';

t.test('when a second factor is set up, then the answer carries its QR code as an SVG data URL that the CSP lets an image show, and nothing else', async (t) => {
  const fixture = await startApiAppliance(t);
  const admin = fixture.client();
  await admin.post('/api/v1/setup', { token: fixture.appliance.setupToken, username: 'yllapitaja', displayName: 'Ylläpitäjä', password: PASSWORD });
  await admin.login('yllapitaja', PASSWORD);
  const begun = await admin.post('/api/v1/me/totp');
  t.equal(begun.status, 201);
  const { qrCode, uri } = begun.json<{ qrCode: string; uri: string }>();
  t.match(uri, /^otpauth:\/\/totp\//);
  t.match(qrCode, /^data:image\/svg\+xml;base64,/, 'a data URL of an SVG image');
  const svg = Buffer.from(qrCode.slice(qrCode.indexOf(',') + 1), 'base64').toString('utf8');
  t.match(svg, /^<svg[^>]*viewBox="0 0 \d+ \d+"/, 'an SVG with its size');
  t.notMatch(svg, /<script|on\w+=/i, 'no script in it');
  t.notMatch(svg, /otpauth|secret/i, 'the secret is drawn, not written in the text');
  const csp = String(begun.headers['content-security-policy']);
  t.match(csp, /img-src 'self' data:/, 'images may be data URLs');
  t.match(csp, /script-src 'self'(;|$)/, 'scripts may not');
  t.match(csp, /default-src 'none'/);
});
