/**
 * The QR code of a second factor's otpauth:// address, drawn on the service as an SVG and sent
 * as a data URL: no QR library in the browser, no request that could be cached or logged with
 * the secret in it, and the CSP allows `data:` for images only (app.ts). The maintained `qrcode`
 * package draws it; its SVG holds paths only (no text, no script).
 */
export async function totpQrCode(uri: string): Promise<string> {
  // Loaded at the first enrolment: a running box draws a QR code only when someone enrols.
  const { default: QRCode } = await import('qrcode');
  // Error correction M: still read from a screen with some glare; margin 4 is the quiet zone the standard asks.
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
