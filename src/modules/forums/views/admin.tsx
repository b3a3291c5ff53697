// The back office's forum boards: the tree with counts and the form that creates a
// board; one board's form (rename, move under another category, order, who may
// post, pre-moderation), archive and merge; and the topics heating up.
import type { PageContext } from '../../../web/context.js';
import { AdminLayout, type AdminNavItem } from '../../../web/admin.js';
import type { Board, BoardInput, BoardNode } from '../boards.js';
import { BOARD_DESCRIPTION_MAX, BOARD_TITLE_MAX } from '../boards.js';
import { boardPath } from '../reading.js';
import { BOARD_ROLES } from '../schema.js';

export type Notice = { saved?: boolean; merged?: number; error?: string };

function Messages({ ctx, notice }: { ctx: PageContext; notice: Notice }) {
  return (
    <>
      {notice.saved && (
        <p class="notice" role="status">
          {ctx.i18n.t('forum.admin.saved')}
        </p>
      )}
      {notice.merged !== undefined && (
        <p class="notice" role="status">
          {ctx.i18n.plural('forum.admin.merged', notice.merged)}
        </p>
      )}
      {notice.error && (
        <p class="notice notice--error" role="alert">
          {notice.error}
        </p>
      )}
    </>
  );
}

export const EMPTY_BOARD: BoardInput = { parentId: null, slug: '', title: '', description: '', position: 0, startRole: 'reader', replyRole: 'reader', premoderation: false };

type SectionOption = { id: number; title: string };

