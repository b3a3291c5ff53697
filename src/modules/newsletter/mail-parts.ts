// The parts of a newsletter mail that belong to one recipient: the signed links,
// the list headers, the tracked links and the counting image, and `personalMail`,
// the one mail of a queue row as nodemailer builds it (the back office's test send,
// and the reference the sender's compiled mails are tested against).
import { fromAddress, type Mail } from '../../platform/mail.js';
import type { PersonalItem } from './index.js';
import { MANAGE_URL, PERSONAL_HTML, PERSONAL_TEXT, UNSUBSCRIBE_URL } from './mail-template.js';
import { clickToken, manageToken, openToken, smtpAddress, unsubscribeToken } from './tokens.js';

/** A reader's own part of a digest, rendered (mail-template.tsx, renderPersonal). */
export interface Personal {
  html: string;
  text: string;
  /** Others' alerts the part holds (the classifieds' saved searches, found at `at`): told through `carried` once the mail has gone to SMTP, so they need no mail of their own. */
  carries?: { userId: number; ads: PersonalItem[]; at: Date };
}

/** A send as the sender reads it: the list's names and the mail with its marks (mail-template.tsx). */
export interface SendInfo {
  id: number;
  kind: 'digest' | 'breaking' | 'test';
  listId: number;
  listSlug: string;
  listName: string;
  subject: string;
  html: string;
  text: string;
}

export function unsubscribeUrl(publicUrl: string, token: string) {
  return `${publicUrl}/newsletter/unsubscribe/${token}`;
}
export function manageUrl(publicUrl: string, token: string) {
  return `${publicUrl}/newsletter/manage/${token}`;
}

/** A header phrase: as it is when plain ASCII, else one RFC 2047 encoded word. */
export function encodedPhrase(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) && !/[()<>@,;:\\".[\]]/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
}

/** The host mail addresses and ids of the portal are under. */
export const mailHost = (publicUrl: string) => new URL(publicUrl).hostname;

const unescapeAttr = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The counted form of a link's `href` value (as written in the HTML), or null for a
 * link that is not counted: the unsubscribe and «choose lists» ones.
 */
export function trackedLink(raw: string): ((queueId: number, sendId: number, secret: string, publicUrl: string) => string) | null {
  const target = unescapeAttr(raw);
  if (/\/newsletter\/(unsubscribe|manage)\//.test(target)) return null;
  const query = encodeURIComponent(target);
  return (queueId, sendId, secret, publicUrl) => escapeAttr(`${publicUrl}/newsletter/c/${clickToken(secret, queueId, sendId, target)}?u=${query}`);
}

/** Each counted http(s) link of the HTML through `/newsletter/c/TOKEN?u=…` (the token signs the queue row, the send and the target). */
export function trackLinks(html: string, queueId: number, sendId: number, secret: string, publicUrl: string): string {
  return html.replace(/href="(https?:\/\/[^"]+)"/g, (whole, raw: string) => {
    const link = trackedLink(raw);
    return link ? `href="${link(queueId, sendId, secret, publicUrl)}"` : whole;
  });
}

/** The 1×1 image `/newsletter/o/TOKEN.gif` that counts an open. */
export const trackingPixel = (queueId: number, sendId: number, secret: string, publicUrl: string) =>
  `<img src="${publicUrl}/newsletter/o/${openToken(secret, queueId, sendId)}.gif" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;

/** Tracking on: the links counted, and the counting image at the end of the body. */
export function trackedHtml(html: string, queueId: number, sendId: number, secret: string, publicUrl: string): string {
  const linked = trackLinks(html, queueId, sendId, secret, publicUrl);
  const pixel = trackingPixel(queueId, sendId, secret, publicUrl);
  return linked.includes('</body>') ? linked.replace('</body>', `${pixel}</body>`) : linked + pixel;
}

/** RFC 2369's unsubscribe header: the mailto (the token in the subject) and the one-click link. */
export const listUnsubscribe = (address: string, unsubscribe: string, link: string) => `<mailto:${address}?subject=unsubscribe%20${unsubscribe}>, <${link}>`;

type Header = string | { prepared: true; foldLines: true; value: string };

/** The headers every mail of a send shares (RFC 2369, 2919, 8058; Feedback-ID): all of the list headers but the reader's own `List-Unsubscribe`. */
export function sendHeaders(send: SendInfo, host: string): Record<string, Header> {
  return {
    // Prepared by hand: nodemailer would encode the whole value, angle brackets and
    // all, once the name is not ASCII; RFC 2919 wants only the phrase encoded. Folded
    // at its spaces to RFC 5322's 78 characters a line.
    'List-Id': { prepared: true, foldLines: true, value: `${encodedPhrase(send.listName)} <${send.listSlug}.${host}>` },
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Feedback-ID': `${send.id}:${send.listId}:newsletter:${host}`,
    Precedence: 'bulk',
    'Auto-Submitted': 'auto-generated',
  };
}

/** The one mail of a queue row: the send's parts with this recipient's links, and the list headers. */
export function personalMail(send: SendInfo, to: { subscriberId: number; email: string }, queueId: number, secret: string, publicUrl: string, from: string, personal?: Personal, track = false): Mail {
  const host = mailHost(publicUrl);
  const unsub = unsubscribeToken(secret, to.subscriberId, send.listId);
  const unsubUrl = unsubscribeUrl(publicUrl, unsub);
  const manage = manageUrl(publicUrl, manageToken(secret, to.subscriberId));
  const fill = (s: string, part: string, own: string) => s.split(UNSUBSCRIBE_URL).join(unsubUrl).split(MANAGE_URL).join(manage).split(part).join(own);
  const html = fill(send.html, PERSONAL_HTML, personal?.html ?? '');
  return {
    to: smtpAddress(to.email),
    subject: send.subject,
    text: fill(send.text, PERSONAL_TEXT, personal?.text ?? ''),
    html: track ? trackedHtml(html, queueId, send.id, secret, publicUrl) : html,
    messageId: `nl-${queueId}.${send.id}@${host}`,
    headers: { ...sendHeaders(send, host), 'List-Unsubscribe': { prepared: true, foldLines: true, value: listUnsubscribe(fromAddress(from), unsub, unsubUrl) } },
  };
}
