import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { staffClient } from '../../../test/support/newsroom.js';
import { ImportRefused, oldAddresses, verify, type ImportReport } from './index.js';

const fixtures = path.join(import.meta.dirname, '../../../test/fixtures/wordpress');
const fixture = (name: string) => path.join(fixtures, name);
const uploads = fixture('uploads');

let portal: Portal;
let tmp: string;
before(async () => {
  portal = await startPortal({ demo: false });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wp-import-'));
});
after(async () => {
  await portal.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const run = (file: string, opts: Partial<Parameters<Portal['app']['wordpressImport']['run']>[0]> = {}) => portal.app.wordpressImport.run({ file, uploadsDir: uploads, ...opts });
const articleOf = async (wpId: number) => (await portal.app.wordpressImport.store.known(await portal.app.wordpressImport.store.site('vestnik-zarechya.example', false))).get(`post:${wpId}`)?.targetId ?? null;
/** A copy of the Cyrillic fixture with some text replaced: a newer export, another site. */
function variant(name: string, edit: (xml: string) => string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, edit(fs.readFileSync(fixture('zarechye.xml'), 'utf8')));
  return file;
}

describe('a WordPress export comes in', () => {
  let first: ImportReport;

  test('a dry run reports what would come and writes nothing', async () => {
    const articles = await portal.app.content.countArticles();
    const report = await run(fixture('zarechye.xml'), { dryRun: true });
    assert.equal(report.dryRun, true);
    assert.equal(report.created.posts, 4);
    assert.equal(report.created.comments, 4);
    assert.equal(report.runId, null);
    assert.equal(await portal.app.content.countArticles(), articles);
    assert.equal(await portal.app.wordpressImport.store.site('vestnik-zarechya.example', false), null);
    assert.deepEqual((await portal.app.content.sections()).all(), []);
  });

  test('posts, drafts, schedules, sections, tags, authors, media and comments come in, and the bad items are named', async () => {
    first = await run(fixture('zarechye.xml'));
    assert.deepEqual(first.created, { authors: 2, sections: 3, tags: 2, media: 1, posts: 4, comments: 4 });
    assert.deepEqual(first.skipped, { pages: 1, nav_menu_item: 1 });
    assert.deepEqual(first.refused, { categories: 1, posts: 3 });
    assert.deepEqual(first.lines.filter((l) => l.code.startsWith('warn.')).map((l) => `${l.item}:${l.code}:${l.detail}`), ['post 10:warn.dropped:script', 'post 10:warn.dropped:style', 'post 10:warn.image_not_found:x']);
    const codes = first.lines.filter((l) => !l.code.startsWith('warn.')).map((l) => `${l.item}:${l.code}`);
    assert.deepEqual(codes, ['category petlya:category_own_parent', 'post 14:no_title', 'post 15:bad_date', 'post 11:duplicate_id', 'page 16:page_skipped']);
    assert.deepEqual(first.sticky, [await articleOf(10)]);

    const id = (await articleOf(10))!;
    const a = (await portal.app.content.editable(id))!;
    assert.equal(a.title, 'В Заречье открыли мост');
    assert.equal(a.status, 'published');
    assert.equal(a.publishedAt?.toISOString(), '2024-05-12T04:30:00.000Z');
    assert.equal(a.lead, 'Жители Заречья дождались моста через реку.');
    assert.equal(a.seoTitle, 'Мост в Заречье открыт');
    assert.equal(a.seoDescription, 'Мост через Заречку открыли в субботу.');
    assert.ok(a.coverImageId, 'the featured image is the cover');
    assert.deepEqual(a.body.blocks.map((b) => b.type), ['paragraph', 'header', 'list', 'quote', 'image', 'embed', 'paragraph']);
    assert.doesNotMatch(JSON.stringify(a.body), /script|onclick|onmouseover|onerror|<style/);
    const tree = await portal.app.content.sections();
    const section = tree.get(a.sectionId)!;
    assert.equal(section.title, 'ЖКХ');
    assert.equal(tree.get(section.parentId!)!.title, 'Новости');
    assert.equal(a.tagIds.length, 2);
    assert.equal(a.authorIds.length, 1);

    const draft = (await portal.app.content.editable((await articleOf(12))!))!;
    assert.equal(draft.status, 'draft');
    const future = (await portal.app.content.editable((await articleOf(13))!))!;
    assert.equal(future.status, 'scheduled');
    assert.equal(future.scheduledAt?.toISOString(), '2030-01-15T03:00:00.000Z');

    // Comments: the approved thread shows, the pending one waits for a moderator, spam is rejected; nobody was mailed.
    const thread = await portal.app.comments.thread(id, 'old');
    assert.equal(thread.count, 2);
    assert.deepEqual(thread.items.map((c) => [c.authorName, c.body, c.replies.map((r) => r.body)]), [['Галина', 'Наконец-то! Спасибо строителям.', ['Галина, спасибо, что читаете!']]]);
    assert.equal(await portal.app.comments.heldCount(), 1);
    const outbox = path.join(portal.dataDir, 'outbox');
    assert.equal(fs.existsSync(outbox) ? fs.readdirSync(outbox).length : 0, 0);
  });

  test('every old address answers 301 to its new one, which answers 200', async () => {
    const c = portal.client();
    const article = (await portal.app.content.readerArticle((await articleOf(10))!))!;
    const water = (await portal.app.content.readerArticle((await articleOf(11))!))!;
    const slug = '%d0%b2-%d0%b7%d0%b0%d1%80%d0%b5%d1%87%d1%8c%d0%b5-%d0%be%d1%82%d0%ba%d1%80%d1%8b%d0%bb%d0%b8-%d0%bc%d0%be%d1%81%d1%82';
    const expectations: [string, string][] = [
      [`/2024/05/${slug}/`, article.url],
      [`/2024/05/${slug.toUpperCase()}`, article.url],
      [`/2024/05/${slug.replace(/%d0/g, '%D0')}/?utm_source=vk`, article.url],
      ['/?p=10', article.url],
      ['/index.php?p=10', article.url],
      ['/2024/05/%D0%BC%D0%BE%D1%81%D1%82-%D0%BE%D1%82%D0%BA%D1%80%D1%8B%D1%82/', article.url],
      ['/2024/05/most-otkryt/', article.url],
      [`/2024/05/${slug}/feed/`, article.url],
      ['/2024/05/most-otkryt/most-foto/', article.url],
      ['/?attachment_id=20', article.url],
      ['/2024/06/otklyuchenie-vody', water.url],
      ['/category/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8/zhkh/', '/text/zhkh/'],
      ['/category/zhkh/page/2/', '/text/zhkh/'],
      ['/?cat=5', '/text/novosti/'],
      ['/category/zhkh/feed/', '/rss/zhkh.xml'],
      ['/tag/%D0%BC%D0%BE%D1%81%D1%82/', '/tags/most/'],
      ['/?tag=remont', '/tags/remont/'],
      ['/author/anna/', '/authors/anna-klyuchevskaya/'],
      ['/?author=3', '/authors/petr-zaozernyy/'],
      ['/feed/', '/rss.xml'],
      ['/?feed=rss2', '/rss.xml'],
    ];
    for (const [old, target] of expectations) {
      const res = await c.get(old);
      assert.equal(res.status, 301, `${old} → ${res.status}`);
      assert.equal(res.location, target, old);
      const landed = await c.get(target);
      assert.equal(landed.status, 200, `${old} → ${target} → ${landed.status}`);
    }
    // The old image and its resized variant lead to the new file.
    for (const old of ['/wp-content/uploads/2024/05/most.png', '/wp-content/uploads/2024/05/most-300x200.png']) {
      const res = await c.get(old);
      assert.equal(res.status, 301, old);
      assert.match(res.location!, /^\/uploads\/.+\.jpg$/);
      assert.equal((await c.get(res.location!)).status, 200);
    }
    // The new page has the blocks and the images.
    const page = await c.get(article.url);
    assert.match(page.text, /Что изменится/);
    assert.match(page.text, /<blockquote/);
    assert.match(page.text, /youtube-nocookie\.com\/embed\/dQw4w9WgXcQ/);
    assert.match(page.text, /src="\/uploads\//);
    // A draft has no public page (its ?p= is the home page, as any unknown one); an address that never was stays a 404.
    assert.equal((await c.get('/?p=12')).status, 200);
    assert.equal((await c.get('/?p=999999')).status, 200);
    assert.equal((await c.get('/2024/05/nikogda-ne-bylo/')).status, 404);
    assert.equal((await c.get('/?utm_source=x')).status, 200);
  });

  test('the archive is in the search, the sitemap and the feed', async () => {
    const c = portal.client();
    const article = (await portal.app.content.readerArticle((await articleOf(10))!))!;
    assert.match((await c.get(`/search?q=${encodeURIComponent('Заречье мост')}`)).text, /В Заречье открыли мост/);
    assert.match((await c.get('/sitemap-articles.xml')).text, new RegExp(article.url.replace(/\//g, '\\/')));
    assert.match((await c.get('/rss.xml')).text, /В Заречье открыли мост/);
  });

  test('`import verify` requests every public old address and names those that do not lead to a page', async () => {
    const paths = await oldAddresses(fixture('zarechye.xml'), 'https://vestnik-zarechya.example');
    assert.ok(paths.includes('/?p=10') && paths.includes('/wp-content/uploads/2024/05/most.png') && paths.includes('/category/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8/zhkh/'), paths.join('\n'));
    const result = await verify(paths, portal.url);
    assert.equal(result.checked, paths.length);
    // The refused items of the file (a repeated id, a broken date) and the page the first run skipped.
    assert.deepEqual(result.bad.map((b) => b.path).sort(), ['/2024/06/plohaya-data/', '/2024/06/povtor/', '/?p=15', '/?p=16', '/o-gazete/']);
    assert.deepEqual(result.bad.find((b) => b.path === '/o-gazete/'), { path: '/o-gazete/', status: 404, location: '', finalStatus: 0 });
  });

  test('a second run of the same file changes nothing', async () => {
    const id = (await articleOf(10))!;
    const revision = (await portal.app.content.editable(id))!.revision;
    const again = await run(fixture('zarechye.xml'));
    assert.deepEqual(again.created, {});
    assert.deepEqual(again.updated, {});
    assert.deepEqual(again.unchanged, { media: 1, posts: 4 });
    assert.equal((await portal.app.content.editable(id))!.revision, revision);
    assert.equal((await portal.app.comments.thread(id)).count, 2);
  });

  test('a newer export updates what changed and adds new comments, never twice', async () => {
    const newer = variant('newer.xml', (xml) =>
      xml
        .replace('<title>Отключение воды на Садовой</title>', '<title>Отключение воды на Садовой отменено</title>')
        .replace(
          '</wp:comment>\n\t</item>',
          `</wp:comment>
			<wp:comment><wp:comment_id>105</wp:comment_id><wp:comment_author><![CDATA[Олег]]></wp:comment_author><wp:comment_date_gmt><![CDATA[2024-05-13 05:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[Согласен с Галиной.]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_parent>101</wp:comment_parent></wp:comment>
		<wp:comment><wp:comment_id>106</wp:comment_id><wp:comment_author><![CDATA[Пинг]]></wp:comment_author><wp:comment_content><![CDATA[Ссылка]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>pingback</wp:comment_type></wp:comment>
	</item>`,
        ),
    );
    const mostId = (await articleOf(10))!;
    const revision = (await portal.app.content.editable(mostId))!.revision;
    const report = await run(newer);
    assert.deepEqual(report.updated, { posts: 1 });
    assert.deepEqual(report.created, { comments: 1 });
    assert.equal((await portal.app.content.editable((await articleOf(11))!))!.title, 'Отключение воды на Садовой отменено');
    assert.equal((await portal.app.content.editable(mostId))!.revision, revision, 'new comments alone make no new revision');
    const thread = await portal.app.comments.thread(mostId, 'old');
    assert.deepEqual(thread.items[0]!.replies.map((r) => r.body), ['Галина, спасибо, что читаете!', 'Согласен с Галиной.']);
    const twice = await run(newer);
    assert.deepEqual(twice.created, {});
    assert.deepEqual(twice.updated, {});
  });

  test('a mapping folds categories into the portal’s sections and takes pages', async () => {
    const other = variant('other-site.xml', (xml) => xml.replaceAll('vestnik-zarechya.example', 'zarechye-2.example'));
    const sections = (await portal.app.content.sections()).all().length;
    const report = await run(other, { map: { '%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8': 'zhkh', zhkh: 'zhkh', petlya: 'zhkh', '@pages': 'novosti' } });
    assert.equal((await portal.app.content.sections()).all().length, sections, 'no new section');
    assert.equal(report.created.pages, 1);
    const res = await portal.client().get('/o-gazete/');
    assert.equal(res.status, 301);
    assert.match(res.location!, /^\/text\/novosti\/2020\/01\/01\/\d+\/$/);
  });
});

describe('media', () => {
  test('a file that cannot be fetched is reported, and the next run gets it and mends the posts that show it', async () => {
    const file = variant('fetch.xml', (xml) => xml.replaceAll('vestnik-zarechya.example', 'zarechye-fetch.invalid'));
    const store = portal.app.wordpressImport.store;
    const first = await portal.app.wordpressImport.run({ file });
    assert.deepEqual(first.refused.media, 1);
    assert.ok(first.lines.some((l) => l.code === 'media_failed' && l.item === 'attachment 20'), JSON.stringify(first.lines));
    const known = async () => store.known(await store.site('zarechye-fetch.invalid', false));
    const articleId = (await known()).get('post:10')!.targetId!;
    assert.equal((await portal.app.content.editable(articleId))!.coverImageId, null);
    assert.ok((await known()).get('attachment:20')!.failed);
    const second = await run(file);
    assert.equal(second.created.media, 1);
    assert.equal(second.updated.posts, 2, 'the two posts that show the picture');
    assert.ok((await portal.app.content.editable(articleId))!.coverImageId);
    assert.equal((await known()).get('attachment:20')!.failed, '');
  });
});

describe('bad input', () => {
  test('a broken or hostile file is refused whole, and nothing of it is written', async () => {
    const articles = await portal.app.content.countArticles();
    const runs = (await portal.app.wordpressImport.store.runs(100)).length;
    for (const [name, code] of [
      ['not-xml.txt', 'not_xml'],
      ['truncated.xml', 'truncated'],
      ['version-9.xml', 'version'],
      ['not-wxr.xml', 'not_wxr'],
      ['bomb.xml', 'entities'],
      ['external-entity.xml', 'entities'],
      ['undeclared-entity.xml', 'not_xml'],
      ['no-such-file.xml', 'unreadable'],
    ] as const) {
      await assert.rejects(run(fixture(name)), (err: ImportRefused) => err instanceof ImportRefused && err.code === code, name);
    }
    assert.equal(await portal.app.content.countArticles(), articles);
    assert.equal((await portal.app.wordpressImport.store.runs(100)).length, runs);
  });
});

describe('accounts for the authors (--accounts)', () => {
  test('a new author gets an account «author» linked to the profile; an address with an account keeps it and its role; signed-in comments become the account’s', async () => {
    const file = variant('accounts.xml', (xml) => xml.replaceAll('vestnik-zarechya.example', 'zarechye-accounts.example'));
    const reader = await portal.app.accounts.createUser({ email: 'petr@zarechye-accounts.example', password: 'пароль-читателя-петра', displayName: 'Пётр', role: 'reader' });
    const users = async () => Number((await portal.database.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await users();

    const dry = await run(file, { accounts: true, dryRun: true });
    assert.deepEqual([dry.created.accounts, dry.unchanged.accounts], [1, 1]);
    assert.equal(await users(), before, 'a dry run makes no account');

    const report = await run(file, { accounts: true });
    assert.deepEqual([report.created.accounts, report.unchanged.accounts], [1, 1]);
    const ids = await portal.app.accounts.idsByEmail(['anna@zarechye-accounts.example', 'petr@zarechye-accounts.example']);
    const anna = await portal.app.accounts.byId(ids.get('anna@zarechye-accounts.example')!);
    assert.equal(anna!.role, 'author');
    assert.equal(anna!.display_name, 'Анна Ключевская');
    assert.equal((await portal.app.accounts.byId(reader.id))!.role, 'reader', 'an existing account keeps its role');
    const profiles = new Map((await portal.app.content.listAuthors()).map((a) => [a.name, a]));
    assert.equal(profiles.get('Анна Ключевская')!.user_id, anna!.id);
    assert.equal(profiles.get('Пётр Заозёрный')!.user_id, reader.id);
    // Anna's comment (wp:comment_user_id 2) is her account's, not a guest's.
    const hers = await portal.database.db.selectFrom('comments').select(['author_id', 'guest_name', 'body']).where('author_id', '=', anna!.id).execute();
    assert.equal(hers.length, 1);
    assert.equal(hers[0]!.guest_name, null);
    // No password anyone knows: a sign-in with an empty one fails.
    assert.equal(await portal.app.accounts.verifyPassword('anna@zarechye-accounts.example', ''), null);

    const again = await run(file, { accounts: true });
    assert.equal(again.created.accounts, undefined);
    assert.equal(again.unchanged.accounts, 2);
    assert.equal(await users(), before + 1);
  });
});

describe('resume', () => {
  // Authors and tags the export does not declare are made as the posts name them; on
  // PostgreSQL four posts are written at a time, so the first posts make them side by
  // side. On PGlite posts go in batches of 25 (and the next batch is made ready while
  // one is written), so the run stops some 50 posts in: the file has 120.
  test('an interrupted run goes on where it stopped, with no post twice', async () => {
    const items = Array.from({ length: 120 }, (_, i) => `<item><title>Сводка №${i + 1}</title><link>https://svodki.example/svodka-${i + 1}/</link><dc:creator>dezhurny-${i % 2}</dc:creator><content:encoded><![CDATA[<p>Текст сводки ${i + 1}.</p>]]></content:encoded><wp:post_id>${i + 1}</wp:post_id><wp:post_date_gmt>2024-02-01 10:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="svodki"><![CDATA[Сводки]]></category><category domain="post_tag" nicename="smena-${i % 3}"><![CDATA[Смена ${i % 3}]]></category></item>`);
    const file = path.join(tmp, 'svodki.xml');
    fs.writeFileSync(file, `<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.1/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.1</wp:wxr_version><wp:base_site_url>https://svodki.example</wp:base_site_url>${items.join('\n')}</channel></rss>`);
    const articles = await portal.app.content.countArticles();
    // The articles are announced to search in batches (`articles.changed`), each one's
    // own event marked `batched`: search indexes many per statement, not one by one.
    const announced: number[][] = [];
    const alone: number[] = [];
    portal.app.events.on('articles.changed', ({ articleIds }) => void announced.push(articleIds));
    portal.app.events.on('article.changed', ({ articleId, batched }) => void (batched || alone.push(articleId)));
    const found = async () => (await portal.app.articleSearch.search({ q: 'сводка', page: 1 })).total;
    const stop = new AbortController();
    await assert.rejects(
      run(file, { signal: stop.signal, progress: (p) => p.phase === 'posts' && p.done >= 15 && stop.abort() }),
      (err: ImportRefused) => err.code === 'interrupted',
    );
    const halfway = (await portal.app.content.countArticles()) - articles;
    // An interrupted run's posts are announced too: each one written is findable.
    assert.equal(await found(), halfway);
    assert.equal(announced.flat().length, halfway);
    assert.deepEqual(alone, [], 'no imported article indexed alone');
    const authors = await portal.app.content.listAuthors();
    assert.equal(authors.filter((a) => a.name.startsWith('dezhurny-')).length, 2, 'each author made once');
    assert.ok(halfway >= 15 && halfway < 120, `${halfway} after the interruption`);
    const [last] = await portal.app.wordpressImport.store.runs(1);
    assert.equal(last!.state, 'interrupted');
    const resumed = await run(file, { resume: true });
    assert.equal(resumed.resumedFrom, halfway);
    assert.equal(resumed.created.posts, 120 - halfway);
    assert.equal((await portal.app.content.countArticles()) - articles, 120);
    assert.deepEqual(resumed.refused, {});
    // By the end of the run every post is findable, announced once, in batches of many.
    assert.equal(await found(), 120);
    assert.equal(new Set(announced.flat()).size, 120);
    assert.equal(announced.flat().length, 120);
    assert.ok(announced.length <= 2, `${announced.length} announcements`);
    assert.equal((await portal.app.wordpressImport.store.run(last!.id))!.state, 'done');
  });
  test('a 50,000-item export resumes from its position deep in the file', async () => {
    // One item in 500 a post (100 posts), the rest what WordPress exports beside them
    // (revisions, menu items): a large file read as a stream, twice.
    const file = path.join(tmp, 'big.xml');
    const out = fs.createWriteStream(file);
    out.write(`<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bolshoy-arhiv.example</wp:base_site_url>\n`);
    for (let i = 0; i < 50_000; i++) {
      const post = i % 500 === 499;
      const type = post ? 'post' : i % 2 ? 'revision' : 'nav_menu_item';
      out.write(`<item><title>${post ? `Архивная заметка ${i}` : `Правка ${i}`}</title><content:encoded><![CDATA[<p>Текст ${i}.</p>]]></content:encoded><wp:post_id>${i + 1}</wp:post_id><wp:post_date_gmt>2019-03-01 08:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>${type}</wp:post_type><category domain="category" nicename="arhiv"><![CDATA[Архив]]></category></item>\n`);
    }
    out.end('</channel></rss>');
    await new Promise<void>((r) => out.on('close', () => r()));
    const articles = await portal.app.content.countArticles();
    const stop = new AbortController();
    await assert.rejects(
      run(file, { signal: stop.signal, progress: (p) => p.phase === 'posts' && p.done >= 50 && stop.abort() }),
      (err: ImportRefused) => err.code === 'interrupted',
    );
    const halfway = (await portal.app.content.countArticles()) - articles;
    assert.ok(halfway >= 50 && halfway < 100, `${halfway} after the interruption`);
    const resumed = await run(file, { resume: true });
    // The position is an item of the file, some 25,000 items in: the one after the last post written.
    assert.equal(resumed.resumedFrom, halfway * 500);
    assert.equal(resumed.created.posts, 100 - halfway);
    assert.equal((await portal.app.content.countArticles()) - articles, 100);
    assert.equal(resumed.skipped.revision! + resumed.skipped.nav_menu_item!, 49_900, 'the rest of the file is read and told apart');
  });
});

describe('the back office', () => {
  test('an admin uploads an export; it runs in the background and its report is shown', async () => {
    const { client } = await staffClient(portal, 'admin');
    const page = await client.get('/admin/import');
    assert.equal(page.status, 200);
    assert.match(page.text, /Импорт из WordPress/);
    const file = variant('upload.xml', (xml) => xml.replaceAll('vestnik-zarechya.example', 'zarechye-upload.example'));
    const form = new FormData();
    form.append('map', '{"@default": "zhkh"}');
    form.append('accounts', '1');
    form.append('file', new Blob([fs.readFileSync(file)], { type: 'text/xml' }), 'export.xml');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const sent = await client.request('POST', '/admin/import', { raw: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')!, 'sec-fetch-site': 'same-origin' } });
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    let runRow = (await portal.app.wordpressImport.store.runs(1))[0]!;
    for (let i = 0; i < 100 && (runRow.state === 'queued' || runRow.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      runRow = (await portal.app.wordpressImport.store.run(runRow.id))!;
    }
    assert.equal(runRow.state, 'done', runRow.error);
    assert.equal(runRow.done, runRow.total);
    const shown = await client.get(`/admin/import/${runRow.id}`);
    assert.match(shown.text, /готово/);
    assert.match(shown.text, /у записи нет заголовка/);
    assert.equal(runRow.accounts, true);
    assert.match(shown.text, /учётные записи 2/, 'the checkbox made the authors’ accounts');
    assert.equal((await portal.app.accounts.idsByEmail(['anna@zarechye-upload.example'])).size, 1);
    // A reader may not.
    assert.equal((await portal.client().get('/admin/import')).status, 303);
    const junk = await client.request('POST', '/admin/import', { raw: 'x', headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' } });
    assert.ok(junk.status >= 400 && junk.status < 500, String(junk.status));
    // A hostile file: the run fails, and its page says why in words.
    const bomb = new FormData();
    bomb.append('file', new Blob([fs.readFileSync(fixture('bomb.xml'))], { type: 'text/xml' }), 'bomb.xml');
    const bombReq = new Request('http://x/', { method: 'POST', body: bomb });
    assert.equal((await client.request('POST', '/admin/import', { raw: Buffer.from(await bombReq.arrayBuffer()), headers: { 'content-type': bombReq.headers.get('content-type')!, 'sec-fetch-site': 'same-origin' } })).status, 303);
    let failed = (await portal.app.wordpressImport.store.runs(1))[0]!;
    for (let i = 0; i < 100 && (failed.state === 'queued' || failed.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      failed = (await portal.app.wordpressImport.store.run(failed.id))!;
    }
    assert.equal(failed.state, 'failed');
    assert.match((await client.get(`/admin/import/${failed.id}`)).text, /Файл объявляет сущности XML/);
  });
});
