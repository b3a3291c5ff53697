// The yardstick: a bare `node:http` server answering `/bytes/<n>` with a fixed
// body of n bytes (made once per size) and the portal's content type — HTML, or
// JSON with `?type=json`; `?status=204` answers 204 with no body. Any method: a
// POST's body is read first. Whatever the portal does beyond this — routing,
// hooks, the page cache, headers, the database — shows up as the ratio between the
// two in the same run.
//
// Run as its own process (bench/run.ts does): `node --import tsx bench/bare-server.ts`.
// Prints `LISTENING <port>` once it accepts connections.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { spawnChild, type Child } from './process.js';

// A string, as the issue asks ("a string of the same size"), like the page cache
// holds; ASCII, so its length in bytes is its length in characters. The pages are
// mostly Cyrillic (two bytes a letter), which costs the portal a little more to encode.
const bodies = new Map<number, { text: string; length: string }>();

function body(n: number): { text: string; length: string } {
  let b = bodies.get(n);
  if (b === undefined) {
    const chunk = '<p>City portal benchmark filler, the same size as the page compared.</p>\n';
    const text = chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n);
    b = { text, length: String(Buffer.byteLength(text)) };
    bodies.set(n, b);
  }
  return b;
}

export function createBareServer(): http.Server {
  return http.createServer((req, res) => {
    const m = /^\/bytes\/(\d{1,8})(?:\?(.*))?$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const query = new URLSearchParams(m[2] ?? '');
    const status = Number(query.get('status') ?? 200);
    const answer = () => {
      // A 204 (the view beacon's answer) has no body and no content type.
      if (status === 204) {
        res.writeHead(204).end();
        return;
      }
      const b = body(Number(m[1]));
      const type = query.get('type') === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
      res.writeHead(status, { 'content-type': type, 'content-length': b.length });
      res.end(b.text);
    };
    // A POST's body is read to its end before answering, as any server that uses it must.
    if (req.method === 'GET' || req.method === 'HEAD') answer();
    else req.on('data', () => {}).on('end', answer);
  });
}

/** Starts the bare server in a child process; resolves with its base URL. */
export async function startBareServer(): Promise<{ url: string; child: Child }> {
  const child = spawnChild('bare server', process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env: { ...process.env, GORODBENCH_BARE: '1' } });
  const line = await child.waitForLine(/^LISTENING (\d+)$/, 20_000);
  return { url: `http://127.0.0.1:${line[1]}`, child };
}

if (process.env.GORODBENCH_BARE === '1' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createBareServer();
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
  const stop = () => server.close(() => process.exit(0)).closeAllConnections();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
