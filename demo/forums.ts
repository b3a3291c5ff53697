// The demo portal's forums: boards in two levels, the forum's readers (the demo
// readers of the comments and a few more, one of them a moderator), and topics
// with their posts, quotes and likes (demo/data/forums.ts, our own texts). Times
// count back from now, so the newest topics are the «Обсуждают на форуме» of the
// home page. Deterministic: every demo portal looks the same.
import type { App } from '../src/types.js';
import { accountReader } from '../src/platform/reader.js';
import { randomToken } from '../src/platform/secrets.js';
import { boards, forumUsers, topics, type DemoBoard } from './data/forums.js';

export async function seedDemoForums(app: App): Promise<{ boards: number; topics: number; posts: number }> {
  const { forums } = app;
  // The demo readers may exist already (the comments made them).
  const known = await app.accounts.idsByEmail(forumUsers.map((u) => u.email));
  const users: { id: number; name: string; handle: string }[] = [];
  for (const u of forumUsers) {
    let id = known.get(u.email.toLowerCase());
    // Nobody signs in as them: a random password nobody knows.
    id ??= (await app.accounts.createUser({ email: u.email, password: randomToken(12), displayName: u.name, role: u.staff ? 'moderator' : 'reader' })).id;
    users.push({ id, name: u.name, handle: u.handle });
  }

  const boardIds = new Map<string, number>();
  const sections = await app.content.sections();
  let position = 0;
  const create = async (b: DemoBoard, parentId: number | null) => {
    const discussionSectionId = b.discusses ? (sections.bySlugOf(b.discusses)?.id ?? null) : null;
    const made = await forums.boards.create({ parentId, slug: b.slug, title: b.title, description: b.description, position: ++position, startRole: b.startRole ?? 'reader', replyRole: b.replyRole ?? 'reader', premoderation: b.premoderation ?? false, discussionSectionId });
    boardIds.set(b.slug, made.id);
    for (const c of b.children ?? []) await create(c, made.id);
  };
  for (const b of boards) await create(b, null);

  const now = app.clock.now().getTime();
  let posts = 0;
  // Oldest first, so ids grow with time as on a live forum.
  for (const t of [...topics].sort((a, b) => b.hoursAgo - a.hoursAgo)) {
    let at = now - t.hoursAgo * 3600_000;
    const rows = t.posts.map((p) => {
      at = Math.min(at + p.minutesAfter * 60_000, now - 60_000);
      const u = users[p.author]!;
      return { authorId: u.id, authorName: u.name, handle: u.handle, body: p.body, createdAt: new Date(at), quote: p.quote ? { number: p.quote.post, text: p.quote.text } : undefined };
    });
    // Views: a few dozen readers per post, more for the long threads (a fixed figure).
    const views = t.posts.length * 41 + ((t.title.length * 37) % 180);
    const { postIds } = await forums.posting.importTopic({ boardId: boardIds.get(t.board)!, title: t.title, pinned: t.pinned, closed: t.closed, views, posts: rows });
    posts += postIds.length;
    // Likes from the other readers, in a fixed order.
    for (const [i, p] of t.posts.entries()) {
      const likers = users.filter((_, k) => k !== p.author).slice(i % 5, (i % 5) + (p.likes ?? 0));
      for (const liker of likers) await app.reactions.set({ kind: 'forum_post', id: postIds[i]! }, accountReader(liker.id), 'LIKE');
    }
  }
  return { boards: boardIds.size, topics: topics.length, posts };
}
