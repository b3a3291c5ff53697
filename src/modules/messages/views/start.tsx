// «Написать» at /me/messages/start?kind=&id=&to=: the subject, whom the message goes
// to, and a textarea; the no-JS fallback of classifieds' and dating's buttons, and
// where a refused first message comes back with its text and the reason (a stop
// word: «Вы уверены?» and «Отправить всё равно»).
import type { PageContext } from '../../../web/context.js';
import { FormPage } from '../../../web/components/forms.js';

export function StartPage(p: {
  ctx: PageContext;
  csrf: string;
  kind: string;
  id: number;
  to: string;
  toName: string;
  subject: { title: string; url: string } | null;
  as: string | null;
  parties: { key: string; name: string; kind: 'user' | 'organisation' }[];
  text: string;
  maxLength: number;
  error?: string;
  confirm: boolean;
}) {
  const { i18n } = p.ctx;
  const storefronts = p.parties.filter((x) => x.kind === 'organisation');
  return (
    <FormPage ctx={p.ctx} title={i18n.t('messages.start.title')} error={p.error}>
      <form class="messages-form messages-start" method="post" action="/me/messages/start">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <input type="hidden" name="kind" value={p.kind} />
        <input type="hidden" name="id" value={String(p.id)} />
        <input type="hidden" name="to" value={p.to} />
        {p.confirm && <input type="hidden" name="confirmed" value="true" />}
        {p.subject && (
          <p class="messages-start__subject">
            {i18n.t('messages.about')} {p.subject.url ? <a href={p.subject.url}>{p.subject.title}</a> : p.subject.title}
          </p>
        )}
        <p class="messages-start__to">{i18n.t('messages.start.to', { name: p.toName || i18n.t('messages.deletedUser') })}</p>
        {storefronts.length > 0 && (
          <p>
            <label for="message-as">{i18n.t('messages.start.as')}</label>{' '}
            <select id="message-as" name="as">
              {p.parties.map((x) => (
                <option value={x.key} selected={(p.as ?? p.parties[0]!.key) === x.key}>
                  {x.kind === 'user' ? i18n.t('messages.start.asSelf') : x.name}
                </option>
              ))}
            </select>
          </p>
        )}
        <label class="messages-form__label" for="message-text">
          {i18n.t('messages.yourMessage')}
        </label>
        <textarea id="message-text" name="text" rows={5} maxLength={p.maxLength} required>
          {p.text}
        </textarea>
        <p class="messages-form__actions">
          <button class="button" type="submit">
            {p.confirm ? i18n.t('messages.sendAnyway') : i18n.t('messages.send')}
          </button>
          <span class="messages-form__hint">{i18n.t('messages.maxLength', { max: p.maxLength })}</span>
        </p>
      </form>
    </FormPage>
  );
}
