// A TCP proxy between the app and a server it depends on (PostgreSQL), so a test
// can "restart" that server without touching the real one other tests share:
// `down()` cuts every proxied connection and refuses new ones, as a server that
// is restarting does; `up()` accepts again on the same port.
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** Connections accepted so far (the app reconnected if this grows after up()). */
  accepted = 0;
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
  ) {}

  get isUp(): boolean {
    return !!this.server;
  }

  /** Listens (on a free port the first time, the same port afterwards). */
  async up(): Promise<number> {
    if (this.server) return this.port;
    const server = net.createServer((client) => {
      this.accepted++;
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        // Either side failing ends both, as a dropped connection does.
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Cuts every open connection and stops listening: new connections are refused. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** How many proxied connections (both halves counted once) are open now. */
  get open(): number {
    return this.sockets.size / 2;
  }
}
