// Optional Redis connection (REDIS_URL). Redis only shares what each instance can
// also keep alone (rate limits, view dedupe, purge broadcasts), so a request never
// waits for a Redis that is away or stuck: callers look at `status` and use their
// own memory unless it is 'ready', and a command that was sent fails fast:
// - enableOfflineQueue: false — nothing is queued while disconnected;
// - commandTimeout — a command without a reply rejects after this long (a stuck
//   Redis keeps the TCP connection open, so nothing else would notice);
// - socketTimeout — the same silence drops the connection, so `status` leaves
//   'ready' and the next requests skip Redis at once instead of each waiting;
// - maxRetriesPerRequest: 1 — commands cut by a lost connection fail after one
//   reconnect attempt instead of twenty;
// - enableAutoPipelining — commands issued in one tick (a write's several rate
//   limits, many requests at once) travel in one round trip;
// ioredis keeps reconnecting (retryStrategy). A subscriber renews its channels
// itself on every 'ready' (`subscriber: true` turns off ioredis's own renewal:
// in 6.0.0 that command's rejection is unhandled, so a connection dropped again
// while it resubscribes would end the process; redis/ioredis#2187).
import { Redis } from 'ioredis';

/**
 * Far above a healthy Redis's answer (and above an event-loop stall of a busy
 * process, which would otherwise time out a reply that already arrived), far
 * below a reader's patience.
 */
export const REDIS_TIMEOUT_MS = 1000;

export function connectRedis(url: string, onError: (err: Error) => void, { subscriber = false } = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_TIMEOUT_MS,
    socketTimeout: REDIS_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    autoResubscribe: !subscriber,
  });
  redis.on('error', onError);
  return redis;
}
