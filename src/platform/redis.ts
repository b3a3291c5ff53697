// Optional Redis connection (REDIS_URL). Commands never wait for a lost Redis: they
// fail fast so callers fall back to in-process state, and ioredis reconnects.
import { Redis } from 'ioredis';

export function connectRedis(url: string, onError: (err: Error) => void): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', onError);
  return redis;
}
