// Environment → typed, validated configuration. Every mistake is reported as one
// line naming the variable, so an operator can fix them all in one go.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  smtpUrl: string | undefined;
  /** Simultaneous SMTP connections of the pool. */
  smtpPoolConnections: number;
  /** Mails per second across the pool; 0: as fast as the server takes them. */
  smtpRate: number;
  /** Newsletter mails per address in 24 hours, across every list. */
  newsletterDailyCap: number;
  /** Bearer token the bounce endpoint asks for; without it, it answers only from this machine. */
  newsletterBounceToken: string | undefined;
  publicUrl: string;
  timezone: string;
  seedDemo: boolean;
  /** Secret for signed reader cookies and keyed IP hashes. Derived and stored under dataDir when unset. */
  secret: string | undefined;
  /** Trust X-Forwarded-* only from these proxies (Fastify trustProxy syntax). */
  trustProxy: string | boolean;
  logLevel: string;
  maxUploadBytes: number;
  siteName: string;
  /** Prefix of every Redis key and channel: several portals can share one Redis. */
  redisPrefix: string;
  /** The window of «ТОП 5», in hours. */
  topWindowHours: number;
  /** How long a notification mail waits for more of its kind and for the reader to see it on the site. */
  notifyMailWindowMinutes: number;
  /** Notification mails per account in 24 hours, across every kind. */
  notifyMailDailyCap: number;
  /** Bearer token that /metrics asks for; without it, /metrics answers only from this machine. */
  metricsToken: string | undefined;
  /** Whether this instance runs the periodic jobs (JOBS=off: it serves pages only, and a `gorod worker` runs them). */
  jobs: boolean;
  /** The nice value `gorod worker` lowers itself to: background work yields the CPU to the instances that answer readers. */
  workerNice: number;
  /** Dating's field keys by version (DATING_KEY_V1, DATING_KEY_V2, …); version 1 defaults to SECRET. See modules/dating/README.md. */
  datingKeys: Record<number, string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[]) => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name}: expected a URL starting with ${protocols.map((p) => p + '//').join(' or ')}, got "${u.protocol}//…"`);
      }
      return raw;
    } catch {
      problems.push(`${name}: not a valid URL`);
      return undefined;
    }
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = str(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}: expected true or false, got "${raw}"`);
    return fallback;
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST') ?? '127.0.0.1';
  const timezone = str('SITE_TIMEZONE') ?? 'Asia/Novosibirsk';
  try {
    new Intl.DateTimeFormat('ru', { timeZone: timezone });
  } catch {
    problems.push(`SITE_TIMEZONE: unknown time zone "${timezone}" (e.g. Asia/Novosibirsk)`);
  }
  const publicUrl = url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port || 3000}`;
  const secret = str('SECRET');
  if (secret !== undefined && secret.length < 32) problems.push('SECRET: must be at least 32 characters');
  const trustRaw = str('TRUST_PROXY');
  const metricsToken = str('METRICS_TOKEN');
  const newsletterBounceToken = str('NEWSLETTER_BOUNCE_TOKEN');
  if (newsletterBounceToken !== undefined && newsletterBounceToken.length < 16) problems.push('NEWSLETTER_BOUNCE_TOKEN: must be at least 16 characters');
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('METRICS_TOKEN: must be at least 16 characters');
  const datingKeys: Record<number, string> = {};
  for (const name of Object.keys(env)) {
    const version = /^DATING_KEY_V([1-9][0-9]{0,3})$/.exec(name)?.[1];
    const value = version ? str(name) : undefined;
    if (!version || value === undefined) continue;
    if (value.length < 32) problems.push(`${name}: must be at least 32 characters`);
    else datingKeys[Number(version)] = value;
  }
  const config: Config = {
    port,
    host,
    dataDir: path.resolve(str('DATA_DIR') ?? './data'),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
    smtpPoolConnections: int('SMTP_POOL_CONNECTIONS', 5, 1, 50),
    smtpRate: int('SMTP_RATE', 0, 0, 100_000),
    newsletterDailyCap: int('NEWSLETTER_DAILY_CAP', 5, 1, 100),
    newsletterBounceToken,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    timezone,
    seedDemo: bool('SEED_DEMO', true),
    secret,
    trustProxy: trustRaw === undefined ? false : trustRaw === 'true' ? true : trustRaw,
    logLevel: str('LOG_LEVEL') ?? 'info',
    maxUploadBytes: int('MAX_UPLOAD_MB', 15, 1, 200) * 1024 * 1024,
    siteName: str('SITE_NAME') ?? 'Город',
    topWindowHours: int('TOP_WINDOW_HOURS', 24, 1, 24 * 30),
    notifyMailWindowMinutes: int('NOTIFY_MAIL_WINDOW_MINUTES', 10, 1, 24 * 60),
    notifyMailDailyCap: int('NOTIFY_MAIL_DAILY_CAP', 20, 1, 1000),
    redisPrefix: str('REDIS_PREFIX') ?? 'gorod:',
    metricsToken,
    jobs: bool('JOBS', true),
    workerNice: int('WORKER_NICE', 10, 0, 19),
    datingKeys,
  };
  // PGlite is one process's database: no other process could run the jobs.
  if (!config.jobs && !config.databaseUrl) problems.push('JOBS: off needs DATABASE_URL (a PostgreSQL shared with a `gorod worker`); with the embedded database this instance runs them');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
