/**
 * A login flood in its own process, as an attacker on another machine would be: N parallel
 * clients POST wrong passwords to /api/v1/session without pause until this process is stopped.
 * Kept apart from the measuring client so that the flood's own work (TLS, parsing answers) never
 * delays the measurement. Prints "flooding" once the first answers arrive and, at SIGTERM, the
 * count of answers by status. With ADDRESSES, client i comes from 127.0.0.(2 + i mod ADDRESSES),
 * as attackers on that many machines.
 *
 *   node bench/lib/login-flood.js PORT CA_FILE USERNAME [CLIENTS] [ADDRESSES]
 */
import { request, Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';

const [port, caFile, username, clients = '50', addresses] = process.argv.slice(2);
const ca = readFileSync(caFile, 'utf8');
const agent = new Agent({ keepAlive: true, ca });
const payload = Buffer.from(JSON.stringify({ username, password: 'väärä salasana tulvassa' }));
const statuses = {};
let announced = false;
let running = true;

const attempt = (client) =>
  new Promise((resolve) => {
    const from = addresses === undefined ? {} : { localAddress: `127.0.0.${2 + (client % Number(addresses))}` };
    const req = request({ host: '127.0.0.1', ...from, port: Number(port), path: '/api/v1/session', method: 'POST', agent, servername: 'localhost', headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(payload);
  });

process.on('SIGTERM', () => {
  running = false;
  process.stdout.write(`answers ${JSON.stringify(statuses)}\n`);
  process.exit(0);
});

await Promise.all(
  Array.from({ length: Number(clients) }, async (_, client) => {
    while (running) {
      const status = await attempt(client);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (!announced) {
        announced = true;
        process.stdout.write('flooding\n');
      }
    }
  }),
);
