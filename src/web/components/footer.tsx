// The site footer: every top rubric, the sections modules add (forums, classifieds,
// dating — each appears once its module registers it), the pages the newsroom edits
// («О проекте», «Контакты редакции», «Реклама», «Правила»), the age mark, the
// imprint a registered outlet must print, RSS and the language switch.
import type { I18n, MessageKey } from '../../platform/i18n/index.js';
import type { PageContext } from '../context.js';

export interface FooterSection {
  href: string;
  /** An i18n key, so the link reads in the reader's locale. */
  label: MessageKey;
  order: number;
}

export interface Imprint {
  founder: string;
  editorInChief: string;
  registration: string;
}

export interface FooterModel {
  /** Sections of the portal besides the rubrics; add with `addFooterSection`. */
  sections: FooterSection[];
  /** The info pages, kept current by the info-pages module. */
  pages: { href: string; title: string }[];
  imprint: Imprint;
}

export const emptyFooter = (): FooterModel => ({ sections: [], pages: [], imprint: { founder: '', editorInChief: '', registration: '' } });

/** A module's section in the footer (e.g. `{ href: '/forum', label: 'footer.forums', order: 10 }`). */
export function addFooterSection(footer: FooterModel, section: FooterSection): void {
  footer.sections = [...footer.sections.filter((s) => s.href !== section.href), section].sort((a, b) => a.order - b.order);
}

function ImprintLine({ imprint, i18n }: { imprint: Imprint; i18n: I18n }) {
  const parts = [
    imprint.founder && i18n.t('footer.founder', { name: imprint.founder }),
    imprint.editorInChief && i18n.t('footer.editorInChief', { name: imprint.editorInChief }),
    imprint.registration && i18n.t('footer.registration', { number: imprint.registration }),
  ].filter(Boolean);
  return parts.length > 0 ? <p class="site-footer__imprint">{parts.join('. ')}.</p> : null;
}

export function Footer({ ctx }: { ctx: PageContext }) {
  const { i18n, footer } = ctx;
  return (
    <footer class="site-footer">
      <div class="site-footer__columns">
        <nav class="site-footer__nav" aria-label={i18n.t('footer.sections')}>
          <ul>
            {ctx.nav.map((item) => (
              <li>
                <a href={item.href}>{item.title}</a>
              </li>
            ))}
            {footer.sections.map((s) => (
              <li>
                <a href={s.href}>{i18n.t(s.label as never)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <nav class="site-footer__nav site-footer__nav--info" aria-label={i18n.t('footer.info')}>
          <ul>
            {footer.pages.map((p) => (
              <li>
                <a href={p.href}>{p.title}</a>
              </li>
            ))}
            <li>
              <a href="/rss.xml">{i18n.t('footer.rss')}</a>
            </li>
            <li>
              <a href={`/lang/${i18n.locale === 'ru' ? 'en' : 'ru'}`} rel="nofollow">
                {i18n.t('footer.lang')}
              </a>
            </li>
          </ul>
        </nav>
      </div>
      <div class="site-footer__legal">
        <p class="site-footer__age">
          <span class="age-mark" title={i18n.t('footer.ageTitle')}>
            18+
          </span>{' '}
          © {ctx.now.getUTCFullYear()} {ctx.siteName}
        </p>
        <ImprintLine imprint={footer.imprint} i18n={i18n} />
        <p>{i18n.t('footer.about')}</p>
      </div>
    </footer>
  );
}
