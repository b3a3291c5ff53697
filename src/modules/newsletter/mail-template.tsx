// The newsletter's mails, HTML and plain text. Why not MJML: it pulls a large
// dependency tree (html-minifier, juice, js-beautify…) and its own template
// language for what is here a handful of layouts. A mail is rendered as Preact with
// preact-render-to-string, the same engine as the pages: a 600 px table layout with
// every style inline (mail clients drop <style> and ignore CSS layout), escaping by
// construction, and the plain-text part built from the same data. Both parts are
// rendered once per send; the per-recipient links are placeholders replaced when
// each mail goes out.
import { renderToString } from 'preact-render-to-string';
import type { ComponentChildren } from 'preact';
import type { ArticleCard } from '../content/index.js';
import type { ImageRef } from '../media/index.js';
import type { I18n } from '../../platform/i18n/index.js';
import type { PersonalItem } from './index.js';

/** Replaced per recipient by the sender. */
export const UNSUBSCRIBE_URL = '%%UNSUBSCRIBE_URL%%';
export const MANAGE_URL = '%%MANAGE_URL%%';
/** Where a digest takes its reader's own part (rows of the HTML table, lines of the text), or nothing. */
export const PERSONAL_HTML = '%%PERSONAL_HTML%%';
export const PERSONAL_TEXT = '%%PERSONAL_TEXT%%';

export interface Site {
  name: string;
  url: string;
}

const FONT = "-apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
const INK = '#1a1a1a';
const MUTED = '#5f6368';
const ACCENT = '#c4161c';

/** A JPEG about 600 px wide (the column), as an absolute URL. */
export function mailImage(image: ImageRef, siteUrl: string): string | null {
  const jpegs = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => a.width - b.width);
  const pick = jpegs.find((v) => v.width >= 600) ?? jpegs[jpegs.length - 1];
  return pick ? new URL(image.base + pick.file, siteUrl + '/').toString() : null;
}

const abs = (url: string, site: Site) => new URL(url, site.url + '/').toString();

