// The bytes of an attachment: from a local copy of wp-content/uploads (`--uploads
// DIR`), or over HTTP with a size and a time limit, never from or through a private
// address (a redirect to 127.0.0.1 or 10.0.0.0/8 is refused at connection time, as
// is a name that resolves there: the check sits in the socket's own DNS lookup, so
// a name cannot answer differently between the check and the connection).
import dns from 'node:dns';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

export class FetchError extends Error {
  constructor(
    readonly code: 'not_found' | 'too_large' | 'timeout' | 'private_address' | 'bad_url' | 'http_status' | 'too_many_redirects' | 'network' | 'outside_uploads',
    message: string,
  ) {
    super(message);
  }
}

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
}

/** The part of an attachment URL after `/wp-content/uploads/` (or the whole path when it has none), percent-decoded. */
export function uploadsPath(url: string): string {
  let p: string;
  try {
    p = new URL(url, 'http://old.invalid').pathname;
  } catch {
    p = url;
  }
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep it encoded */
  }
  const at = p.toLowerCase().indexOf('/wp-content/uploads/');
  return at >= 0 ? p.slice(at + '/wp-content/uploads/'.length) : p.replace(/^\/+/, '');
}

/** The key an image URL is known by in a post's body: its uploads path, lower case, without WordPress's size suffix. */
export function mediaKey(url: string): string {
  return uploadsPath(url)
    .toLowerCase()
    .replace(/-(?:\d{1,5}x\d{1,5}|scaled|rotated|e\d{10,13})(\.[a-z0-9]{2,5})$/, '$1');
}

/** A file under DIR named by an attachment URL; refuses anything that would leave DIR. */
export async function readLocal(dir: string, url: string, maxBytes: number): Promise<Buffer> {
  const rel = uploadsPath(url);
  const root = path.resolve(dir);
  const file = path.resolve(root, rel);
  if (!rel || rel.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) throw new FetchError('outside_uploads', `${rel.slice(0, 200)} is outside the uploads folder`);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    // WordPress's big-image copy (photo-scaled.jpg) may be all a mirror holds, or only the original.
    const alt = file.replace(/-scaled(\.[a-z0-9]+)$/i, '$1');
    if (alt !== file) return readLocal(dir, url.replace(/-scaled(\.[a-z0-9]+)$/i, '$1'), maxBytes);
    throw new FetchError('not_found', `${rel.slice(0, 200)} is not in the uploads folder`);
  }
  if (!stat.isFile()) throw new FetchError('not_found', `${rel.slice(0, 200)} is not a file`);
  if (stat.size > maxBytes) throw new FetchError('too_large', `${rel.slice(0, 200)}: ${stat.size} bytes, over ${maxBytes}`);
  return fs.readFile(file);
}

/** Loopback, private, link-local, carrier-grade NAT, multicast, unspecified and the like, in IPv4 and IPv6. */
export function isPrivateAddress(address: string): boolean {
  const list = new net.BlockList();
  for (const [net4, prefix] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) list.addSubnet(net4, prefix, 'ipv4');
  for (const [net6, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) list.addSubnet(net6, prefix, 'ipv6');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return list.check(mapped[1]!, 'ipv4');
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  if (!family) return true;
  return list.check(address, family);
}

/** A DNS lookup that fails for private addresses: the one the socket itself uses. */
const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || !list.length) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 4);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

/** An attachment over HTTP(S): at most `maxBytes`, within `timeoutMs` all told, redirects followed only to public addresses. */
export async function fetchRemote(url: string, limits: FetchLimits, hops = 0): Promise<Buffer> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FetchError('bad_url', `${url.slice(0, 200)} is not an address`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new FetchError('bad_url', `${u.protocol} is not fetched`);
  if (u.username || u.password) throw new FetchError('bad_url', 'addresses with credentials are not fetched');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && isPrivateAddress(host)) throw new FetchError('private_address', `${host} is a private address`);
  const deadline = Date.now() + limits.timeoutMs;
  return new Promise<Buffer>((resolve, reject) => {
    const client = u.protocol === 'https:' ? https : http;
    const req = client.get(u, { lookup: publicLookup, timeout: limits.timeoutMs, headers: { 'user-agent': 'Gorod WordPress import', accept: 'image/*,*/*;q=0.5' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hops >= (limits.maxRedirects ?? 3)) return reject(new FetchError('too_many_redirects', `more than ${limits.maxRedirects ?? 3} redirects`));
        const next = new URL(res.headers.location, u).href;
        return fetchRemote(next, { ...limits, timeoutMs: Math.max(1, deadline - Date.now()) }, hops + 1).then(resolve, reject);
      }
      if (status !== 200) {
        res.resume();
        return reject(new FetchError(status === 404 ? 'not_found' : 'http_status', `HTTP ${status}`));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > limits.maxBytes) {
        res.destroy();
        return reject(new FetchError('too_large', `${declared} bytes, over ${limits.maxBytes}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBytes) {
          res.destroy();
          reject(new FetchError('too_large', `over ${limits.maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', (err) => reject(new FetchError('network', err.message)));
    });
    const timer = setTimeout(() => req.destroy(new FetchError('timeout', `no answer within ${limits.timeoutMs} ms`)), Math.max(1, deadline - Date.now()));
    req.on('timeout', () => req.destroy(new FetchError('timeout', `no answer within ${limits.timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err instanceof FetchError) reject(err);
      else if (err.code === 'EPRIVATE') reject(new FetchError('private_address', err.message));
      else reject(new FetchError('network', err.message));
    });
    req.on('close', () => clearTimeout(timer));
  });
}
