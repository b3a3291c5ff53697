import type { PageContext } from './context.js';
import { Layout } from './layout.js';

const TITLES: Record<number, 'error.404.title' | 'error.400.title' | 'error.403.title' | 'error.413.title' | 'error.429.title' | 'error.500.title'> = {
  400: 'error.400.title',
  403: 'error.403.title',
  404: 'error.404.title',
  413: 'error.413.title',
  429: 'error.429.title',
  500: 'error.500.title',
};

export function ErrorPage({ ctx, status, message }: { ctx: PageContext; status: number; message: string }) {
  const title = ctx.i18n.t(TITLES[status] ?? (status >= 500 ? 'error.500.title' : 'error.400.title'));
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <section class="error-page">
        <p class="error-page__code">{status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/">{ctx.i18n.t('error.back')}</a>
        </p>
      </section>
    </Layout>
  );
}
