// The WordPress import's plugin: `app.wordpressImport` (the runner, for the
// `gorod import` commands and the back office), the old addresses' 301s, and the
// back office's upload page with its background runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../types.js';
import type { Role } from '../../db/schema.js';
import { HttpError } from '../../platform/errors.js';
import { html, redirect } from '../../platform/openapi.js';
import { adminNav } from '../../web/admin.js';
import { sectionPath } from '../content/index.js';
import { lookupKeys, QUERY_KEYS } from './permalinks.js';
import { createImportStore, type ImportStore } from './service.js';
import { ImportRefused, runImport, summaryOf, type ImportOptions, type ImportReport, type SectionMap } from './runner.js';
import { ImportAdmin, ImportRunPage } from './views/admin.js';

export interface WordpressImport {
  store: ImportStore;
  /** Runs an import (the command line); `anonymousName` defaults to the Russian «Читатель». */
  run(opts: Omit<ImportOptions, 'anonymousName'> & { anonymousName?: string }): Promise<ImportReport>;
  /** Where an old address leads now, or null. */
  resolve(url: string): Promise<string | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    wordpressImport: WordpressImport;
  }
}

const ADMINS: Role[] = ['admin'];
const TAG = 'wordpress-import';
/** An export file may be large: a newsroom's ten years are some gigabytes. */
const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
const RunId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Notice = Type.Object({ queued: Type.Optional(Type.String({ maxLength: 10 })) });

/**
 * The import's `analyze` on PGlite: the statistics a plan needs — the tables' sizes
 * above all, the foreign-key checks' plans were made on empty tables — from a
 * sample of 3,000 rows a table instead of 30,000. Postgres's memory there is
 * WebAssembly memory, which never shrinks: the larger samples (long comments, article
 * bodies) grew it by some 18 MB during a 20,000-post run (docs/benchmarks.md). The
 * portal's own hourly `analyze` (db.analyze) gathers the full statistics again.
 */
const ANALYZE_SMALL = 'set local default_statistics_target = 10; analyze';

