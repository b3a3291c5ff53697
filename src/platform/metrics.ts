// Prometheus metrics at /metrics: the process's defaults and a request histogram
// labelled by route pattern (never the raw URL, which would explode the series).
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requestDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pageCache = new client.Counter({
    name: 'page_cache_requests_total',
    help: 'Page cache lookups by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Beacons are mostly answered before Fastify (audience/beacon-door.ts), out of the
  // request histogram: counted here by what became of them.
  const viewBeacons = new client.Counter({
    name: 'view_beacons_total',
    help: 'View beacons: counted, not counted (a repeat, a bot, an unknown article) or limited',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  return { registry, requestDuration, pageCache, viewBeacons };
}
export type Metrics = ReturnType<typeof createMetrics>;
