// A private Redis for a test that stops and starts it: never the shared one other
// tests use. Runs the machine's `redis-server` on a free port, without persistence.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort, waitFor } from './processes.js';

/** The redis-server binary, or undefined when the machine has none. */
export function redisServerBinary(): string | undefined {
  for (const candidate of [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server', '/usr/local/bin/redis-server', 'redis-server']) {
    if (candidate && spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  port = 0;

  constructor(private readonly binary: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (on the same port as before, after a stop). */
  async start(): Promise<void> {
    this.port ||= await freePort();
    const child = spawn(this.binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await waitFor(`redis-server on port ${this.port}`, () => ping(this.port));
  }

  /** SIGSTOP: Redis hangs, connections stay open and nothing answers (a stuck host, a partition). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** kill -9: Redis is gone at once, connections are reset. */
  async stop(): Promise<void> {
    this.resume();
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
  }
}

/** True when a Redis answers PING on the port. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
  });
}
