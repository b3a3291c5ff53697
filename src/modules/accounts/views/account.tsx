// The reader's own pages: profile, password, sessions, data export
// and deletion. Plain forms with their CSRF token; they work without JavaScript.
import type { VNode } from 'preact';
import type { PageContext } from '../../../web/context.js';
import type { ImageRef } from '../../media/index.js';
import { FormPage } from '../../../web/components/forms.js';

export function AccountNav({ ctx }: { ctx: PageContext }) {
  const { i18n } = ctx;
  const links: [string, string][] = [
    ['/account', i18n.t('account.profile')],
    ['/me/notifications', i18n.t('account.notifications')],
    ['/me/messages', i18n.t('account.messages')],
    ['/account/password', i18n.t('account.password')],
    ['/account/sessions', i18n.t('account.sessions')],
    ['/account/data', i18n.t('account.data')],
  ];
  return (
    <nav class="account-nav" aria-label={i18n.t('account.title')}>
      {links.map(([href, label]) => (
        <a href={href} aria-current={ctx.path === href ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

export function ProfilePage({ ctx, csrf, user, avatar, sections, notice, error }: { ctx: PageContext; csrf: string; user: { email: string; display_name: string }; avatar: ImageRef | undefined; sections: (VNode | null)[]; notice?: string; error?: string }) {
  const { i18n } = ctx;
  const small = avatar?.variants.filter((v) => v.format === 'webp').sort((a, b) => a.width - b.width)[0];
  return (
    <FormPage ctx={ctx} title={i18n.t('account.profile')} notice={notice} error={error}>
      <AccountNav ctx={ctx} />
      <p>
        {i18n.t('auth.email')}: {user.email}
      </p>
      <form class="form" method="post" action="/account/profile">
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('auth.displayName')}
          <input type="text" name="displayName" required minLength={2} maxLength={40} value={user.display_name} autoComplete="nickname" />
        </label>
        <button class="button" type="submit">
          {i18n.t('account.save')}
        </button>
      </form>
      <h2>{i18n.t('account.avatar')}</h2>
      {avatar && small && <img class="account-avatar" src={avatar.base + small.file} alt={i18n.t('account.avatar')} width={96} height={96} />}
      {/* Same-origin proof instead of a token: a file form's fields are parsed after the CSRF check. */}
      <form class="form" method="post" action="/account/avatar" encType="multipart/form-data">
        <label>
          {i18n.t('account.avatarFile')}
          <input type="file" name="avatar" accept="image/jpeg,image/png,image/webp" required />
        </label>
        <button class="button" type="submit">
          {i18n.t('account.upload')}
        </button>
      </form>
      {sections}
    </FormPage>
  );
}

export function PasswordPage({ ctx, csrf, notice, error }: { ctx: PageContext; csrf: string; notice?: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('account.password')} notice={notice} error={error}>
      <AccountNav ctx={ctx} />
      <form class="form" method="post" action="/account/password">
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('account.currentPassword')}
          <input type="password" name="current" required autoComplete="current-password" maxLength={200} />
        </label>
        <label>
          {i18n.t('account.newPassword')}
          <input type="password" name="password" required minLength={8} maxLength={200} autoComplete="new-password" />
        </label>
        <button class="button" type="submit">
          {i18n.t('account.changePassword')}
        </button>
      </form>
    </FormPage>
  );
}

export function ForgotPage({ ctx, csrf, notice, error }: { ctx: PageContext; csrf: string; notice?: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('account.forgot')} notice={notice} error={error}>
      {!notice && (
        <form class="form" method="post" action="/forgot">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {i18n.t('auth.email')}
            <input type="email" name="email" required maxLength={254} autoComplete="email" />
          </label>
          <button class="button" type="submit">
            {i18n.t('account.sendReset')}
          </button>
        </form>
      )}
    </FormPage>
  );
}

export function ResetPage({ ctx, csrf, token, notice, error, showForm }: { ctx: PageContext; csrf: string; token: string; notice?: string; error?: string; showForm: boolean }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('account.reset')} notice={notice} error={error}>
      {showForm && (
        <form class="form" method="post" action={`/reset/${encodeURIComponent(token)}`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {i18n.t('account.newPassword')}
            <input type="password" name="password" required minLength={8} maxLength={200} autoComplete="new-password" />
          </label>
          <button class="button" type="submit">
            {i18n.t('account.setPassword')}
          </button>
        </form>
      )}
      {notice && (
        <p>
          <a href="/login">{i18n.t('nav.signIn')}</a>
        </p>
      )}
    </FormPage>
  );
}

export interface SessionRow {
  id: string;
  user_agent: string;
  created_at: Date;
}

export function SessionsPage({ ctx, csrf, sessions, currentId, notice }: { ctx: PageContext; csrf: string; sessions: SessionRow[]; currentId: string; notice?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('account.sessions')} notice={notice}>
      <AccountNav ctx={ctx} />
      <ul class="session-list">
        {sessions.map((s) => (
          <li>
            <span class="session-list__agent">{s.user_agent || i18n.t('account.unknownDevice')}</span>{' '}
            <span>
              {i18n.t('account.since')} <time dateTime={s.created_at.toISOString()}>{i18n.when(s.created_at, ctx.now)}</time>
            </span>{' '}
            {s.id === currentId ? (
              <strong>{i18n.t('account.thisSession')}</strong>
            ) : (
              <form class="form form--inline" method="post" action="/account/sessions/end">
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="id" value={s.id} />
                <button class="button button--secondary" type="submit">
                  {i18n.t('account.endSession')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {sessions.length > 1 && (
        <form class="form" method="post" action="/account/sessions/end-others">
          <input type="hidden" name="_csrf" value={csrf} />
          <button class="button" type="submit">
            {i18n.t('account.endOthers')}
          </button>
        </form>
      )}
    </FormPage>
  );
}

export function DataPage({ ctx, csrf, error }: { ctx: PageContext; csrf: string; error?: string }) {
  const { i18n } = ctx;
  return (
    <FormPage ctx={ctx} title={i18n.t('account.data')} error={error}>
      <AccountNav ctx={ctx} />
      <h2>{i18n.t('account.export')}</h2>
      <p>{i18n.t('account.exportText')}</p>
      <p>
        <a class="button" href="/account/export" download="gorod-data.json">
          {i18n.t('account.exportButton')}
        </a>
      </p>
      <h2>{i18n.t('account.delete')}</h2>
      <p>{i18n.t('account.deleteText')}</p>
      <form class="form" method="post" action="/account/delete">
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          {i18n.t('auth.password')}
          <input type="password" name="password" required autoComplete="current-password" maxLength={200} />
        </label>
        <button class="button button--danger" type="submit">
          {i18n.t('account.deleteButton')}
        </button>
      </form>
    </FormPage>
  );
}
