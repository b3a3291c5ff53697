// Browser assets: the islands' script bundled by esbuild and the stylesheet, each
// served under a content hash with a year-long immutable cache. Built once at
// start in memory (a few tens of milliseconds), so `npm start` needs no build step.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { App } from '../types.js';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));

interface Asset {
  body: Buffer;
  type: string;
}

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><text x="16" y="23" font-family="Arial,sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">Г</text></svg>`;

export interface AssetUrls {
  /** The public stylesheet and the islands of public pages. */
  css: string;
  js: string;
  /** The back office bundle (editor, charts) and its stylesheet: only on /admin pages. */
  adminJs: string;
  adminCss: string;
}

export async function buildAssets(): Promise<{ files: Map<string, Asset> } & AssetUrls> {
  const files = new Map<string, Asset>();
  const add = (base: string, ext: string, body: Buffer, type: string) => {
    const name = `${base}.${crypto.createHash('sha1').update(body).digest('hex').slice(0, 10)}.${ext}`;
    files.set(name, { body, type });
    return `/assets/${name}`;
  };
  const script = await esbuild.build({
    entryPoints: [path.join(WEB_DIR, 'client', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    write: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
  });
  const js = add('app', 'js', Buffer.from(script.outputFiles[0]!.contents), 'text/javascript; charset=utf-8');
  // The back office: heavier libraries (Editor.js, uPlot) that readers never load.
  const admin = await esbuild.build({
    entryPoints: [path.join(WEB_DIR, 'client', 'admin.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    write: false,
    outdir: '/virtual',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
  });
  const adminOut = (ext: string) => admin.outputFiles.find((f) => f.path.endsWith(ext));
  const adminJs = add('admin', 'js', Buffer.from(adminOut('.js')!.contents), 'text/javascript; charset=utf-8');
  const adminCssFile = adminOut('.css');
  const adminCss = add('admin', 'css', Buffer.from(adminCssFile ? adminCssFile.contents : new Uint8Array()), 'text/css; charset=utf-8');
  const styles = await esbuild.build({
    entryPoints: [path.join(WEB_DIR, 'styles.css')],
    bundle: true,
    minify: true,
    write: false,
  });
  const css = add('site', 'css', Buffer.from(styles.outputFiles[0]!.contents), 'text/css; charset=utf-8');
  return { files, css, js, adminJs, adminCss };
}

export async function registerAssets(app: App): Promise<AssetUrls> {
  const { files, ...urls } = await buildAssets();
  app.get('/assets/:name', { schema: { hide: true } as object }, async (req, reply) => {
    const asset = files.get((req.params as { name: string }).name);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
  app.get('/favicon.svg', { schema: { hide: true } as object }, async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
  );
  app.get('/favicon.ico', { schema: { hide: true } as object }, async (_req, reply) => reply.redirect('/favicon.svg', 301));
  return urls;
}

