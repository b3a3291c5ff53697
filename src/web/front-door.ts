// Front doors: handlers in the bare node:http server that answer the hottest
// requests before Fastify builds its request and reply, routes the URL and runs the
// hooks — a page-cache hit (page-cache-front.ts), a view beacon (audience). On a
// breaking-news peak almost every request is one of those, so this path decides
// how many readers an instance serves (docs/benchmarks.md). A door takes only the
// requests it can answer exactly as the Fastify route would; everything else goes
// on to Fastify unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setSecurityHeaders } from '../platform/security-headers.js';

/** Answers the request and returns true, or returns false and leaves it alone. */
export type FrontDoor = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The doors of an app, tried in order once the app is ready. */
export class FrontDoors {
  private doors: FrontDoor[] = [];
  private open = false;

  add(door: FrontDoor): void {
    this.doors.push(door);
  }

  /** Ready: the doors start answering. Closing: everything goes to Fastify, which refuses new requests. */
  setOpen(open: boolean): void {
    this.open = open;
  }

  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.open) return false;
    for (const door of this.doors) if (door(req, res)) return true;
    return false;
  }
}

/** Who is trusted to say X-Forwarded-For and X-Forwarded-Proto (TRUST_PROXY), as Fastify reads it. */
function trustTest(trustProxy: string | boolean): (address: string, hop: number) => boolean {
  return trustProxy === true ? () => true : trustProxy ? proxyAddr.compile(trustProxy.split(',').map((s) => s.trim())) : () => false;
}

/** Whether Fastify would see this request as HTTPS (X-Forwarded-Proto only from a trusted proxy). */
export function httpsTest(trustProxy: string | boolean): (req: IncomingMessage) => boolean {
  const trusted = trustTest(trustProxy);
  return (req) => {
    const forwarded = req.headers['x-forwarded-proto'];
    if (typeof forwarded === 'string' && trusted(req.socket.remoteAddress ?? '', 0)) {
      return forwarded.slice(forwarded.lastIndexOf(',') + 1).trim() === 'https';
    }
    return (req.socket as TLSSocket).encrypted === true;
  };
}

/** The client address as Fastify's req.ip gives it (X-Forwarded-For only through trusted proxies). */
export function clientIpOf(trustProxy: string | boolean): (req: IncomingMessage) => string {
  const trusted = trustTest(trustProxy);
  return (req) => proxyAddr(req, trusted);
}

/** The security headers of a response over HTTPS or HTTP, as the platform sets them. */
export function securityHeaders(https: boolean): [string, string][] {
  const headers: [string, string][] = [];
  const reply = { header: (name: string, value: string) => headers.push([name, value]) };
  setSecurityHeaders({ protocol: https ? 'https' : 'http' } as FastifyRequest, reply as unknown as FastifyReply);
  return headers;
}
