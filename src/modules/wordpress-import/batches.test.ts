// How the import writes on the embedded database: posts in batches, one transaction
// each, and the pictures made beside the posts (runner.ts, docs/benchmarks.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { runImport, type RunnerDeps } from './runner.js';

const picture = path.join(import.meta.dirname, '../../../test/fixtures/wordpress/uploads/2024/05/most.png');

let portal: Portal;
let tmp: string;
before(async () => {
  portal = await startPortal({ demo: false });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-batches-'));
});
after(async () => {
  await portal.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** An export of `posts` posts on its own site, two comments each (the second a reply); `extra` is put after the channel's head. */
function exportOf(site: string, posts: { id: number; title: string; extra?: string }[], head = ''): string {
  const items = posts.map(
    (p) =>
      `<item><title>${p.title}</title><link>https://${site}/zametka-${p.id}/</link><content:encoded><![CDATA[<p>Текст заметки ${p.id}.</p>]]></content:encoded><wp:post_id>${p.id}</wp:post_id><wp:post_date_gmt>2024-02-01 10:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="zametki"><![CDATA[Заметки]]></category>${p.extra ?? ''}` +
      `<wp:comment><wp:comment_id>${p.id * 10 + 1}</wp:comment_id><wp:comment_author>Читатель</wp:comment_author><wp:comment_date_gmt>2024-02-01 11:00:00</wp:comment_date_gmt><wp:comment_content>Первый к заметке ${p.id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>` +
      `<wp:comment><wp:comment_id>${p.id * 10 + 2}</wp:comment_id><wp:comment_author>Другой</wp:comment_author><wp:comment_date_gmt>2024-02-01 12:00:00</wp:comment_date_gmt><wp:comment_content>Ответ к заметке ${p.id}</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>${p.id * 10 + 1}</wp:comment_parent></wp:comment></item>`,
  );
  const file = path.join(tmp, `${site}.xml`);
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://${site}</wp:base_site_url>${head}${items.join('\n')}</channel></rss>`,
  );
  return file;
}

const depsOf = (over: Partial<RunnerDeps>): RunnerDeps => ({
  content: portal.app.content,
  comments: portal.app.comments,
  media: portal.app.media,
  store: portal.app.wordpressImport.store,
  clock: portal.app.clock,
  ...over,
});

describe('posts in batches', () => {
  test('25 posts to a transaction, each article with its own comments and keys; a post that fails is refused alone', async () => {
    const posts = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, title: i === 32 ? 'Сломанная заметка' : `Заметка №${i + 1}` }));
    const file = exportOf('partii.example', posts);
    const batches: number[] = [];
    const content = {
      ...portal.app.content,
      saveImportedMany: (articles: Parameters<Portal['app']['content']['saveImportedMany']>[0], opts: Parameters<Portal['app']['content']['saveImportedMany']>[1]) => {
        batches.push(articles.length);
        // The broken one fails inside the transaction, after its batch's rows were sent.
        return portal.app.content.saveImportedMany(articles, {
          ...opts,
          alongside: async (trx, ids) => {
            await opts!.alongside!(trx, ids);
            if (articles.some((a) => a.input.title === 'Сломанная заметка')) throw new Error('сломалась');
          },
        });
      },
    };
    const before = await portal.app.content.countArticles();
    const report = await runImport(depsOf({ content, postsPerBatch: 25 }), { file, anonymousName: 'Читатель' });
    // 25, then 25 that fail together and are written one by one (the broken one fails
    // again), and 10 (written as soon as the file ends, perhaps between those ones).
    assert.deepEqual([...batches].sort((a, b) => b - a), [25, 25, 10, ...Array(25).fill(1)]);
    assert.equal(report.created.posts, 59);
    assert.deepEqual(report.refused, { posts: 1 });
    assert.deepEqual(report.lines.map((l) => `${l.item}:${l.code}`), ['post 33:post_failed']);
    assert.equal((await portal.app.content.countArticles()) - before, 59);
    assert.equal(report.created.comments, 118);
    // Each article is its post's (the batch's ids in order), with its post's two comments, the reply under the first.
    const site = await portal.app.wordpressImport.store.site('partii.example', false);
    const known = await portal.app.wordpressImport.store.known(site);
    assert.equal(known.has('post:33'), false);
    assert.equal(known.has('comment:331'), false);
    for (const p of posts) {
      if (p.id === 33) continue;
      const id = known.get(`post:${p.id}`)!.targetId!;
      assert.equal((await portal.app.content.editable(id))!.title, p.title);
      const { rows } = await sql<{ id: number; parent_id: number | null; body: string }>`select id, parent_id, body from comments where subject_kind = 'article' and subject_id = ${id} order by id`.execute(portal.app.database.db);
      assert.deepEqual(rows.map((r) => r.body), [`Первый к заметке ${p.id}`, `Ответ к заметке ${p.id}`]);
      assert.equal(rows[1]!.parent_id, rows[0]!.id);
      assert.equal(known.get(`comment:${p.id * 10 + 2}`)!.targetId, rows[1]!.id);
      assert.equal(await portal.app.wordpressImport.resolve(`/zametka-${p.id}/`), (await portal.app.content.readerArticle(id))!.url);
    }
    // The next run writes the one that failed, and nothing else.
    batches.length = 0;
    const again = await runImport(depsOf({ postsPerBatch: 25 }), { file, anonymousName: 'Читатель' });
    assert.equal(again.created.posts, 1);
    assert.equal(again.unchanged.posts, 59);
    assert.equal(again.created.comments, 2);
  });
});

