// The replies' group commit (reply-writer.ts) on a real database: replies that arrive
// together are written by one statement, numbered per topic in the order they came,
// each answered with its own post; a reply that fails fails alone; a closed topic
// takes its staff's replies only, a hidden one none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { createReplyWriter, type ReplyToWrite } from './reply-writer.js';

let portal: Portal;
before(async () => {
  portal = await startPortal({ demo: false });
});
after(() => portal.close());

const db = () => portal.database.db;
let n = 0;
async function writer(name: string): Promise<number> {
  const u = await portal.app.accounts.createUser({ email: `rw${++n}-${Date.now()}@example.ru`, password: 'пароль-участника', displayName: `${name} ${n}`, role: 'reader' });
  await portal.app.forums.members.ensure(db(), u.id, `${name} ${n}`, new Date());
  return u.id;
}
async function topicOf(boardId: number, authorId: number): Promise<number> {
  const done = await portal.app.forums.posting.importTopic({ boardId, title: `Тема группы ${++n}`, posts: [{ authorId, authorName: 'Автор', body: 'Первое сообщение темы.', createdAt: new Date() }] });
  return done.topicId;
}
async function board() {
  return portal.app.forums.boards.create({ parentId: null, slug: `rw-${++n}`, title: `Раздел ${n}`, description: '', position: n, startRole: 'reader', replyRole: 'reader', premoderation: false });
}
/** A writer on a database handle that counts the statements it runs. */
function counted() {
  const seen = { statements: 0 };
  const handle = db().withPlugin({
    transformQuery: ({ node }) => {
      seen.statements++;
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  return { seen, writer: createReplyWriter(handle) };
}
const reply = (topicId: number, userId: number, body: string, over: Partial<ReplyToWrite> = {}): ReplyToWrite => ({ topicId, userId, body, status: 'published', heldReason: '', ipHash: 'ip', images: [], staff: false, now: new Date(), ...over });
const topicRow = (id: number) => db().selectFrom('forum_topics').select(['post_count', 'last_number', 'last_post_number', 'last_poster_id']).where('id', '=', id).executeTakeFirstOrThrow();
const numbers = async (topicId: number) => (await db().selectFrom('forum_posts').select(['id', 'number', 'body']).where('topic_id', '=', topicId).orderBy('number').execute()).map((p) => p.number);

describe('group commit of replies', () => {
  test('replies that arrive together are written by one statement, numbered per topic in the order they came, each answered with its own post', async () => {
    const bd = await board();
    const author = await writer('Автор');
    const [a, b] = [await topicOf(bd.id, author), await topicOf(bd.id, author)];
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => writer(`Пишущий ${i}`)));
    const { seen, writer: w } = counted();
    const sent = users.map((u, i) => ({ i, into: i % 3 ? a : b, body: `Ответ ${i}`, user: u }));
    const answers = await Promise.all(sent.map((s) => w.write(reply(s.into, s.user, s.body))));
    // Ten replies, one statement (two at most if the first was sent by itself).
    assert.ok(seen.statements <= 2, `${seen.statements} statements`);
    for (const t of [a, b]) {
      const mine = sent.filter((s) => s.into === t);
      // In the order they were sent, after the topic's first post.
      assert.deepEqual(mine.map((s) => answers[s.i]!.number), mine.map((_, k) => k + 2));
      const rows = await db().selectFrom('forum_posts').select(['id', 'number', 'body', 'author_id']).where('topic_id', '=', t).orderBy('number').execute();
      assert.deepEqual(rows.map((r) => r.number), [1, ...mine.map((_, k) => k + 2)]);
      for (const s of mine) {
        const row = rows.find((r) => r.id === answers[s.i]!.post_id)!;
        assert.deepEqual([row.number, row.body, row.author_id], [answers[s.i]!.number, s.body, s.user]);
      }
      const last = mine[mine.length - 1]!;
      assert.deepEqual(await topicRow(t), { post_count: mine.length + 1, last_number: mine.length + 1, last_post_number: mine.length + 1, last_poster_id: last.user });
    }
    const boardRow = await db().selectFrom('forum_boards').select(['post_count', 'last_topic_id']).where('id', '=', bd.id).executeTakeFirstOrThrow();
    assert.deepEqual(boardRow, { post_count: 12, last_topic_id: sent[9]!.into });
    const members = await db().selectFrom('forum_members').select('post_count').where('user_id', 'in', users).execute();
    assert.deepEqual(members.map((m) => m.post_count), users.map(() => 1));
    const watches = await db().selectFrom('forum_topic_readers').select(['user_id', 'last_read', 'level']).where('user_id', 'in', users).execute();
    assert.equal(watches.length, 10);
    for (const s of sent) assert.deepEqual(watches.find((x) => x.user_id === s.user), { user_id: s.user, last_read: answers[s.i]!.number, level: 3 });
  });

  test('one failing reply in a batch fails alone: the others are written once, numbered without a gap', async () => {
    const bd = await board();
    const author = await writer('Автор');
    const t = await topicOf(bd.id, author);
    const users = await Promise.all(Array.from({ length: 4 }, (_, i) => writer(`Соседний ${i}`)));
    const w = createReplyWriter(db());
    // An account that does not exist: the post's foreign key refuses it.
    const sent = [reply(t, users[0]!, 'Первый'), reply(t, users[1]!, 'Второй'), reply(t, 2_000_000_000, 'Несуществующий'), reply(t, users[2]!, 'Третий'), reply(t, users[3]!, 'Четвёртый')];
    const settled = await Promise.allSettled(sent.map((r) => w.write(r)));
    assert.equal(settled[2]!.status, 'rejected');
    const fine = settled.filter((s, i) => i !== 2);
    assert.ok(fine.every((s) => s.status === 'fulfilled'));
    assert.deepEqual(
      fine.map((s) => (s as PromiseFulfilledResult<{ number: number }>).value.number),
      [2, 3, 4, 5],
    );
    assert.deepEqual(await numbers(t), [1, 2, 3, 4, 5]);
    assert.deepEqual((await topicRow(t)).post_count, 5);
    const boardRow = await db().selectFrom('forum_boards').select('post_count').where('id', '=', bd.id).executeTakeFirstOrThrow();
    assert.equal(boardRow.post_count, 5);
  });

  test('in one batch a closed topic takes only its staff’s replies, a hidden one none, an open one all; a held reply takes a number but no count', async () => {
    const bd = await board();
    const author = await writer('Автор');
    const [open, closed, hidden] = [await topicOf(bd.id, author), await topicOf(bd.id, author), await topicOf(bd.id, author)];
    await db().updateTable('forum_topics').set({ closed: true }).where('id', '=', closed).execute();
    await db().updateTable('forum_topics').set({ status: 'hidden' }).where('id', '=', hidden).execute();
    const [u1, u2, mod] = [await writer('Читатель'), await writer('Читатель'), await writer('Модератор')];
    const w = createReplyWriter(db());
    const answers = await Promise.all([
      w.write(reply(closed, u1, 'В закрытую')),
      w.write(reply(open, u1, 'В открытую')),
      w.write(reply(closed, mod, 'Модератор в закрытую', { staff: true })),
      w.write(reply(hidden, u2, 'В скрытую')),
      w.write(reply(open, u2, 'Придержанный', { status: 'held', heldReason: 'links' })),
      w.write(reply(closed, u2, 'Снова в закрытую')),
      w.write(reply(open, mod, 'Модератор в открытую', { staff: true })),
    ]);
    assert.deepEqual(answers.map((a) => a?.number ?? null), [null, 2, 2, null, 3, null, 4]);
    assert.deepEqual(await numbers(closed), [1, 2]);
    assert.deepEqual(await numbers(hidden), [1]);
    assert.deepEqual(await numbers(open), [1, 2, 3, 4]);
    // The held reply's number stays a gap on the page; the counts are the published posts'.
    assert.deepEqual(await topicRow(open), { post_count: 3, last_number: 4, last_post_number: 4, last_poster_id: mod });
    assert.deepEqual(await topicRow(closed), { post_count: 2, last_number: 2, last_post_number: 2, last_poster_id: mod });
    const counts = await db().selectFrom('forum_members').select(['user_id', 'post_count']).where('user_id', 'in', [u1, u2, mod]).orderBy('user_id').execute();
    assert.deepEqual(counts.map((c) => c.post_count), [1, 0, 2]);
  });
});
