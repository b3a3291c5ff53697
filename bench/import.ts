// The WordPress import at a newsroom's scale (issue 17): a generated export of
// 20,000 posts, 100,000 comments and 20,000 attachments read from a local uploads
// folder, imported into an empty portal; then the same file again (nothing to
// change). Prints the time of each run, items per second, and the peak resident
// memory of the process (sampled every 200 ms), against the goals: the first run
// under 5 minutes with RSS under 400 MB, the second under 30 s.
//
//   npm run bench -- --only import          on PGlite (a fresh folder)
//   npm run bench -- --only import --pg     on PostgreSQL (DATABASE_URL, a fresh database is made)
//
// WP_POSTS, WP_COMMENTS and WP_ATTACHMENTS set the sizes (20000, 100000, 20000);
// WP_PROCESS=1 runs each import as an operator does, `node bin/gorod.js import
// wordpress FILE --uploads DIR` in a process of its own (WP_NODE_FLAGS: Node's options
// for it; without them bin/gorod.js gives the import its own, IMPORT_NODE_FLAGS), on a
// database made beforehand by `gorod migrate` (a portal started before the import),
// its peak RSS the kernel's high-water mark (VmHWM) — the
// in-process figure also holds the bench's own export writer, sharp and tsx;
// BENCH_HEAP=1 prints V8's heap at each new peak of resident memory. Each phase's time
// and peak RSS are printed with the run.
// The posts are text of bench/corpus.ts with a heading, a list, a quote, an image
// of the export (a resized variant's URL, as WordPress writes it) and a video line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { buildApp } from '../src/server.js';
import { imageLibrary } from '../src/modules/media/index.js';
import pgLib from 'pg';
import { generateArticle, loadVocabulary } from './corpus.js';
import { ensurePostgresDatabase, redact } from './fixtures.js';
import { spawn } from 'node:child_process';
import { build, isFresh, ROOT } from '../scripts/build.mjs';

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const int = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);

