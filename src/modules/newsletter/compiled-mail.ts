// A send's mail compiled once. A digest goes to 100,000 addresses and its mails
// differ in a few strings only: the unsubscribe and «choose lists» links, the
// reader's personal part, and (tracking on) the signed links and the counting
// image. nodemailer builds and encodes the whole 21 KB again for every address —
// 2–4 ms of CPU a mail, which held the sender near 300 mails a second
// (docs/benchmarks.md, «Newsletter»). Here the HTML part's shared text is
// quoted-printable-encoded once per send, and each mail joins it with its own
// pieces, each encoded alone: quoted-printable may be joined at a soft line break
// ("=" CRLF decodes to nothing). The short text part is filled and base64-encoded
// per mail, and the headers the mails share are encoded once, by nodemailer's own
// encoder. Every mail decodes to exactly what `personalMail` would have sent
// (compiled-mail.test.ts parses both with mailparser), in about a tenth of a
// millisecond. nodemailer loads with the first compile, as the mailer loads it with
// the first mail (platform/mail.ts).
import crypto from 'node:crypto';
import { fromAddress, type PreparedMail } from '../../platform/mail.js';
import { MANAGE_URL, PERSONAL_HTML, PERSONAL_TEXT, UNSUBSCRIBE_URL } from './mail-template.js';
import { listUnsubscribe, mailHost, manageUrl, sendHeaders, trackedLink, trackingPixel, trackLinks, unsubscribeUrl, type Personal, type SendInfo } from './mail-parts.js';
import { manageToken, smtpAddress, unsubscribeToken } from './tokens.js';

/** What one mail has of its own. */
interface Own {
  queueId: number;
  unsubscribe: string;
  manage: string;
  personal?: Personal;
}

/** A piece of a part: text encoded once, or a function of the mail. */
type Piece = string | ((own: Own) => string);

type Qp = typeof import('nodemailer/lib/qp');
type MimeFuncs = typeof import('nodemailer/lib/mime-funcs');
type MimeNodeClass = typeof import('nodemailer/lib/mime-node').default;
let library: Promise<{ qp: Qp; mime: MimeFuncs; MimeNode: MimeNodeClass }> | undefined;
const nodemailer = () =>
  (library ??= Promise.all([import('nodemailer/lib/qp'), import('nodemailer/lib/mime-funcs'), import('nodemailer/lib/mime-node')]).then(([qp, mime, node]) => ({ qp, mime, MimeNode: node.default })));

// 75, not 76: the soft break that joins two pieces adds one "=" to a piece's last line.
const LINE = 75;
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

export interface CompiledMail {
  /** The mail of one queue row, ready for SMTP. */
  mailFor(to: { subscriberId: number; email: string }, queueId: number, personal?: Personal): PreparedMail;
}

