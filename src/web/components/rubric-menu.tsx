// The rubric navigation: the top rubrics in a row, and «Все рубрики», a <details>
// that opens a panel with every rubric and its subrubrics. <details> works without
// JavaScript and from the keyboard (the summary is a button to assistive tech), on
// phones as on desktops, so «Транспорт» or «ЖКХ» is never out of reach.
import type { PageContext } from '../context.js';

export function RubricMenu({ ctx }: { ctx: PageContext }) {
  const { i18n } = ctx;
  const current = (href: string) => (ctx.path.startsWith(href) ? 'page' : undefined);
  return (
    <nav class="rubrics" aria-label={i18n.t('nav.main')}>
      <ul class="rubrics__top">
        {ctx.nav.map((item) => (
          <li>
            <a href={item.href} aria-current={current(item.href)}>
              {item.title}
            </a>
          </li>
        ))}
      </ul>
      <details class="rubrics-menu">
        <summary class="rubrics-menu__toggle">{i18n.t('nav.allRubrics')}</summary>
        <ul class="rubrics-menu__panel">
          {ctx.nav.map((item) => (
            <li>
              <a class="rubrics-menu__root" href={item.href}>
                {item.title}
              </a>
              {item.children.length > 0 && (
                <ul>
                  {item.children.map((c) => (
                    <li>
                      <a href={c.href} aria-current={current(c.href)}>
                        {c.title}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}