describe('the planner\'s statistics', () => {
  test('gathered once 200 posts are written, and again each time as many again are', async () => {
    const file = exportOf('statistika.example', Array.from({ length: 300 }, (_, i) => ({ id: i + 1, title: `Сводка №${i + 1}` })));
    const before = await portal.app.content.countArticles();
    const calls: number[] = [];
    const analyze = async () => void calls.push((await portal.app.content.countArticles()) - before);
    const report = await runImport(depsOf({ postsPerBatch: 25, analyze }), { file, anonymousName: 'Читатель' });
    assert.equal(report.created.posts, 300);
    // After 200 posts (and before 400: the next would be then).
    assert.equal(calls.length, 1, `${calls}`);
    assert.ok(calls[0]! >= 200 && calls[0]! < 300, `${calls}`);
  });
});

describe('pictures beside the posts', () => {
  test('a post waits only for its own pictures: the others are written meanwhile', { timeout: 30_000 }, async () => {
    const uploads = path.join(tmp, 'uploads');
    fs.mkdirSync(path.join(uploads, '2024', '05'), { recursive: true });
    for (const name of ['pervaya', 'vtoraya']) fs.copyFileSync(picture, path.join(uploads, '2024', '05', `${name}.png`));
    const attachment = (id: number, name: string) =>
      `<item><title>${name}</title><wp:post_id>${id}</wp:post_id><wp:post_date_gmt>2024-02-01 09:00:00</wp:post_date_gmt><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type><wp:attachment_url>https://ryadom.example/wp-content/uploads/2024/05/${name}.png</wp:attachment_url></item>`;
    const cover = (id: number) => `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${id}</wp:meta_value></wp:postmeta>`;
    const file = exportOf('ryadom.example', [{ id: 1, title: 'С первой картинкой', extra: cover(901) }, { id: 2, title: 'Со второй картинкой', extra: cover(902) }], attachment(901, 'pervaya') + attachment(902, 'vtoraya'));
    // The first picture is made only once the second post is written: were the
    // pictures all made before the posts, the run would wait here for ever.
    let secondWritten!: () => void;
    const gate = new Promise<void>((r) => (secondWritten = r));
    const media = {
      ...portal.app.media,
      store: async (bytes: Buffer, o: Parameters<Portal['app']['media']['store']>[1] = {}) => {
        if (o.alt === 'pervaya') await gate;
        return portal.app.media.store(bytes, o);
      },
    };
    const content = {
      ...portal.app.content,
      saveImportedMany: async (...a: Parameters<Portal['app']['content']['saveImportedMany']>) => {
        const saved = await portal.app.content.saveImportedMany(...a);
        if (a[0].some((x) => x.input.title === 'Со второй картинкой')) secondWritten();
        return saved;
      },
    };
    const report = await runImport(depsOf({ media, content, postsAtOnce: 2 }), { file, uploadsDir: uploads, anonymousName: 'Читатель' });
    assert.equal(report.created.media, 2);
    assert.equal(report.created.posts, 2);
    const known = await portal.app.wordpressImport.store.known(await portal.app.wordpressImport.store.site('ryadom.example', false));
    for (const [post, att] of [[1, 901], [2, 902]] as const) {
      const a = (await portal.app.content.editable(known.get(`post:${post}`)!.targetId!))!;
      assert.equal(a.coverImageId, known.get(`attachment:${att}`)!.targetId, `post ${post}'s cover`);
    }
  });
});
