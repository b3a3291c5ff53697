// A public info page: the newsroom's plain text as paragraphs, with web and mail
// addresses as links. Everything is a Preact text node or an <a> Preact builds, so
// the text can never become markup.
import * as linkify from 'linkifyjs';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { InfoPage } from '../service.js';

const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

function Line({ text }: { text: string }) {
  return (
    <>
      {linkify.tokenize(text).map((token) => {
        const href = token.isLink ? token.toHref('https') : '';
        return token.isLink && SAFE_HREF.test(href) ? <a href={href}>{token.toString()}</a> : token.toString();
      })}
    </>
  );
}

export function InfoText({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p) => (
          <p>
            {p.split('\n').map((line, i) => (
              <>
                {i > 0 && <br />}
                <Line text={line} />
              </>
            ))}
          </p>
        ))}
    </>
  );
}

export function InfoPageView({ ctx, page }: { ctx: PageContext; page: InfoPage }) {
  const { i18n } = ctx;
  return (
    <Layout ctx={ctx} meta={{ title: page.title, canonical: `${ctx.publicUrl}/info/${page.slug}` }}>
      <article class="info-page">
        <h1>{page.title}</h1>
        {page.body ? <InfoText text={page.body} /> : <p class="muted">{i18n.t('info.empty')}</p>}
      </article>
    </Layout>
  );
}
