/**
 * The floor of any Node service: a bare node:https server with the given certificate that
 * answers every request with the same 64 KiB from memory (206, audio/wav). Prints its port.
 *
 *   node bench/lib/bare-https.js CERT_FILE KEY_FILE
 */
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';

const [certFile, keyFile] = process.argv.slice(2);
const body = Buffer.alloc(64 * 1024, 0x55);
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' }, (_req, res) => {
  res.writeHead(206, { 'content-type': 'audio/wav', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
