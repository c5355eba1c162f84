/**
 * The HTTPS certificate. An administrator-provided certificate (config http.tls) is used as it
 * is; otherwise a self-signed ECDSA P-256 / SHA-256 certificate is made once at first start and
 * kept in <dataDir>/tls/ (not the RSA/SHA-1 defaults of older tools). Browsers will warn about a
 * self-signed certificate until the administrator installs one of the fund's own.
 */
import { readFile } from 'node:fs/promises';
import { webcrypto, X509Certificate, createPrivateKey } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError, errnoCode } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { ensureDirectory, writeFileDurable } from '../storage/durable-file.js';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly source: 'configured' | 'self-signed';
  /** SHA-256 fingerprint, for the administrator to compare with what the browser shows. */
  readonly fingerprint: string;
}

const SELF_SIGNED_VALID_DAYS = 825;
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export async function loadTlsMaterial(options: { certFile?: string; keyFile?: string; dataDir: string; clock: Clock; logger: Logger }): Promise<TlsMaterial> {
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    const material = await readPair(options.certFile, options.keyFile, 'configured');
    options.logger.info('TLS certificate loaded', { file: options.certFile, fingerprint: material.fingerprint });
    return material;
  }
  const dir = join(options.dataDir, 'tls');
  const certFile = join(dir, 'self-signed-cert.pem');
  const keyFile = join(dir, 'self-signed-key.pem');
  try {
    return await readPair(certFile, keyFile, 'self-signed');
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'TLS_CERT_MISSING')) throw err;
  }
  const made = await makeSelfSigned(options.clock.now());
  await ensureDirectory(dir);
  await writeFileDurable(keyFile, made.key);
  await writeFileDurable(certFile, made.cert, 0o644);
  options.logger.warn('made a self-signed TLS certificate; install the fund’s own certificate (http.tls)', { fingerprint: made.fingerprint });
  return made;
}

async function readPair(certFile: string, keyFile: string, source: TlsMaterial['source']): Promise<TlsMaterial> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch (err) {
    const code = errnoCode(err);
    throw new AppError(code === 'ENOENT' ? 'TLS_CERT_MISSING' : 'TLS_CERT_UNREADABLE', `cannot read the TLS certificate or key (${code ?? 'error'})`, { cause: err });
  }
  try {
    const parsed = new X509Certificate(cert);
    createPrivateKey(key);
    if (!parsed.checkPrivateKey(createPrivateKey(key))) throw new Error('the key does not belong to the certificate');
    return { cert, key, source, fingerprint: parsed.fingerprint256 };
  } catch (err) {
    throw new AppError('TLS_CERT_INVALID', `the TLS certificate or key is not valid: ${(err as Error).message}`, { cause: err });
  }
}

async function makeSelfSigned(nowMs: number): Promise<TlsMaterial> {
  // Loaded only to make the certificate (once, at the first start): reading one needs node:crypto
  // alone. @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the
  // reflect-metadata polyfill first.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as never);
  const keys = (await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const name = hostname();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(16)).reduce((hex, byte) => hex + byte.toString(16).padStart(2, '0'), '').replace(/^[89a-f]/, '1'),
    name: `CN=${name}, O=Tallennin`,
    notBefore: new Date(nowMs - 60_000),
    notAfter: new Date(nowMs + SELF_SIGNED_VALID_DAYS * 24 * 3600_000),
    signingAlgorithm: ECDSA_P256,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: name },
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  const cert = certificate.toString('pem') + '\n';
  return { cert, key, source: 'self-signed', fingerprint: new X509Certificate(cert).fingerprint256 };
}
