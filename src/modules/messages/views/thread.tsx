// One conversation at /me/messages/<id>: the subject and the other side in the
// header, the messages (plain text, line breaks kept; a storefront's answer names the
// member who wrote it; «Прочитано» under mine the other side has read; a flagged one
// of theirs with a one-click «Пожаловаться»), then the form to answer. The
// `messages-thread` island adds new messages as they come (the stream) and sends
// without reloading; without it, every form works.
import type { PageContext } from '../../../web/context.js';
import { FormPage } from '../../../web/components/forms.js';

export interface ThreadMessageView {
  id: number;
  mine: boolean;
  text: string;
  senderName: string;
  memberName: string | null;
  flagged: boolean;
  erased: boolean;
  read: boolean;
  at: Date;
}

export interface ThreadData {
  id: number;
  party: string;
  partyName: string;
  other: string;
  otherName: string;
  otherGone: boolean;
  gone: boolean;
  subject: { kind: string; id: number; title: string; url: string };
  iBlocked: boolean;
  blockedMe: boolean;
  otherReadId: number;
  unread: number;
  maxLength: number;
  messages: ThreadMessageView[];
}

export function ThreadPage({ ctx, csrf, t, earlier, history, notice, error, confirm, text }: { ctx: PageContext; csrf: string; t: ThreadData; earlier: string | null; history: boolean; notice?: string; error?: string; confirm: boolean; text: string }) {
  const { i18n } = ctx;
  const as = t.party.startsWith('o:') ? t.party : null;
  const otherName = t.otherGone ? i18n.t('messages.gone') : t.otherName || i18n.t('messages.deletedUser');
  const canWrite = !t.gone && !t.otherGone && !t.iBlocked && !t.blockedMe;
  const lastRead = [...t.messages].reverse().find((m) => m.mine && m.read);
  return (
    <FormPage ctx={ctx} title={otherName} notice={notice} error={error}>
      <div
        class="messages-thread"
        data-island={history ? undefined : 'messages-thread'}
        data-conversation={t.id}
        data-party={t.party}
        data-last={t.messages.at(-1)?.id ?? 0}
        data-labels={JSON.stringify({
          report: i18n.t('messages.report'),
          flagged: i18n.t('messages.flagged'),
          read: i18n.t('messages.read'),
          erased: i18n.t('messages.erased'),
          deletedUser: i18n.t('messages.deletedUser'),
          formerMember: i18n.t('messages.formerMember'),
          confirm: i18n.t('messages.confirmQuestion'),
          sending: i18n.t('messages.sending'),
          fresh: i18n.t('messages.inbox.fresh'),
        })}
      >
        <p class="messages-thread__back">
          <a href="/me/messages">{i18n.t('messages.backToInbox')}</a>
        </p>
        <header class="messages-thread__head">
          {t.subject.title && (
            <p class="messages-thread__subject">
              {i18n.t('messages.about')}{' '}
              {t.subject.url ? <a href={t.subject.url}>{t.subject.title}</a> : t.subject.title}
            </p>
          )}
          {as && <p class="messages-thread__as">{i18n.t('messages.answeringAs', { name: t.partyName })}</p>}
          {t.otherGone && <p class="messages-thread__gone">{i18n.t('messages.gone')}</p>}
        </header>
        {earlier && (
          <p class="messages-thread__earlier">
            <a href={earlier}>{i18n.t('messages.earlier')}</a>
          </p>
        )}
        {history && (
          <p class="messages-thread__earlier">
            <a href={`/me/messages/${t.id}${as ? `?as=${as}` : ''}`}>{i18n.t('messages.newest')}</a>
          </p>
        )}
        <ol class="messages-list" aria-live="polite">
          {t.messages.map((m) => (
            <MessageItem ctx={ctx} csrf={csrf} m={m} readMark={m === lastRead} />
          ))}
        </ol>
        {!t.messages.length && <p class="messages-thread__empty">{i18n.t('messages.threadEmpty')}</p>}
        {canWrite ? (
          <form class="messages-form" method="post" action={`/me/messages/${t.id}`} data-messages-form>
            <input type="hidden" name="_csrf" value={csrf} />
            {as && <input type="hidden" name="as" value={as} />}
            {confirm && <input type="hidden" name="confirmed" value="true" />}
            <label class="messages-form__label" for="message-text">
              {i18n.t('messages.yourMessage')}
            </label>
            <textarea id="message-text" name="text" rows={3} maxLength={t.maxLength} required>
              {text}
            </textarea>
            <p class="messages-form__actions">
              <button class="button" type="submit">
                {confirm ? i18n.t('messages.sendAnyway') : i18n.t('messages.send')}
              </button>
              <span class="messages-form__hint">{i18n.t('messages.maxLength', { max: t.maxLength })}</span>
            </p>
          </form>
        ) : (
          <p class="notice messages-thread__closed">{t.otherGone || t.gone ? i18n.t('messages.closedGone') : t.iBlocked ? i18n.t('messages.closedIBlocked') : i18n.t('messages.closedBlocked')}</p>
        )}
        {!t.otherGone && (
          <form class="messages-thread__block" method="post" action={`/me/messages/${t.id}/${t.iBlocked ? 'unblock' : 'block'}`}>
            <input type="hidden" name="_csrf" value={csrf} />
            {as && <input type="hidden" name="as" value={as} />}
            <button class="link-button" type="submit">
              {t.iBlocked ? i18n.t('messages.unblock') : i18n.t('messages.block', { name: otherName })}
            </button>
          </form>
        )}
      </div>
    </FormPage>
  );
}

function MessageItem({ ctx, csrf, m, readMark }: { ctx: PageContext; csrf: string; m: ThreadMessageView; readMark: boolean }) {
  const { i18n } = ctx;
  return (
    <li class={`message${m.mine ? ' message--mine' : ''}${m.flagged ? ' message--flagged' : ''}`} id={`m-${m.id}`} data-message-id={m.id}>
      <p class="message__who">
        <span class="message__sender">{m.senderName || i18n.t('messages.deletedUser')}</span>
        {m.memberName !== null && <span class="message__member"> · {m.memberName || i18n.t('messages.formerMember')}</span>}
        {' · '}
        <time dateTime={m.at.toISOString()}>{i18n.when(m.at, ctx.now)}</time>
      </p>
      {m.erased ? <p class="message__text message__text--erased">{i18n.t('messages.erased')}</p> : <p class="message__text">{m.text}</p>}
      {m.flagged && !m.mine && !m.erased && <p class="message__flag">{i18n.t('messages.flagged')}</p>}
      {!m.mine && !m.erased && (
        <form class="message__report" method="post" action="/me/messages/report">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="message" value={String(m.id)} />
          <input type="hidden" name="reason" value="abuse" />
          <button class={m.flagged ? 'button button--secondary' : 'link-button'} type="submit">
            {i18n.t('messages.report')}
          </button>
        </form>
      )}
      {readMark && <p class="message__read">{i18n.t('messages.read')}</p>}
    </li>
  );
}