function Layout({ site, heading, preheader, i18n, children }: { site: Site; heading: string; preheader: string; i18n: I18n; children: ComponentChildren }) {
  return (
    <html lang={i18n.locale}>
      <head>
        <meta httpEquiv="Content-Type" content="text/html; charset=utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{heading}</title>
      </head>
      <body style={`margin:0;padding:0;background:#f2f2f2;font-family:${FONT};color:${INK}`}>
        <div style="display:none;max-height:0;overflow:hidden">{preheader}</div>
        <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="background:#f2f2f2">
          <tr>
            <td align="center" style="padding:16px 8px">
              <table role="presentation" width="600" cellPadding="0" cellSpacing="0" style="width:100%;max-width:600px;background:#ffffff;border-radius:6px">
                <tr>
                  <td style={`padding:20px 24px;border-bottom:3px solid ${ACCENT}`}>
                    <a href={site.url + '/'} style={`font-size:22px;font-weight:bold;color:${ACCENT};text-decoration:none`}>
                      {site.name}
                    </a>
                    <div style={`font-size:15px;color:${MUTED};margin-top:4px`}>{heading}</div>
                  </td>
                </tr>
                {children}
                <tr>
                  <td style={`padding:20px 24px;font-size:13px;line-height:1.5;color:${MUTED};border-top:1px solid #e0e0e0`}>
                    {i18n.t('newsletter.mail.why', { site: site.name })}
                    <br />
                    <a href={UNSUBSCRIBE_URL} style={`color:${MUTED}`}>
                      {i18n.t('newsletter.mail.unsubscribe')}
                    </a>
                    {' · '}
                    <a href={MANAGE_URL} style={`color:${MUTED}`}>
                      {i18n.t('newsletter.mail.manage')}
                    </a>
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

function Item({ card, site, big, i18n }: { card: ArticleCard; site: Site; big: boolean; i18n: I18n }) {
  const href = abs(card.url, site);
  const image = card.cover ? mailImage(card.cover, site.url) : null;
  return (
    <tr>
      <td style="padding:16px 24px 0">
        {image && (
          <a href={href}>
            <img src={image} alt={card.cover!.alt || card.title} width="552" style="display:block;width:100%;max-width:552px;height:auto;border:0;border-radius:4px;margin-bottom:10px" />
          </a>
        )}
        <div style={`font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:${MUTED}`}>
          {card.section.title} · {i18n.time(card.publishedAt)}
        </div>
        <a href={href} style={`display:block;font-size:${big ? 22 : 18}px;line-height:1.3;font-weight:bold;color:${INK};text-decoration:none;margin:4px 0 6px`}>
          {card.title}
        </a>
        {card.lead && <div style={`font-size:15px;line-height:1.5;color:${INK}`}>{card.lead}</div>}
        <div style="padding-bottom:16px;border-bottom:1px solid #eeeeee">
          <a href={href} style={`font-size:14px;color:${ACCENT}`}>
            {i18n.t('newsletter.mail.read')}
          </a>
        </div>
      </td>
    </tr>
  );
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

function footerText(i18n: I18n, site: Site): string {
  return ['—', i18n.t('newsletter.mail.why', { site: site.name }), `${i18n.t('newsletter.mail.unsubscribe')}: ${UNSUBSCRIBE_URL}`, `${i18n.t('newsletter.mail.manage')}: ${MANAGE_URL}`].join('\n');
}

/** A digest: the list's name and the date, then the articles, the first one big. */
export function renderDigest({ listName, cards, i18n, site, now }: { listName: string; cards: ArticleCard[]; i18n: I18n; site: Site; now: Date }): RenderedMail {
  const heading = `${listName} — ${i18n.date(now)}`;
  const subject = i18n.t('newsletter.mail.digestSubject', { list: listName, date: i18n.date(now), title: cards[0]?.title ?? '' });
  const html =
    '<!DOCTYPE html>' +
    renderToString(
      <Layout site={site} heading={heading} preheader={cards.map((c) => c.title).slice(0, 3).join(' · ')} i18n={i18n}>
        {cards.map((card, i) => (
          <Item card={card} site={site} big={i === 0} i18n={i18n} />
        ))}
        {PERSONAL_HTML}
      </Layout>,
    );
  const text = [heading, '', ...cards.flatMap((c, i) => [`${i + 1}. ${c.title}`, ...(c.lead ? [c.lead] : []), abs(c.url, site), '']), PERSONAL_TEXT, footerText(i18n, site)].join('\n');
  return { subject, html, text };
}

/**
 * A reader's own part of a digest: the forum topics they follow with new posts and
 * their saved searches in the classifieds with new ads. Rows
 * of the digest's table and lines of its text, put in place of PERSONAL_HTML and
 * PERSONAL_TEXT for that reader; for everyone else those become nothing.
 */
export function renderPersonal({ topics = [], ads = [], i18n, site }: { topics?: PersonalItem[]; ads?: PersonalItem[]; i18n: I18n; site: Site }): { html: string; text: string } {
  const parts = [
    { heading: i18n.t('newsletter.mail.watchedTopics'), items: topics, count: (n: number) => i18n.plural('newsletter.mail.newPosts', n) },
    { heading: i18n.t('newsletter.mail.savedSearches'), items: ads, count: (n: number) => i18n.plural('newsletter.mail.newAds', n) },
  ].filter((p) => p.items.length);
  if (!parts.length) return { html: '', text: '' };
  const html = parts
    .map((p) =>
      renderToString(
        <tr>
          <td style="padding:16px 24px">
            <div style={`font-size:16px;font-weight:bold;color:${INK};margin-bottom:8px`}>{p.heading}</div>
            {p.items.map((t) => (
              <div style="padding:6px 0;border-bottom:1px solid #eeeeee">
                <a href={abs(t.url, site)} style={`font-size:15px;color:${INK}`}>
                  {t.title}
                </a>
                <span style={`font-size:13px;color:${MUTED}`}> — {p.count(t.count)}</span>
              </div>
            ))}
          </td>
        </tr>,
      ),
    )
    .join('');
  const text = parts.flatMap((p) => [p.heading, ...p.items.map((t) => `— ${t.title} (${p.count(t.count)}): ${abs(t.url, site)}`), '']).join('\n');
  return { html, text };
}

/** A breaking article: one item, the subject says it is urgent. */
export function renderBreaking({ listName, card, i18n, site }: { listName: string; card: ArticleCard; i18n: I18n; site: Site }): RenderedMail {
  const subject = i18n.t('newsletter.mail.breakingSubject', { title: card.title });
  const html =
    '<!DOCTYPE html>' +
    renderToString(
      <Layout site={site} heading={listName} preheader={card.lead || card.title} i18n={i18n}>
        <Item card={card} site={site} big i18n={i18n} />
      </Layout>,
    );
  const text = [listName, '', card.title, ...(card.lead ? [card.lead] : []), abs(card.url, site), '', footerText(i18n, site)].join('\n');
  return { subject, html, text };
}

/** A short mail with one action: its text, the button, and what follows in small print (the confirmation, the 180-day recheck). */
function oneButtonMail(i18n: I18n, intro: string, link: string, button: string, after: ComponentChildren): string {
  return (
    '<!DOCTYPE html>' +
    renderToString(
      <html lang={i18n.locale}>
        <body style={`margin:0;padding:24px;font-family:${FONT};color:${INK};background:#ffffff`}>
          <p style="font-size:16px;line-height:1.5">{intro}</p>
          <p>
            <a href={link} style={`display:inline-block;padding:12px 20px;background:${ACCENT};color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold`}>
              {button}
            </a>
          </p>
          {after}
        </body>
      </html>,
    )
  );
}

/** The confirmation mail of a subscription: plain text and a simple HTML part. */
export function renderConfirmation({ lists, link, i18n, site }: { lists: string[]; link: string; i18n: I18n; site: Site }): RenderedMail {
  const subject = i18n.t('newsletter.confirmMail.subject', { site: site.name });
  const intro = i18n.t('newsletter.confirmMail.intro', { site: site.name, lists: lists.map((l) => `«${l}»`).join(', ') });
  const ignore = i18n.t('newsletter.confirmMail.ignore');
  const text = [intro, '', link, '', ignore].join('\n');
  const html = oneButtonMail(i18n, intro, link, i18n.t('newsletter.confirmMail.button'), <p style={`font-size:13px;color:${MUTED}`}>{ignore}</p>);
  return { subject, html, text };
}

/** «Оставаться подписанным?»: the one mail an address inactive for 180 days gets before its lists are paused. */
export function renderRecheck({ lists, stayLink, manageLink, days, i18n, site }: { lists: string[]; stayLink: string; manageLink: string; days: number; i18n: I18n; site: Site }): RenderedMail {
  const subject = i18n.t('newsletter.recheckMail.subject', { site: site.name });
  const intro = i18n.t('newsletter.recheckMail.intro', { site: site.name, lists: lists.map((l) => `«${l}»`).join(', ') });
  const pause = i18n.plural('newsletter.recheckMail.pause', days);
  const choose = i18n.t('newsletter.recheckMail.choose');
  const button = i18n.t('newsletter.recheckMail.button');
  const text = [intro, '', `${button}: ${stayLink}`, '', pause, '', `${choose}: ${manageLink}`].join('\n');
  const html = oneButtonMail(
    i18n,
    intro,
    stayLink,
    button,
    <>
      <p style={`font-size:13px;color:${MUTED}`}>{pause}</p>
      <p style={`font-size:13px;color:${MUTED}`}>
        <a href={manageLink} style={`color:${MUTED}`}>
          {choose}
        </a>
      </p>
    </>,
  );
  return { subject, html, text };
}
