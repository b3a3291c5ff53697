// Rate limits shared by every instance through Redis, with this instance's memory
// as the fallback: when Redis is away, limits still hold per instance instead of
// vanishing (the plugin's own `skipOnError` would let every request through), and
// they move back to Redis as soon as it answers again.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

const require = createRequire(import.meta.url);
// The plugin's own stores; they are plain CommonJS constructors without types.
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as StoreConstructor<[boolean, boolean, Redis, string]>;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as StoreConstructor<[boolean, boolean, number?]>;

type Callback = (err: Error | null, result: { current: number; ttl: number } | null) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): Store;
}
type StoreConstructor<A extends unknown[]> = new (...args: A) => Store;
interface RouteOptions {
  continueExceeding: boolean;
  exponentialBackoff: boolean;
  routeInfo: { method: string; url: string };
}

export function fallbackStore(redis: Redis, prefix = 'gorod:rl:') {
  class FallbackStore implements Store {
    private readonly shared: Store;
    private readonly local: Store;

    constructor(opts: { continueExceeding: boolean; exponentialBackoff: boolean }, shared?: Store, local?: Store) {
      this.shared = shared ?? new RedisStore(opts.continueExceeding, opts.exponentialBackoff, redis, prefix);
      this.local = local ?? new LocalStore(opts.continueExceeding, opts.exponentialBackoff);
    }

    incr(key: string, cb: Callback, timeWindow: number, max: number): void {
      if (redis.status !== 'ready') return this.local.incr(key, cb, timeWindow, max);
      this.shared.incr(key, (err, result) => (err ? this.local.incr(key, cb, timeWindow, max) : cb(null, result)), timeWindow, max);
    }

    child(routeOptions: RouteOptions): Store {
      return new FallbackStore(routeOptions, this.shared.child(routeOptions), this.local.child(routeOptions));
    }
  }
  return FallbackStore;
}
