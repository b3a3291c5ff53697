// `gorod import verify FILE.xml --old-base URL`: every public old address of the
// export, requested from the running portal; an address passes when it answers 301
// and the address it names answers 200 (one redirect, no chain, no 404).
import http from 'node:http';
import https from 'node:https';
import { readWxr } from './wxr-reader.js';
import { authorNicename, lastSegment, oldPathKey, slugKey, withLastSegment } from './permalinks.js';

export interface VerifyResult {
  checked: number;
  bad: { path: string; status: number; location: string; finalStatus: number }[];
}

/** The paths (with query) of the export's public addresses on its old site. */
export async function oldAddresses(file: string, oldBase: string): Promise<string[]> {
  const base = oldBase.replace(/\/+$/, '');
  const out = new Set<string>();
  const pathOf = (url: string): string | null => {
    if (!url) return null;
    if (url.startsWith('/')) return url;
    if (url.toLowerCase().startsWith(base.toLowerCase())) return url.slice(base.length) || '/';
    try {
      const u = new URL(url);
      return u.pathname + u.search;
    } catch {
      return null;
    }
  };
  const categories = new Map<string, { slug: string; parent: string }>();
  for await (const r of readWxr(file)) {
    if (r.kind === 'author' && r.author.login) out.add(`/author/${encodeURIComponent(authorNicename(r.author.login))}/`);
    else if (r.kind === 'term' && r.term.taxonomy === 'category' && r.term.slug) categories.set(slugKey(r.term.slug), { slug: r.term.slug, parent: r.term.parent });
    else if (r.kind === 'term' && r.term.taxonomy === 'post_tag' && r.term.slug) out.add(`/tag/${r.term.slug}/`);
    else if (r.kind === 'item') {
      const item = r.item;
      if (item.type === 'attachment') {
        const p = pathOf(item.attachmentUrl);
        if (p) out.add(p);
        continue;
      }
      if ((item.type !== 'post' && item.type !== 'page') || item.status !== 'publish' || !item.title.trim()) continue;
      const p = pathOf(item.link);
      if (p) out.add(p);
      out.add(`/?p=${item.id}`);
      const key = p ? oldPathKey(p) : null;
      if (p && key && !key.startsWith('?') && lastSegment(key) === slugKey(item.name)) {
        const pathOnly = p.split('?')[0]!;
        for (const m of item.meta) if (m.key === '_wp_old_slug' && m.value.trim()) out.add(withLastSegment(pathOnly.replace(/\/+$/, ''), m.value.trim()) + '/');
      }
    }
  }
  for (const [k, c] of categories) {
    const chain = [c.slug];
    const seen = new Set([k]);
    for (let parent = c.parent; parent && !seen.has(slugKey(parent)); parent = categories.get(slugKey(parent))?.parent ?? '') {
      seen.add(slugKey(parent));
      chain.unshift(categories.get(slugKey(parent))?.slug ?? parent);
    }
    out.add(`/category/${chain.join('/')}/`);
  }
  out.add('/feed/');
  return [...out];
}

function request(url: string): Promise<{ status: number; location: string }> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { timeout: 15_000, headers: { 'user-agent': 'Gorod import verify' } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? '') });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, location: '' }));
  });
}

/** Requests every path from the portal at `portalUrl`, four at a time. */
export async function verify(paths: string[], portalUrl: string, onDone?: (n: number) => void): Promise<VerifyResult> {
  const origin = portalUrl.replace(/\/+$/, '');
  const bad: VerifyResult['bad'] = [];
  const queue = [...paths];
  let n = 0;
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        const first = await request(origin + p);
        let finalStatus = 0;
        if (first.status === 301 && first.location) finalStatus = (await request(new URL(first.location, origin + '/').href)).status;
        if (first.status !== 301 || finalStatus !== 200) bad.push({ path: p, status: first.status, location: first.location, finalStatus });
        onDone?.(++n);
      }
    }),
  );
  return { checked: paths.length, bad };
}
