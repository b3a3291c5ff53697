// The demo portal's readers and their discussions: threads with replies and votes
// under most articles (so cards show counts and «ТОП 5» / «Самое обсуждаемое» have
// something to show), and a few held and reported comments waiting in the
// moderators' queue. Texts are ours (demo/data/comments.ts); the order is fixed, so
// every demo portal looks the same.
import type { App } from '../src/types.js';
import { accountReader } from '../src/platform/reader.js';
import { randomToken } from '../src/platform/secrets.js';
import type { SessionUser } from '../src/platform/sessions.js';
import { demoReaders, heldDemo, openers, replies, reportedDemo } from './data/comments.js';

const HOUR = 3600_000;

/** A small deterministic generator: the same demo every time. */
function sequence(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

export async function seedDemoComments(app: App): Promise<{ comments: number; articles: number }> {
  const readers: SessionUser[] = [];
  // The forums' demo may have made them already (they write there too).
  const known = await app.accounts.idsByEmail(demoReaders.map((r) => r.email));
  for (const r of demoReaders) {
    // Nobody signs in as them: a random password nobody knows.
    const id = known.get(r.email.toLowerCase()) ?? (await app.accounts.createUser({ email: r.email, password: randomToken(12), displayName: r.name, role: 'reader' })).id;
    readers.push({ id, email: r.email, displayName: r.name, role: 'reader' });
  }
  const next = sequence(7);
  const now = app.clock.now().getTime();
  const articles = await app.content.latest({ limit: 200 });
  let comments = 0;
  let discussed = 0;
  const approved: { id: number; authorId: number }[] = [];
  for (const [i, a] of articles.entries()) {
    // Two of every three articles have a discussion; the newest ones the liveliest.
    if (i % 3 === 2) continue;
    const published = a.publishedAt.getTime();
    const roots = 1 + next(i < 8 ? 5 : 3);
    const rows: Parameters<App['comments']['importThread']>[1] = [];
    // Comments come after the article, most of them within the last day.
    let t = Math.max(published + 15 * 60_000, now - (2 + next(20)) * HOUR);
    const step = () => (t = Math.min(t + (5 + next(90)) * 60_000, now - 60_000));
    for (let r = 0; r < roots; r++) {
      const author = readers[next(readers.length)]!;
      rows.push({ authorId: author.id, body: openers[(i * 3 + r) % openers.length]!, createdAt: new Date(step()) });
      const parent = rows.length - 1;
      const answers = next(3);
      for (let k = 0; k < answers; k++) {
        const other = readers.filter((x) => x.id !== author.id)[next(readers.length - 1)]!;
        // A second answer sometimes answers the first (a reply to a reply).
        rows.push({ parent: k > 0 && next(2) ? rows.length - 1 : parent, authorId: other.id, body: replies[(i + r * 5 + k) % replies.length]!, createdAt: new Date(step()) });
      }
    }
    const ids = await app.comments.importThread({ kind: 'article', id: a.id }, rows);
    ids.forEach((id, k) => approved.push({ id, authorId: rows[k]!.authorId! }));
    comments += ids.length;
    discussed++;
  }

  // Votes: a few readers like or dislike each comment (never their own).
  for (const c of approved) {
    for (const voter of readers) {
      if (voter.id === c.authorId || next(3) !== 0) continue;
      await app.comments.vote(c.id, `u:${voter.id}`, voter, next(4) === 0 ? -1 : 1);
    }
  }

  // The moderators' queue: held comments and reported ones.
  const target = articles[0]!;
  const held = await app.comments.importThread(
    { kind: 'article', id: target.id },
    heldDemo.map((h, k) => ({ authorId: readers[k]!.id, body: h.body, createdAt: new Date(now - (30 + k * 20) * 60_000), status: 'held' as const, heldReason: h.reason })),
  );
  const reported = await app.comments.importThread(
    { kind: 'article', id: target.id },
    reportedDemo.map((r, k) => ({ authorId: readers[readers.length - 1 - k]!.id, body: r.body, createdAt: new Date(now - (90 + k * 15) * 60_000) })),
  );
  for (const [k, id] of reported.entries()) {
    for (const [n, reason] of reportedDemo[k]!.reasons.entries()) {
      await app.moderation.report({ kind: 'comment', id, reason, reader: accountReader(readers[n]!.id) });
    }
  }
  await app.pageCache.purge(['*']);
  return { comments: comments + held.length + reported.length, articles: discussed };
}
