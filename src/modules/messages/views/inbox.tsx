// The inbox at /me/messages: every conversation of the parties the reader acts for
// (self and each storefront where they are a member), newest first, each naming the
// storefront it is for; a filter by party with its unread count; the correspondents
// blocked, each with «Разблокировать». The `messages-inbox` island reloads the list
// when the stream ticks.
import type { PageContext } from '../../../web/context.js';
import { FormPage } from '../../../web/components/forms.js';

export interface InboxItemView {
  id: number;
  party: string;
  partyName: string;
  other: string;
  otherName: string;
  subject: { kind: string; id: number; title: string; url: string };
  lastText: string;
  lastAt: string;
  unread: number;
  gone: boolean;
}

export function InboxPage(p: {
  ctx: PageContext;
  csrf: string;
  filter: string | null;
  parties: { key: string; name: string; kind: 'user' | 'organisation' }[];
  unread: Map<string, number>;
  total: number;
  items: InboxItemView[];
  blocks: { blocker: string; blocked: string; name: string }[];
  /** The next page's address, when there may be one. */
  more: string | null;
  notice?: string;
}) {
  const { i18n } = p.ctx;
  const storefronts = p.parties.length > 1;
  const partyLabel = (key: string, name: string) => (key.startsWith('u:') ? i18n.t('messages.inbox.mine') : name);
  return (
    <FormPage ctx={p.ctx} title={i18n.t('messages.inbox.title')} notice={p.notice}>
      <div class="messages-inbox" data-island="messages-inbox" data-labels={JSON.stringify({ fresh: i18n.t('messages.inbox.fresh') })}>
        <p class="messages-inbox__total" data-messages-unread={p.total}>
          {p.total ? i18n.plural('messages.inbox.unread', p.total) : i18n.t('messages.inbox.allRead')}
        </p>
        {storefronts && (
          <nav class="messages-filter" aria-label={i18n.t('messages.inbox.filter')}>
            <a href="/me/messages" aria-current={p.filter === null ? 'page' : undefined}>
              {i18n.t('messages.inbox.all')}
            </a>
            {p.parties.map((x) => (
              <a href={`/me/messages?party=${x.key}`} aria-current={p.filter === x.key ? 'page' : undefined}>
                {partyLabel(x.key, x.name)}
                {p.unread.get(x.key) ? <span class="messages-badge">{p.unread.get(x.key)}</span> : null}
              </a>
            ))}
          </nav>
        )}
        {p.items.length === 0 && <p class="messages-inbox__empty">{i18n.t('messages.inbox.empty')}</p>}
        <ul class="messages-conversations">
          {p.items.map((c) => (
            <li class={`messages-conversation${c.unread ? ' messages-conversation--unread' : ''}`} data-conversation={c.id}>
              <a class="messages-conversation__link" href={`/me/messages/${c.id}`}>
                <span class="messages-conversation__top">
                  <span class="messages-conversation__name">{c.gone ? i18n.t('messages.gone') : c.otherName || i18n.t('messages.deletedUser')}</span>
                  <time dateTime={c.lastAt}>{i18n.when(new Date(c.lastAt), p.ctx.now)}</time>
                </span>
                {c.subject.title && <span class="messages-conversation__subject">{c.subject.title}</span>}
                {c.party.startsWith('o:') && <span class="messages-conversation__for">{i18n.t('messages.inbox.for', { name: c.partyName })}</span>}
                <span class="messages-conversation__last">{c.lastText}</span>
              </a>
              {c.unread > 0 && (
                <span class="messages-badge" aria-label={i18n.plural('messages.inbox.unread', c.unread)}>
                  {c.unread}
                </span>
              )}
            </li>
          ))}
        </ul>
        {p.more && (
          <p class="messages-inbox__more">
            <a href={p.more}>{i18n.t('messages.inbox.more')}</a>
          </p>
        )}
        {p.blocks.length > 0 && (
          <section class="messages-blocks">
            <h2>{i18n.t('messages.inbox.blocked')}</h2>
            <ul>
              {p.blocks.map((b) => (
                <li>
                  <span>{b.name || i18n.t('messages.deletedUser')}</span>
                  {storefronts && b.blocker.startsWith('o:') && <span class="messages-blocks__for"> · {p.parties.find((x) => x.key === b.blocker)?.name}</span>}
                  <form method="post" action="/me/messages/unblock">
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    <input type="hidden" name="blocker" value={b.blocker} />
                    <input type="hidden" name="blocked" value={b.blocked} />
                    <button class="link-button" type="submit">
                      {i18n.t('messages.unblock')}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </FormPage>
  );
}