async function wordpressImportModule(app: App) {
  const store = createImportStore({ db: app.database.db, clock: app.clock });
  // On PostgreSQL four posts and four pictures at a time (of a pool of ten: readers
  // keep the rest); PGlite runs the database in this thread, so one batch of posts
  // at a time there, 25 posts to a transaction (runner.ts, postsPerBatch).
  const server = app.database.kind === 'postgres';
  const deps = { content: app.content, comments: app.comments, media: app.media, accounts: app.accounts, store, clock: app.clock, postsAtOnce: server ? 4 : 1, picturesAtOnce: server ? 4 : 2, postsPerBatch: server ? 1 : 25, analyze: server ? undefined : () => app.database.exec(ANALYZE_SMALL) };
  const ru = (await import('./i18n.js')).ru;

  async function resolve(url: string): Promise<string | null> {
    const row = await store.lookup(lookupKeys(url));
    if (!row) return null;
    if (row.targetKind === 'path') return row.targetPath || null;
    if (row.targetKind === 'section') {
      const s = row.targetId ? (await app.content.sections()).get(row.targetId) : undefined;
      return s ? sectionPath(s.slug) : null;
    }
    const article = row.targetId ? await app.content.readerArticle(row.targetId) : null;
    return article && app.content.isPublished(article) ? article.url : null;
  }

  app.decorate('wordpressImport', {
    store,
    run: (opts) => runImport(deps, { anonymousName: ru['wpImport.guest'], ...opts }),
    resolve,
  } satisfies WordpressImport);

  // Old permalinks are paths no route answers: the platform's 404 asks us first.
  app.extensions.provide('http.movedAddress', resolve, TAG);
  // WordPress's query addresses (`/?p=10`, `/?cat=5`, `/?feed=rss2`) land on the home
  // page's route, which answers any query: caught before it, for the root only.
  const queryKey = new RegExp(`[?&](?:${QUERY_KEYS.join('|')})=`);
  app.addHook('onRequest', async (req, reply) => {
    const url = req.url;
    if ((url.charCodeAt(1) !== 63 && !url.startsWith('/index.php')) || (req.method !== 'GET' && req.method !== 'HEAD') || !queryKey.test(url)) return;
    const target = await resolve(url).catch(() => null);
    if (target) return reply.redirect(target, 301);
  });

  // ---------- the back office: upload, background runs ----------

  const importsDir = path.join(app.config.dataDir, 'imports');
  let working: Promise<void> | null = null;
  /** Runs queued imports one after another in this process; a run another instance claimed is left to it. */
  function work() {
    working ??= (async () => {
      try {
        for (let run = await store.nextQueued(); run; run = await store.nextQueued()) {
          if (!(await store.claim(run.id))) continue;
          const mapFile = `${run.file}.map.json`;
          const map = fs.existsSync(mapFile) ? (JSON.parse(fs.readFileSync(mapFile, 'utf8')) as SectionMap) : undefined;
          try {
            const report = await runImport(deps, { file: run.file, map, dryRun: run.dryRun, accounts: run.accounts, runId: run.id, anonymousName: ru['wpImport.guest'] });
            if (run.dryRun) await store.finishRun(run.id, 'done', summaryOf(report));
          } catch (err) {
            // A refused file's reason in words (the page shows it in the reader's language); our own bug only logged.
            const refused = err instanceof ImportRefused ? { code: err.code, detail: err.message.slice(0, 300) } : null;
            app.log.warn({ err: (err as Error).message, run: run.id }, 'wordpress import failed');
            await store.finishRun(run.id, 'failed', { refusedFile: refused }, refused ? '' : (err as Error).message);
          }
        }
      } finally {
        working = null;
      }
    })().catch((err: Error) => app.log.warn({ err: err.message }, 'wordpress import worker failed'));
    return working;
  }
  // A run left «running» by a process that went away is interrupted (resumable); a
  // queued one is picked up by whichever instance looks first.
  app.jobs.define('wordpress.import', 30_000, async () => {
    await work();
  });
  app.addHook('onReady', async () => {
    if (app.database.kind === 'pglite') await store.markStale();
  });
  app.addHook('onClose', async () => {
    await working;
  });

  app.admin.add({ href: '/admin/import', label: (req) => req.i18n.t('wpImport.admin.title'), roles: ADMINS, order: 95 });

  async function overview(req: FastifyRequest, reply: FastifyReply, notice: { queued?: boolean; error?: string }) {
    const [runs, nav] = await Promise.all([store.runs(20), adminNav(req, app.admin)]);
    return app.pages.send(req, reply, <ImportAdmin ctx={app.pages.context(req)} nav={nav} runs={runs} notice={notice} />, { status: reply.statusCode });
  }

  app.get('/admin/import', { config: { roles: ADMINS }, schema: { tags: [TAG], summary: 'The WordPress import: the upload form and the runs', querystring: Notice, response: { 200: html('The form and the runs') } } }, async (req, reply) =>
    overview(req, reply, { queued: req.query.queued === '1' }),
  );

  app.get('/admin/import/:id', { config: { roles: ADMINS }, schema: { tags: [TAG], summary: 'One import run: its progress and report', params: RunId, response: { 200: html('The run') } } }, async (req, reply) => {
    const run = await store.run(req.params.id);
    if (!run) throw new HttpError(404, 'not_found', req.i18n.t('error.404.text'));
    const nav = await adminNav(req, app.admin);
    return app.pages.send(req, reply, <ImportRunPage ctx={app.pages.context(req)} nav={nav} run={run} />);
  });

  // The upload, in its own scope so the multipart parser stays ours. A no-JS form
  // cannot put the CSRF token in a multipart body the check reads before the
  // handler: the route takes proof of the same origin (docs/architecture.md, CSRF).
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 200_000 } });
    scope.post(
      '/admin/import',
      {
        config: { roles: ADMINS, csrf: 'origin', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags: [TAG], summary: 'Upload a WordPress export (multipart: file `file`, fields `map`, `dryRun`, `accounts`) and queue its import', consumes: ['multipart/form-data'], response: { 303: redirect('Queued: back to the list'), 400: html('Refused, with the message') } },
      },
      async (req, reply) => {
        if (!req.isMultipart()) return overview(req, reply.status(400), { error: req.i18n.t('media.upload.notMultipart') });
        fs.mkdirSync(importsDir, { recursive: true });
        const file = path.join(importsDir, `${new Date().toISOString().slice(0, 10)}-${crypto.randomBytes(6).toString('hex')}.xml`);
        const fields: Record<string, string> = {};
        let got = false;
        try {
          for await (const part of req.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || got) {
                part.file.resume();
                continue;
              }
              await pipeline(part.file, fs.createWriteStream(file));
              if (part.file.truncated) throw new HttpError(413, 'too_large', req.i18n.t('media.upload.tooLarge', { mb: Math.round(MAX_UPLOAD_BYTES / 1048576) }));
              got = fs.statSync(file).size > 0;
            } else fields[part.fieldname] = String(part.value ?? '');
          }
        } catch (err) {
          fs.rmSync(file, { force: true });
          if (err instanceof HttpError) throw err;
          return overview(req, reply.status(400), { error: req.i18n.t('media.upload.broken') });
        }
        if (!got) {
          fs.rmSync(file, { force: true });
          return overview(req, reply.status(400), { error: req.i18n.t('wpImport.admin.noFile') });
        }
        const mapText = (fields.map ?? '').trim();
        if (mapText) {
          let map: unknown;
          try {
            map = JSON.parse(mapText);
          } catch {
            map = null;
          }
          if (!map || typeof map !== 'object' || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
            fs.rmSync(file, { force: true });
            return overview(req, reply.status(400), { error: req.i18n.t('wpImport.admin.badMap') });
          }
          fs.writeFileSync(`${file}.map.json`, JSON.stringify(map));
        }
        const checked = (v: string | undefined) => v === '1' || v === 'on';
        await store.createRun({ file, stamp: '', dryRun: checked(fields.dryRun), accounts: checked(fields.accounts), state: 'queued', createdBy: req.user!.id });
        void work();
        return reply.redirect('/admin/import?queued=1', 303);
      },
    );
  });
}

export default fp(wordpressImportModule, {
  name: 'wordpress-import',
  dependencies: ['content', 'comments', 'media', 'accounts'],
  decorators: { fastify: ['content', 'comments', 'media', 'extensions', 'pages', 'admin', 'jobs'] },
});
