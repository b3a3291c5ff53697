// The sign-in and registration forms: plain forms that work without JavaScript,
// each with its CSRF token (the page around them is web/components/forms.tsx).
import type { PageContext } from '../../../web/context.js';

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
