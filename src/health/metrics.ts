/**
 * The Prometheus text exposition at /metrics (prom-client), built at each scrape from the health
 * report, so every counter the report gains shows up here without a change: each number becomes a
 * gauge named by its path (`bridge.linkUp` -> `tallennin_bridge_link_up`), each group of counters
 * (`counters`, `linkErrors`...) one counter family with a `name` label, each list its length.
 * Beside it: alarms open by severity, the last purge's results, the delivery queues, and the
 * request latencies of the web server (a histogram by method, route pattern and status).
 * Ids, names and numbers never become labels: only the report's own field names do.
 */
import type * as PromClient from 'prom-client';
import type { AlarmLog } from './alarms.js';

type Client = typeof PromClient;

export interface MetricsSources {
  /** The health report (health-report.ts), or any object of numbers, booleans and lists. */
  readonly health: () => Promise<object>;
  readonly alarms: AlarmLog;
  /** More figures, flattened the same way: the last purge, the delivery queues. */
  readonly extra?: () => Record<string, unknown>;
}

const PREFIX = 'tallennin';
/** Objects whose fields are counts of one kind: one family, the field as the `name` label. */
const COUNTER_GROUP = /^(counters|linkErrors)$|Counters$/;
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

/** The Prometheus text format's media type. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Metrics {
  // prom-client is loaded when the service starts, not when a `tallennin` command loads this module.
  private readonly loading: Promise<{ client: Client; base: PromClient.Registry; latency: PromClient.Histogram<'method' | 'route' | 'status'> }>;
  private loaded: Awaited<Metrics['loading']> | undefined;

  constructor(private readonly sources: MetricsSources) {
    this.loading = import('prom-client').then((module) => {
      const client = (module as unknown as { default: Client }).default ?? module;
      const base = new client.Registry();
      const latency = new client.Histogram({ name: `${PREFIX}_http_request_duration_seconds`, help: 'Time to answer an HTTP request', labelNames: ['method', 'route', 'status'], buckets: LATENCY_BUCKETS_S, registers: [base] });
      this.loaded = { client, base, latency };
      return this.loaded;
    });
  }

  get contentType(): string {
    return METRICS_CONTENT_TYPE;
  }

  /** One answered request; `route` is the route's pattern (`/api/v1/calls/:id`), never the address asked for. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    // A request answered in the first moments, before prom-client has loaded, is not counted.
    this.loaded?.latency.observe({ method, route, status: String(status) }, seconds);
  }

  async text(): Promise<string> {
    const { client, base } = await this.loading;
    const registry = new client.Registry();
    const gauges = new Map<string, PromClient.Gauge>();
    const counters = new Map<string, PromClient.Counter<'name'>>();
    const gauge = (name: string, value: number, help: string): void => {
      let metric = gauges.get(name);
      if (metric === undefined) {
        metric = new client.Gauge({ name, help, registers: [registry] });
        gauges.set(name, metric);
      }
      metric.set(value);
    };
    const walk = (value: unknown, path: string[]): void => {
      const name = [PREFIX, ...path.map(snake)].join('_');
      if (typeof value === 'number' && Number.isFinite(value)) gauge(name, value, `health report: ${path.join('.')}`);
      else if (typeof value === 'boolean') gauge(name, value ? 1 : 0, `health report: ${path.join('.')} (1 = true)`);
      else if (Array.isArray(value)) gauge(`${name}_count`, value.length, `health report: entries of ${path.join('.')}`);
      else if (typeof value === 'object' && value !== null) {
        const last = path.at(-1) ?? '';
        if (COUNTER_GROUP.test(last)) {
          const family = new client.Counter({ name: `${name}_total`, help: `health report: ${path.join('.')}`, labelNames: ['name'], registers: [registry] });
          counters.set(name, family);
          for (const [field, count] of Object.entries(value)) if (typeof count === 'number' && Number.isFinite(count) && count >= 0) family.inc({ name: field }, count);
        } else for (const [field, inner] of Object.entries(value)) walk(inner, [...path, field]);
      }
    };
    walk(await this.sources.health(), []);
    walk(this.sources.extra?.() ?? {}, []);
    const open = new client.Gauge({ name: `${PREFIX}_alarms_open`, help: 'Open alarms by severity', labelNames: ['severity'], registers: [registry] });
    for (const severity of ['info', 'warning', 'critical'] as const) open.set({ severity }, 0);
    for (const alarm of this.sources.alarms.records()) if (alarm.state === 'open') open.inc({ severity: alarm.severity });
    return await client.Registry.merge([registry, base]).metrics();
  }
}
