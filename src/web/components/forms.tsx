// Shared by every module's plain forms that work without JavaScript: the page
// a form sits on (title, notice, error) and a one-button POST form with its CSRF token.
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../context.js';
import { Layout } from '../layout.js';

export function FormPage({ ctx, title, notice, error, children }: { ctx: PageContext; title: string; notice?: string; error?: string; children?: ComponentChildren }) {
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <section class="form-page">
        <h1>{title}</h1>
        <Notices notice={notice} error={error} />
        {children}
      </section>
    </Layout>
  );
}

/** What the last action did (a status) or why it was refused (an alert), above a form. */
export function Notices({ notice, error }: { notice?: string; error?: string }) {
  return (
    <>
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
    </>
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