export async function compileSend(send: SendInfo, opts: { secret: string; publicUrl: string; from: string; track: boolean }): Promise<CompiledMail> {
  const { qp, mime, MimeNode } = await nodemailer();
  const { secret, publicUrl, from, track } = opts;
  const encoded = (text: string) => qp.wrap(qp.encode(crlf(text)), LINE);
  const tracked = (html: string, queueId: number) => (track ? trackLinks(html, queueId, send.id, secret, publicUrl) : html);

  /** The template cut at each mark; the text between marks encoded now, once. */
  function pieces(template: string, marks: RegExp, piece: (match: RegExpExecArray) => Piece): Piece[] {
    const out: Piece[] = [];
    let at = 0;
    for (const m of template.matchAll(marks)) {
      if (m.index > at) out.push(encoded(template.slice(at, m.index)));
      const p = piece(m);
      out.push(typeof p === 'string' ? encoded(p) : p);
      at = m.index + m[0].length;
    }
    if (at < template.length) out.push(encoded(template.slice(at)));
    return out.filter((p) => p !== '');
  }

  // The text part is short (about 3 KB) and, in Russian, mostly two-byte letters, which
  // quoted-printable triples and base64 makes 4/3: it is filled and base64-encoded per
  // mail (native, microseconds), as nodemailer would choose for it. The HTML part is
  // mostly ASCII markup: quoted-printable, compiled.
  const textMarks = new RegExp(`${UNSUBSCRIBE_URL}|${MANAGE_URL}|${PERSONAL_TEXT}`, 'g');
  const textOf = (own: Own) => send.text.replace(textMarks, (m) => (m === UNSUBSCRIBE_URL ? own.unsubscribe : m === MANAGE_URL ? own.manage : (own.personal?.text ?? '')));
  // Tracking on: each http(s) link is a piece of its own (the token signs the row), and the counting image goes before </body>.
  const htmlMarks = new RegExp(`${UNSUBSCRIBE_URL}|${MANAGE_URL}|${PERSONAL_HTML}${track ? '|href="(https?://[^"]+)"|</body>' : ''}`, 'g');
  const html = pieces(send.html, htmlMarks, (m) => {
    if (m[0] === UNSUBSCRIBE_URL) return (own) => own.unsubscribe;
    if (m[0] === MANAGE_URL) return (own) => own.manage;
    if (m[0] === PERSONAL_HTML) return (own) => tracked(own.personal?.html ?? '', own.queueId);
    if (m[0] === '</body>') return (own) => `${trackingPixel(own.queueId, send.id, secret, publicUrl)}</body>`;
    const href = trackedLink(m[1]!);
    return href ? (own) => `href="${href(own.queueId, send.id, secret, publicUrl)}"` : m[0];
  });
  if (track && !send.html.includes('</body>')) html.push((own) => trackingPixel(own.queueId, send.id, secret, publicUrl));

  // A boundary the shared text cannot hold (checked), and each mail's own pieces are checked as they are made.
  let boundary: string;
  do boundary = `----gorod-${crypto.randomBytes(12).toString('hex')}`;
  while (html.some((p) => typeof p === 'string' && p.includes(boundary)));

  // The headers: those every mail of the send shares encoded once, as nodemailer
  // encodes them (a MimeNode's own encoder, lines folded at 76); each mail adds its
  // date, id, recipient and unsubscribe link.
  const host = mailHost(publicUrl);
  const address = fromAddress(from);
  const node = new MimeNode('multipart/alternative', { hostname: host });
  const header = (key: string, value: string | { prepared: true; foldLines: true; value: string }) =>
    typeof value === 'string' ? mime.foldLines(`${key}: ${node.encodeHeaderValue(key, value)}`, 76) : mime.foldLines(`${key}: ${value.value}`);
  const shared = [header('From', from), header('Subject', send.subject), ...Object.entries(sendHeaders(send, host)).map(([k, v]) => header(k, v)), 'MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${boundary}"`].join('\r\n');
  // A plain ASCII address goes in as it is; any other through the encoder (an IDN domain, a quoted local part).
  const recipient = (rcpt: string) => (/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$/.test(rcpt) ? `To: ${rcpt}` : header('To', rcpt));
  let second = 0;
  let date = '';
  const dated = () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) (second = now), (date = new Date(now * 1000).toUTCString().replace(/GMT/, '+0000'));
    return date;
  };
  const part = (type: string, encoding: string) => `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`;
  const textHead = part('text/plain', 'base64');
  const htmlHead = `\r\n${part('text/html', 'quoted-printable')}`;
  // Base64 in lines of 76 (no boundary can hide in it: "-" is not in its alphabet).
  const base64 = (text: string) => {
    const b64 = Buffer.from(crlf(text), 'utf8').toString('base64');
    let out = '';
    for (let i = 0; i < b64.length; i += 76) out += i ? `\r\n${b64.slice(i, i + 76)}` : b64.slice(i, i + 76);
    return out;
  };
  const join = (list: Piece[], own: Own) => {
    let out = '';
    for (const p of list) {
      const s = typeof p === 'string' ? p : encoded(p(own));
      if (!s) continue;
      if (typeof p !== 'string' && s.includes(boundary)) throw new Error('newsletter: a mail’s own text holds the MIME boundary');
      out += out ? `=\r\n${s}` : s;
    }
    return out;
  };

  return {
    mailFor(to, queueId, personal) {
      const unsub = unsubscribeToken(secret, to.subscriberId, send.listId);
      const own: Own = { queueId, unsubscribe: unsubscribeUrl(publicUrl, unsub), manage: manageUrl(publicUrl, manageToken(secret, to.subscriberId)), personal };
      const rcpt = smtpAddress(to.email);
      const head = `${shared}\r\nDate: ${dated()}\r\nMessage-ID: <nl-${queueId}.${send.id}@${host}>\r\n${recipient(rcpt)}\r\n${mime.foldLines(`List-Unsubscribe: ${listUnsubscribe(address, unsub, own.unsubscribe)}`)}`;
      const raw = `${head}\r\n\r\n${textHead}${base64(textOf(own))}${htmlHead}${join(html, own)}\r\n--${boundary}--\r\n`;
      return { to: rcpt, subject: send.subject, raw };
    },
  };
}
