/**
 * A door controller at full tilt, in its own process (as a controller is its own machine): signed
 * webhook batches at a steady rate for a while. argv: port, CA file, source id, secret, events a
 * second, seconds, events a batch. Prints `sending` when it starts and a JSON summary at the end.
 */
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';

const [port, caFile, source, secret, perSecond, seconds, perBatch] = process.argv.slice(2);
const ca = readFileSync(caFile, 'utf8');
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const batchesPerSecond = Number(perSecond) / Number(perBatch);
const total = Math.round(batchesPerSecond * Number(seconds));
const summary = { batches: 0, accepted: 0, refused: {}, errors: 0, latencyMs: [] };
let n = 0;

function send(batch) {
  const occurredAt = new Date().toISOString();
  const events = Array.from({ length: Number(perBatch) }, (_, i) => ({ id: `bench-${batch}-${i}`, kind: 'access-granted', door: 'Palvelinhuone', direction: i % 2 === 0 ? 'in' : 'out', card: String(100000 + ((batch * 7 + i) % 500)), occurredAt }));
  const body = Buffer.from(JSON.stringify({ events }));
  const t = Math.floor(Date.now() / 1000);
  const signature = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: '/api/v1/door-events', method: 'POST', ca, servername: 'localhost', agent, headers: { host: `localhost:${port}`, 'content-type': 'application/json', 'content-length': body.length, 'tallennin-source': source, 'tallennin-signature': signature } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        summary.batches++;
        summary.latencyMs.push(performance.now() - started);
        if (res.statusCode === 200) summary.accepted += JSON.parse(Buffer.concat(chunks).toString()).accepted;
        else summary.refused[res.statusCode] = (summary.refused[res.statusCode] ?? 0) + 1;
        resolve();
      });
    });
    req.on('error', () => {
      summary.errors++;
      resolve();
    });
    req.end(body);
  });
}

process.stdout.write('sending\n');
const begun = performance.now();
const pending = [];
// Paced by the clock: batch k leaves at k / rate seconds, whatever the answers take.
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - begun) / 1000) * batchesPerSecond) + 1);
    while (n < due) pending.push(send(n++));
    if (n >= total) return resolve();
    setTimeout(tick, 5);
  };
  tick();
});
await Promise.all(pending);
const sorted = summary.latencyMs.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ ...summary, latencyMs: undefined, sendSeconds: (performance.now() - begun) / 1000, p95LatencyMs: sorted[Math.floor(sorted.length * 0.95)] ?? null })}\n`);
agent.destroy();