function BoardFields({ ctx, value, categories, sections, selfId }: { ctx: PageContext; value: BoardInput; categories: Board[]; sections: SectionOption[]; selfId: number | null }) {
  const { i18n } = ctx;
  const role = (name: 'startRole' | 'replyRole') => (
    <label>
      {i18n.t(name === 'startRole' ? 'forum.admin.startRole' : 'forum.admin.replyRole')}
      <select name={name}>
        {BOARD_ROLES.map((r) => (
          <option value={r} selected={value[name] === r}>
            {i18n.t(`forum.admin.role.${r}`)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <label>
        {i18n.t('forum.admin.titleLabel')}
        <input name="title" value={value.title} maxLength={BOARD_TITLE_MAX} required />
      </label>
      <label>
        {i18n.t('forum.admin.slug')}
        <input name="slug" value={value.slug} pattern="[a-z0-9][a-z0-9\-]{0,59}" required />
      </label>
      <label>
        {i18n.t('forum.admin.descriptionLabel')}
        <textarea name="description" rows={2} maxLength={BOARD_DESCRIPTION_MAX}>
          {value.description}
        </textarea>
      </label>
      <label>
        {i18n.t('forum.admin.parent')}
        <select name="parentId">
          <option value="">{i18n.t('forum.admin.noParent')}</option>
          {categories
            .filter((c) => c.id !== selfId)
            .map((c) => (
              <option value={String(c.id)} selected={value.parentId === c.id}>
                {c.title}
              </option>
            ))}
        </select>
      </label>
      <label>
        {i18n.t('forum.admin.position')}
        <input name="position" type="number" min={0} max={10000} value={String(value.position)} />
      </label>
      {role('startRole')}
      {role('replyRole')}
      <label class="checkbox">
        <input type="checkbox" name="premoderation" value="1" checked={value.premoderation} /> {i18n.t('forum.admin.premoderation')}
      </label>
      <label>
        {i18n.t('forum.admin.discussionSection')}
        <select name="discussionSectionId">
          <option value="">{i18n.t('forum.admin.noSection')}</option>
          {sections.map((s) => (
            <option value={String(s.id)} selected={value.discussionSectionId === s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

export function BoardsAdmin({ ctx, nav, tree, sections, csrf, notice, draft, spiking }: { ctx: PageContext; nav: AdminNavItem[]; tree: BoardNode[]; sections: SectionOption[]; csrf: string; notice: Notice; draft: BoardInput; spiking: { title: string; url: string; lastHour: number; usualPerHour: number }[] }) {
  const { i18n } = ctx;
  const line = (b: Board, children: Board[] = []) => (
    <li>
      <a href={`/admin/forums/${b.id}`}>{b.title}</a> <span class="muted">/forum/{b.slug}/ · {i18n.plural('forum.topics', b.topicCount)} · {i18n.plural('forum.posts', b.postCount)}</span>
      {b.archived && <span class="forum-badge forum-badge--muted">{i18n.t('forum.admin.archivedMark')}</span>}
      {children.length > 0 && <ul>{children.map((c) => line(c))}</ul>}
    </li>
  );
  return (
    <AdminLayout ctx={ctx} title={i18n.t('forum.admin.title')} nav={nav}>
      <Messages ctx={ctx} notice={notice} />
      {spiking.length > 0 && (
        <section class="forum-admin__spiking">
          <h2>{i18n.t('forum.admin.spiking')}</h2>
          <ul>
            {spiking.map((s) => (
              <li>
                <a href={s.url}>{s.title}</a> <span class="muted">{i18n.t('forum.admin.spikingLine', { lastHour: i18n.plural('forum.posts', s.lastHour), usual: String(s.usualPerHour).replace('.', i18n.locale === 'ru' ? ',' : '.') })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>{i18n.t('forum.admin.boards')}</h2>
      <ul class="forum-admin__tree">
        {tree.map((c) => line(c, c.children))}
      </ul>
      <h2>{i18n.t('forum.admin.new')}</h2>
      <form class="form" method="post" action="/admin/forums">
        <input type="hidden" name="_csrf" value={csrf} />
        <BoardFields ctx={ctx} value={draft} categories={tree.filter((c) => !c.archived)} sections={sections} selfId={null} />
        <button class="button" type="submit">
          {i18n.t('forum.admin.create')}
        </button>
      </form>
    </AdminLayout>
  );
}

export function BoardEditor({ ctx, nav, board, value, tree, sections, moderators, csrf, notice }: { ctx: PageContext; nav: AdminNavItem[]; board: Board; value: BoardInput; tree: BoardNode[]; sections: SectionOption[]; moderators: { id: number; name: string }[]; csrf: string; notice: Notice }) {
  const { i18n } = ctx;
  const others = tree.flatMap((c) => [c, ...c.children]).filter((b) => b.id !== board.id && !b.archived);
  return (
    <AdminLayout ctx={ctx} title={board.title} nav={nav}>
      <p>
        <a href="/admin/forums">← {i18n.t('forum.admin.boards')}</a> · <a href={boardPath(board)}>{boardPath(board)}</a>
      </p>
      <Messages ctx={ctx} notice={notice} />
      <form class="form" method="post" action={`/admin/forums/${board.id}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <BoardFields ctx={ctx} value={value} categories={tree.filter((c) => !c.archived)} sections={sections} selfId={board.id} />
        <button class="button" type="submit">
          {i18n.t('forum.admin.save')}
        </button>
      </form>
      <h2>{i18n.t('forum.admin.moderators')}</h2>
      {moderators.length ? (
        <ul class="forum-admin__moderators">
          {moderators.map((m) => (
            <li>
              {m.name}{' '}
              <form class="form form--inline" method="post" action={`/admin/forums/${board.id}/moderators/${m.id}/remove`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <button class="button button--secondary" type="submit">
                  {i18n.t('forum.admin.remove')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{i18n.t('forum.admin.noModerators')}</p>
      )}
      <form class="form" method="post" action={`/admin/forums/${board.id}/moderators`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('forum.admin.addModerator')}
          <input name="email" type="email" maxLength={320} required />
        </label>
        <button class="button button--secondary" type="submit">
          {i18n.t('forum.admin.add')}
        </button>
      </form>
      <form class="form" method="post" action={`/admin/forums/${board.id}/archive`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="archived" value={board.archived ? '0' : '1'} />
        <button class="button button--secondary" type="submit">
          {i18n.t(board.archived ? 'forum.admin.unarchive' : 'forum.admin.archive')}
        </button>
      </form>
      <form class="form" method="post" action={`/admin/forums/${board.id}/merge`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('forum.admin.merge')}
          <select name="into">
            {others.map((b) => (
              <option value={String(b.id)}>{b.title}</option>
            ))}
          </select>
        </label>
        <p class="hint">{i18n.t('forum.admin.mergeHint')}</p>
        <button class="button button--secondary" type="submit">
          {i18n.t('forum.admin.merge')}
        </button>
      </form>
    </AdminLayout>
  );
}
