// The reader's own forum pages: «Непрочитанные» (followed topics with new posts),
// «Новые» (topics of the last two days not opened yet), and a member's profile.
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Board } from '../boards.js';
import { topicPath, type Post, type TopicSummary } from '../reading.js';
import type { Author } from '../service.js';
import { Crumbs, TopicRow } from './parts.js';

export function TopicListPage({ ctx, title, topics, boards, authors, unread, empty, csrf, current }: { ctx: PageContext; title: string; topics: TopicSummary[]; boards: Map<number, Board>; authors: Map<number, Author>; unread?: Map<number, number>; empty: string; csrf: string | null; current: 'new' | 'unread' }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <section class="forum">
        <Crumbs ctx={ctx} trail={[]} />
        <header class="forum-head">
          <h1>{title}</h1>
          <nav class="forum-head__links">
            <a href="/forum/new/" aria-current={current === 'new' ? 'page' : undefined}>
              {i18n.t('forum.newTopics')}
            </a>
            <a href="/forum/unread/" aria-current={current === 'unread' ? 'page' : undefined}>
              {i18n.t('forum.unread')}
            </a>
          </nav>
        </header>
        {csrf === null ? (
          <p>
            <a href={`/login?next=${encodeURIComponent(ctx.path)}`}>{i18n.t('forum.signInForLists')}</a>
          </p>
        ) : topics.length ? (
          <>
            <ul class="forum-topics">
              {topics.map((t) => {
                const board = boards.get(t.boardId);
                return board ? <TopicRow ctx={ctx} topic={t} board={board} authors={authors} unread={unread?.get(t.id)} /> : null;
              })}
            </ul>
            <form class="form" method="post" action="/forum/read-all">
              <input type="hidden" name="_csrf" value={csrf} />
              <button class="button button--secondary" type="submit">
                {i18n.t('forum.markAllRead')}
              </button>
            </form>
          </>
        ) : (
          <p class="muted">{empty}</p>
        )}
      </section>
    </Layout>
  );
}

export interface ProfileView {
  author: Author & { handle: string };
  joinedAt: Date;
  postCount: number;
  trust: number;
  topics: TopicSummary[];
  posts: (Post & { topicTitle: string; topicSlug: string; boardId: number; excerpt: string })[];
  boards: Map<number, Board>;
  blocked: boolean | null;
  csrf: string | null;
}

export function ProfilePage({ ctx, view }: { ctx: PageContext; view: ProfileView }) {
  const { i18n } = ctx;
  const { author } = view;
  return (
    <Layout ctx={ctx} meta={{ title: i18n.t('forum.profile', { handle: author.name }), canonical: `${ctx.publicUrl}/forum/u/${encodeURIComponent(author.handle)}/` }}>
      <section class="forum forum-profile">
        <Crumbs ctx={ctx} trail={[]} />
        <h1>{author.name}</h1>
        <p class="muted">
          @{author.handle} · {i18n.t('forum.joined', { date: i18n.date(view.joinedAt) })} · {i18n.plural('forum.posts', view.postCount)} · {i18n.t('forum.trust', { level: view.trust })}
        </p>
        {view.blocked !== null && view.csrf && (
          <form class="form" method="post" action={`/forum/u/${encodeURIComponent(author.handle)}/block`}>
            <input type="hidden" name="_csrf" value={view.csrf} />
            <input type="hidden" name="on" value={view.blocked ? '0' : '1'} />
            <button class="button button--secondary" type="submit">
              {i18n.t(view.blocked ? 'forum.unblock' : 'forum.block')}
            </button>
          </form>
        )}
        <h2>{i18n.t('forum.profileTopics')}</h2>
        <ul class="forum-list">
          {view.topics.map((t) => {
            const board = view.boards.get(t.boardId);
            return board ? (
              <li>
                <a href={topicPath(board.slug, t)}>{t.title}</a> <span class="muted">{i18n.when(t.createdAt, ctx.now)}</span>
              </li>
            ) : null;
          })}
        </ul>
        <h2>{i18n.t('forum.profilePosts')}</h2>
        <ul class="forum-list">
          {view.posts.map((p) => {
            const board = view.boards.get(p.boardId);
            return board ? (
              <li>
                <a href={topicPath(board.slug, { id: p.topicId, slug: p.topicSlug }, p.number)}>{p.topicTitle}</a> <span class="muted">{i18n.when(p.createdAt, ctx.now)}</span>
                <p class="forum-list__excerpt">{p.excerpt}</p>
              </li>
            ) : null;
          })}
        </ul>
      </section>
    </Layout>
  );
}