export async function writeExport(dir: string, posts: number, comments: number, attachments: number): Promise<{ file: string; uploads: string }> {
  const uploads = path.join(dir, 'uploads');
  fs.mkdirSync(path.join(uploads, '2024', '03'), { recursive: true });
  // A dozen small pictures of our own, copied under every attachment's name.
  const sharp = await imageLibrary();
  const pictures: Buffer[] = [];
  for (let i = 0; i < 12; i++) {
    const w = 320;
    const h = 200;
    const raw = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([(x * (i + 3)) % 256, (y * 7 + i * 20) % 256, (x + y + i * 30) % 256], (y * w + x) * 3);
    pictures.push(await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 70 }).toBuffer());
  }
  for (let a = 1; a <= attachments; a++) fs.writeFileSync(path.join(uploads, '2024', '03', `foto-${a}.jpg`), pictures[a % pictures.length]!);

  await loadVocabulary();
  const file = path.join(dir, 'export.xml');
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  const base = 'https://bench-gazeta.example';
  await write(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Газета для замера</title><link>${base}</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>${base}</wp:base_site_url><wp:base_blog_url>${base}</wp:base_blog_url>
`);
  for (let a = 1; a <= 20; a++) await write(`<wp:author><wp:author_id>${a}</wp:author_id><wp:author_login>avtor${a}</wp:author_login><wp:author_email>avtor${a}@bench-gazeta.example</wp:author_email><wp:author_display_name><![CDATA[Автор Номер ${a}]]></wp:author_display_name></wp:author>\n`);
  const cats = ['gorod', 'ekonomika', 'sport', 'kultura', 'proisshestviya', 'transport'];
  for (const [i, c] of cats.entries()) await write(`<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${c}</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Рубрика ${c}]]></wp:cat_name></wp:category>\n`);
  let comment = 0;
  const perPost = comments / posts;
  for (let a = 1; a <= attachments; a++) {
    const parent = posts ? 1000 + ((a - 1) % posts) + 1 : 0;
    await write(`<item><title>foto-${a}</title><link>${base}/2024/03/post-${parent}/foto-${a}/</link><wp:post_id>${a}</wp:post_id><wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt><wp:status>inherit</wp:status><wp:post_parent>${parent}</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:attachment_url>${base}/wp-content/uploads/2024/03/foto-${a}.jpg</wp:attachment_url></item>\n`);
  }
  for (let p = 1; p <= posts; p++) {
    const id = 1000 + p;
    const text = generateArticle(p);
    const paragraphs = text.paragraphs.slice(0, 6).map((s) => `<p>${s}</p>`).join('\n');
    const img = attachments ? ((p - 1) % attachments) + 1 : 0;
    const day = String((p % 28) + 1).padStart(2, '0');
    const body = `${paragraphs}\n<h2>${text.title.slice(0, 60)}</h2>\n<ul><li>первое</li><li>второе</li></ul>\n<blockquote><p>${text.lead}</p><cite>Источник</cite></blockquote>\n${img ? `[caption id="attachment_${img}" width="300"]<img src="${base}/wp-content/uploads/2024/03/foto-${img}-300x200.jpg" /> Фото к новости[/caption]` : ''}\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ`;
    let xml = `<item><title><![CDATA[${text.title}]]></title><link>${base}/2024/03/post-${id}/</link><dc:creator>avtor${(p % 20) + 1}</dc:creator><content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[${text.lead}]]></excerpt:encoded><wp:post_id>${id}</wp:post_id><wp:post_date_gmt>2024-03-${day} 0${p % 10}:00:00</wp:post_date_gmt><wp:post_name>post-${id}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="${cats[p % cats.length]}"><![CDATA[x]]></category><category domain="post_tag" nicename="tema-${p % 200}"><![CDATA[тема ${p % 200}]]></category>${img ? `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${img}</wp:meta_value></wp:postmeta>` : ''}`;
    const n = Math.floor(p * perPost) - Math.floor((p - 1) * perPost);
    for (let k = 0; k < n; k++) {
      comment++;
      const parent = k > 0 && k % 3 === 0 ? comment - 1 : 0;
      xml += `<wp:comment><wp:comment_id>${comment}</wp:comment_id><wp:comment_author><![CDATA[Читатель ${comment % 500}]]></wp:comment_author><wp:comment_date_gmt>2024-03-${day} 12:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[${text.paragraphs[k % text.paragraphs.length]!.slice(0, 300)}]]></wp:comment_content><wp:comment_approved>${k % 17 === 5 ? '0' : '1'}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`;
    }
    await write(`${xml}</item>\n`);
  }
  await write('</channel></rss>\n');
  await new Promise<void>((r) => out.end(() => r()));
  return { file, uploads };
}

export async function benchImport({ pg }: { pg: boolean }): Promise<void> {
  const posts = int('WP_POSTS', 20_000);
  const comments = int('WP_COMMENTS', 100_000);
  const attachments = int('WP_ATTACHMENTS', 20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gorod-import-bench-'));
  log(`writing the export: ${posts} posts, ${comments} comments, ${attachments} attachments`);
  const { file, uploads } = await writeExport(dir, posts, comments, attachments);
  log(`export: ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);

  let databaseUrl: string | undefined;
  if (pg) {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('--pg needs DATABASE_URL');
    const u = new URL(base);
    u.pathname = `/gorod_import_bench_${Date.now()}`;
    databaseUrl = u.toString();
    await ensurePostgresDatabase(databaseUrl);
    log(`PostgreSQL: ${redact(databaseUrl)}`);
  }
  const dataDir = path.join(dir, 'data');
  if (process.env.WP_PROCESS) {
    try {
      await importInProcesses({ file, uploads, dataDir, databaseUrl, posts, comments, attachments });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      if (databaseUrl) await dropDatabase(databaseUrl);
    }
    return;
  }
  const database = await openDatabase({ url: databaseUrl, pgliteDir: databaseUrl ? undefined : path.join(dataDir, 'pglite') });
  const config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'false' }), databaseUrl };
  const app = await buildApp({ config, database, logger: { level: 'warn' } });
  await app.ready();
  // Statements sent to the database, counted per phase: a per-item figure that the
  // machine's load does not move (BEGIN and COMMIT count as statements).
  let statements = 0;
  // BENCH_SQL_TIMES=1 (PGlite): the database's time by statement, its first words
  // (the embedded database runs each one on this thread, so its time is its cost).
  const sqlTimes = new Map<string, { n: number; ms: number }>();
  if (database.pglite) {
    const lite = database.pglite as unknown as Record<'query' | 'exec', (...a: unknown[]) => Promise<unknown>>;
    for (const m of ['query', 'exec'] as const) {
      const original = lite[m].bind(lite);
      lite[m] = async (...a: unknown[]) => {
        statements++;
        if (!process.env.BENCH_SQL_TIMES) return original(...a);
        const t = performance.now();
        try {
          return await original(...a);
        } finally {
          const key = String(a[0]).replace(/\s+/g, ' ').slice(0, 70);
          const e = sqlTimes.get(key) ?? { n: 0, ms: 0 };
          e.n++;
          e.ms += performance.now() - t;
          sqlTimes.set(key, e);
        }
      };
    }
  } else {
    const proto = pgLib.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, ...a: unknown[]) {
      statements++;
      return original.apply(this, a);
    };
  }
  // A new PGlite database's opening is a peak of its own (initdb in a second instance,
  // docs/capacity.md), kept resident until V8 collects it: collected here, so the
  // figure is the import's, as on a portal that is already running.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  log(`portal open: RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  let peak = 0;
  let phasePeak = 0;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    if (m.rss > phasePeak && process.env.BENCH_HEAP) console.log(`rss ${(m.rss / 1048576).toFixed(0)} heap ${(m.heapUsed / 1048576).toFixed(0)}/${(m.heapTotal / 1048576).toFixed(0)} ext ${(m.external / 1048576).toFixed(0)} ab ${(m.arrayBuffers / 1048576).toFixed(0)}`);
    phasePeak = Math.max(phasePeak, m.rss);
  }, 200);
  let phaseStatements = 0;
  let phaseTotal = 0;
  const phaseLine = (phase: string, since: number) =>
    `${phase} ${((Date.now() - since) / 1000).toFixed(1)} s (${(phasePeak / 1048576).toFixed(0)} MB, ${statements - phaseStatements} statements${phaseTotal && (phase === 'posts' || phase === 'media') ? `, ${((statements - phaseStatements) / phaseTotal).toFixed(1)} per ${phase === 'posts' ? 'post' : 'picture'}` : ''})`;
  const results: string[] = [];
  try {
    for (const round of ['first', 'second'] as const) {
      peak = process.memoryUsage().rss;
      const started = Date.now();
      const statementsBefore = statements;
      let last = 0;
      // Each phase's time and peak RSS, printed with the run: where a first run's minutes and memory go.
      const phases: string[] = [];
      let phase = '';
      let phaseStarted = started;
      const report = await app.wordpressImport.run({
        file,
        uploadsDir: uploads,
        progress: (p) => {
          if (p.phase !== phase) {
            if (phase) phases.push(phaseLine(phase, phaseStarted));
            phasePeak = 0;
            phaseStatements = statements;
            phase = p.phase;
            phaseStarted = Date.now();
          }
          phaseTotal = p.total;
          if (Date.now() - last > 15_000) {
            last = Date.now();
            log(`  ${p.phase} ${p.done}/${p.total}`);
          }
        },
      });
      const sec = (Date.now() - started) / 1000;
      phases.push(phaseLine(phase, phaseStarted));
      const goal = round === 'first' ? 300 : 30;
      const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
      const line = `${round} run (${databaseUrl ? 'PostgreSQL' : 'PGlite'}, load average ${load}): ${sec.toFixed(1)} s (goal < ${goal} s: ${sec < goal ? 'met' : 'NOT met'}), ${((posts + attachments) / sec).toFixed(0)} items/s, peak RSS ${(peak / 1048576).toFixed(0)} MB${round === 'first' ? ` (goal < 400 MB: ${peak < 400 * 1048576 ? 'met' : 'NOT met'})` : ''}; created ${JSON.stringify(report.created)}, unchanged ${JSON.stringify(report.unchanged)}, refused ${JSON.stringify(report.refused)}; ${statements - statementsBefore} statements; phases: ${phases.join(', ')}`;
      log(line);
      results.push(line);
      if (sqlTimes.size) {
        for (const [k, e] of [...sqlTimes].sort((x, y) => y[1].ms - x[1].ms).slice(0, 15)) console.log(`  ${(e.ms / 1000).toFixed(1)} s ${e.n}× ${k}`);
        sqlTimes.clear();
      }
    }
  } finally {
    clearInterval(sample);
    await app.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
    // The run's own database goes with it.
    if (databaseUrl) await dropDatabase(databaseUrl);
  }
  console.log(`\nWordPress import (${posts} posts, ${comments} comments, ${attachments} attachments):\n${results.map((r) => `  ${r}`).join('\n')}`);
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const admin = new URL(databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pgLib.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists "${name}" with (force)`).finally(() => client.end());
}

/** Both runs as `gorod import wordpress` processes: their time and the kernel's peak RSS of each. */
async function importInProcesses(o: { file: string; uploads: string; dataDir: string; databaseUrl?: string; posts: number; comments: number; attachments: number }): Promise<void> {
  if (!isFresh()) await build({ quiet: true });
  const flags = (process.env.WP_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const results: string[] = [];
  const env = { ...process.env, DATA_DIR: o.dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : { DATABASE_URL: '' }) };
  // The portal's database is made first, by `gorod migrate` in a process of its own,
  // as it is on a portal that has been started before an import: a new PGlite
  // database's making (initdb in a second instance) peaks at some 530 MB by itself
  // (docs/capacity.md), which is not the import's.
  {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'gorod.js'), 'migrate'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    if (code !== 0) throw new Error(`gorod migrate exited with ${code}`);
  }
  for (const round of ['first', 'second'] as const) {
    const started = Date.now();
    const child = spawn(process.execPath, [...flags, path.join(ROOT, 'bin', 'gorod.js'), 'import', 'wordpress', o.file, '--uploads', o.uploads, '--report', path.join(path.dirname(o.file), 'report.csv')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString('utf8')).slice(-4000)));
    child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString('utf8')).slice(-4000)));
    // VmHWM: the process's resident high-water mark, kept by the kernel (no sample
    // missed) — of the import's process: bin/gorod.js runs `import` again in a child
    // with its Node options when started without them, so its children count too.
    let hwm = 0;
    const peakOf = (pid: number) => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
        for (const c of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)) peakOf(Number(c));
      } catch {
        // gone
      }
    };
    const read = () => peakOf(child.pid!);
    const sample = setInterval(read, 100);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearInterval(sample);
    const sec = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`gorod import exited with ${code}:\n${output}`);
    const goal = round === 'first' ? 300 : 30;
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    const summary = output.split('\n').filter((l) => l.trim() && !l.includes('\r')).slice(-12).join(' | ');
    const line = `${round} run as a process (${o.databaseUrl ? 'PostgreSQL' : 'PGlite'}, node ${flags.join(' ') || '(bin/gorod.js: IMPORT_NODE_FLAGS)'}, load average ${load}): ${sec.toFixed(1)} s with the process's start (goal < ${goal} s: ${sec < goal ? 'met' : 'NOT met'}), peak RSS ${(hwm / 1048576).toFixed(0)} MB${round === 'first' ? ` (goal < 400 MB: ${hwm < 400 * 1048576 ? 'met' : 'NOT met'})` : ''}; ${summary.slice(0, 600)}`;
    log(line);
    results.push(line);
  }
  console.log(`\nWordPress import (${o.posts} posts, ${o.comments} comments, ${o.attachments} attachments):\n${results.map((r) => `  ${r}`).join('\n')}`);
}
