// Reactions on subjects through the registry, and a reader's rows moving to the
// account on sign-in in one place (platform/reader-rows.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { ArticleCard } from '../content/index.js';

let portal: Portal;
let articles: ArticleCard[];
let ip = 0;

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  articles = await portal.app.content.latest({ limit: 6 });
});
after(() => portal.close());

const reader = () => portal.client({ 'x-forwarded-for': `10.9.0.${++ip}` });
const subjectUrl = (kind: string, id: number | string) => `/api/subjects/${kind}/${id}/reaction`;

test('the generic subject route reacts to an article like the article route; unknown kinds and hidden subjects are a clear 404', async () => {
  const a = articles[0]!;
  const r = reader();
  const set = await r.api('PUT', subjectUrl('article', a.id), { kind: 'HAPPY' });
  assert.equal(set.status, 200);
  assert.equal(set.json().mine, 'HAPPY');
  assert.deepEqual((await r.get(`/api/articles/${a.id}/reaction`)).json(), set.json());

  const unknown = await r.api('PUT', subjectUrl('spaceship', 1), { kind: 'LIKE' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json().error.code, 'subject.unknown_kind');
  assert.match(unknown.json().error.message, /Неизвестный вид материала: «spaceship»/);
  const missing = await r.api('PUT', subjectUrl('article', 99999999), { kind: 'LIKE' });
  assert.equal(missing.status, 404);
  assert.match(missing.json().error.message, /Статья не найдена/);
  const draft = await portal.app.content.createArticle({ type: 'news', status: 'draft', sectionId: a.section.id, title: 'Черновик о мосте', lead: '', body: { blocks: [] }, authorIds: [] });
  const hidden = await r.api('PUT', subjectUrl('article', draft), { kind: 'LIKE' });
  assert.equal(hidden.status, 404);
  assert.equal((await portal.app.reactions.countRows({ kind: 'article', id: draft })).LIKE, 0, 'nothing stored');
});

test('deleting an article removes its reactions and counts (no foreign key holds them now)', async () => {
  const made = await portal.app.accounts.createUser({ email: 'subj-editor@example.ru', password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
  const editor = { id: made.id, email: made.email, displayName: made.display_name, role: made.role };
  const a = articles[1]!;
  const r = reader();
  assert.equal((await r.api('PUT', `/api/articles/${a.id}/reaction`, { kind: 'SAD' })).status, 200);
  await portal.app.newsroom.deleteArticle(editor, a.id);
  const left = await portal.database.db.selectFrom('reactions').select('id').where('subject_kind', '=', 'article').where('subject_id', '=', a.id).execute();
  assert.equal(left.length, 0);
  const counts = await portal.database.db.selectFrom('reaction_counts').select('n').where('subject_kind', '=', 'article').where('subject_id', '=', a.id).execute();
  assert.equal(counts.length, 0);
});

test('signing in moves every module’s rows in one go; where the account has its own, the account’s wins and counts stay exact', async () => {
  const [a, b] = [articles[2]!, articles[3]!];
  await portal.app.accounts.createUser({ email: 'move@example.ru', password: 'пароль-переезда', displayName: 'Вера', role: 'reader' });
  const phone = reader();
  await phone.signIn('move@example.ru', 'пароль-переезда');
  await phone.api('PUT', `/api/articles/${a.id}/reaction`, { kind: 'LIKE' });

  const laptop = reader();
  await laptop.api('PUT', `/api/articles/${a.id}/reaction`, { kind: 'ANGRY' });
  await laptop.api('PUT', `/api/articles/${b.id}/reaction`, { kind: 'HAPPY' });
  const anon = `a:${(await portal.database.db.selectFrom('reactions').select('reader').where('subject_id', '=', b.id).where('kind', '=', 'HAPPY').executeTakeFirstOrThrow()).reader.slice(2)}`;
  const article = (await portal.app.content.article(b.id))!;
  const fragment = article.bodyText.split(/\s+/).slice(1, 3).join(' ');
  await portal.app.typos.report({ fragment, before: '', after: '', mergeKey: `move-${b.id}`, articleId: b.id, revision: article.revision, comment: '', reader: { key: anon as `a:${string}`, anonId: anon.slice(2), userId: null }, ipHash: 'h' });

  // A report to the moderators from the same browser (the moderation module's rows).
  await portal.app.accounts.createUser({ email: 'author@example.ru', password: 'пароль-автора', displayName: 'Автор', role: 'reader' });
  const author = reader();
  await author.signIn('author@example.ru', 'пароль-автора');
  const comment = (await author.api('POST', '/api/comments', { articleId: a.id, body: 'Мост давно пора было открыть.' })).json() as { id: number };
  assert.equal((await laptop.api('POST', '/api/reports', { kind: 'comment', id: comment.id, reason: 'spam' })).status, 201);

  await laptop.signIn('move@example.ru', 'пароль-переезда');
  const user = (await portal.database.db.selectFrom('users').select('id').where('email', '=', 'move@example.ru').executeTakeFirstOrThrow()).id;
  const rowsOf = (key: string) => portal.database.db.selectFrom('reactions').select(['subject_id', 'kind']).where('reader', '=', key).orderBy('subject_id').execute();
  assert.deepEqual(await rowsOf(anon), [], 'nothing left on the browser');
  assert.deepEqual(
    (await rowsOf(`u:${user}`)).map((r) => `${r.subject_id}:${r.kind}`).sort(),
    [`${a.id}:LIKE`, `${b.id}:HAPPY`].sort(),
    'the account’s own reaction to a stays; b moves',
  );
  for (const id of [a.id, b.id]) {
    assert.deepEqual(await portal.app.reactions.counts({ kind: 'article', id }), await portal.app.reactions.countRows({ kind: 'article', id }));
  }
  const typo = await portal.database.db.selectFrom('typo_reports').select('reader').where('merge_key', '=', `move-${b.id}`).executeTakeFirstOrThrow();
  assert.equal(typo.reader, `u:${user}`);
  const report = await portal.database.db.selectFrom('reports').select('reader').where('subject_kind', '=', 'comment').where('subject_id', '=', comment.id).where('reason', '=', 'spam').where('reader', 'like', `%${anon.slice(2)}`).executeTakeFirst();
  assert.equal(report, undefined, 'no report left on the browser');
  const mine = await portal.database.db.selectFrom('reports').select('reader').where('subject_kind', '=', 'comment').where('subject_id', '=', comment.id).where('reader', '=', `u:${user}`).executeTakeFirst();
  assert.ok(mine, 'the report is the account’s');
  assert.deepEqual(portal.app.readerRows.names, ['audience.reads', 'reactions', 'typos', 'moderation.reports', 'comments.votes', 'messages']);
});
