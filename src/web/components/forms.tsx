// Sign-in, registration, confirmation and sign-out pages: plain forms that work
// without JavaScript, each with its CSRF token.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';

export function FormPage({ ctx, title, notice, error, children }: { ctx: PageContext; title: string; notice?: string; error?: string; children?: ComponentChildren }) {
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <section class="form-page">
        <h1>{title}</h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p class="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {children}
      </section>
    </Layout>
  );
}

export function SignInForm({ ctx, csrf, next, email }: { ctx: PageContext; csrf: string; next: string; email?: string }) {
  const { i18n } = ctx;
  return (
    <>
      <form class="form" method="post" action="/login">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="next" value={next} />
        <label>
          {i18n.t('auth.email')}
          <input type="email" name="email" required autoComplete="username" value={email} maxLength={254} />
        </label>
        <label>
          {i18n.t('auth.password')}
          <input type="password" name="password" required autoComplete="current-password" maxLength={200} />
        </label>
        <button class="button" type="submit">
          {i18n.t('auth.signIn.submit')}
        </button>
      </form>
      <p>
        {i18n.t('auth.signIn.noAccount')} <a href="/register">{i18n.t('nav.register')}</a> · <a href="/forgot">{i18n.t('account.forgotLink')}</a>
      </p>
    </>
  );
}

export function RegisterForm({ ctx, csrf, email, displayName }: { ctx: PageContext; csrf: string; email?: string; displayName?: string }) {
  const { i18n } = ctx;
  return (
    <form class="form" method="post" action="/register">
      <input type="hidden" name="_csrf" value={csrf} />
      <label>
        {i18n.t('auth.displayName')}
        <input type="text" name="displayName" required minLength={2} maxLength={40} value={displayName} autoComplete="nickname" />
      </label>
      <label>
        {i18n.t('auth.email')}
        <input type="email" name="email" required maxLength={254} value={email} autoComplete="email" />
      </label>
      <label>
        {i18n.t('auth.password')}
        <input type="password" name="password" required minLength={8} maxLength={200} autoComplete="new-password" />
      </label>
      <button class="button" type="submit">
        {i18n.t('auth.register.submit')}
      </button>
    </form>
  );
}

export function PostButton({ action, csrf, label, hidden }: { action: string; csrf: string; label: string; hidden?: Record<string, string> }) {
  return (
    <form class="form" method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrf} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button class="button" type="submit">
        {label}
      </button>
    </form>
  );
}
