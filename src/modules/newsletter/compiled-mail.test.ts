// A send's compiled mail against the one nodemailer builds (`personalMail`): both
// parsed with mailparser, for a real digest with a personal part, tracking off and
// on, a Cyrillic address and long lines cut between the shared text and a mail's
// own pieces. What a reader's client shows must be the same, to the byte.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { simpleParser, type ParsedMail } from 'mailparser';
import { i18n } from '../../platform/i18n/index.js';
import type { ArticleCard } from '../content/index.js';
import { compileSend } from './compiled-mail.js';
import { personalMail, type Personal, type SendInfo } from './mail-parts.js';
import { renderDigest, renderPersonal } from './mail-template.js';

const secret = 'a-secret-for-the-tests-0123456789abcdef';
const publicUrl = 'https://gorod.example.ru';
const from = 'Городской портал <noreply@gorod.example.ru>';
const site = { name: 'Городской портал', url: publicUrl };
const ru = i18n('ru', 'Asia/Novosibirsk');

// Long Cyrillic leads, a trailing space before a mark, a line of «=» and a dot at a line's start: the edges of quoted-printable.
const cards = Array.from({ length: 6 }, (_, i) => ({
  id: i + 1,
  type: 'news',
  title: `Новость ${i + 1}: мост через Иню закроют на ночь ради ремонта швов`,
  lead: `${'Длинный лид без переносов строк, чтобы строка закодированного текста переломилась посреди букв: '.repeat(3)}=== .точка ${i} `,
  url: `/gorod/2026/12/0${i + 1}/novost-${i + 1}/`,
  publishedAt: new Date('2026-12-06T07:00:00Z'),
  section: { id: 1, slug: 'gorod', title: 'Город' },
  cover: null,
  authors: [],
})) as unknown as ArticleCard[];
const digest = renderDigest({ listName: 'Утренний дайджест', cards, i18n: ru, site, now: new Date('2026-12-06T07:00:00Z') });
const send: SendInfo = { id: 42, kind: 'digest', listId: 7, listSlug: 'morning', listName: 'Утренний дайджест', subject: digest.subject, html: digest.html, text: digest.text };
const own: Personal = renderPersonal({ ads: [{ title: 'Квартиры в Академгородке «до 5 млн»', url: '/ads/kvartiry/?district=akademgorodok', count: 3 }], topics: [{ title: 'Где зимой ставить машину?', url: `${publicUrl}/forum/avto/12-gde-zimoy/`, count: 12 }], i18n: ru, site });

const built = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
async function reference(to: { subscriberId: number; email: string }, queueId: number, personal: Personal | undefined, track: boolean): Promise<ParsedMail> {
  const mail = personalMail(send, to, queueId, secret, publicUrl, from, personal, track);
  const info = (await built.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers, messageId: `<${mail.messageId}>` })) as unknown as { message: Buffer };
  return simpleParser(info.message);
}
const headerOf = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');

describe('a compiled mail', () => {
  for (const track of [false, true]) {
    test(`decodes to what nodemailer builds, with and without the personal part (tracking ${track ? 'on' : 'off'})`, async () => {
      const compiled = await compileSend(send, { secret, publicUrl, from, track });
      for (const [to, queueId, personal] of [
        [{ subscriberId: 11, email: 'reader11@example.ru' }, 1001, own],
        [{ subscriberId: 12, email: 'reader12@example.ru' }, 1002, undefined],
        [{ subscriberId: 13, email: 'почта@пример.рф' }, 1003, own],
      ] as const) {
        const mail = compiled.mailFor(to, queueId, personal);
        const raw = mail.raw.toString('utf8');
        // The body's lines within quoted-printable's 76 characters (a header line may run to 998: a long link has no space to fold at).
        const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
        for (const line of body.split('\r\n')) assert.ok(line.length <= 76, `a line of ${line.length}: ${line.slice(0, 90)}`);
        assert.doesNotMatch(raw, /(?<!\r)\n/, 'only CRLF line ends');
        const got = await simpleParser(mail.raw);
        const want = await reference(to, queueId, personal, track);
        assert.equal(got.text, want.text);
        assert.equal(got.html, want.html);
        assert.equal(got.subject, want.subject);
        assert.equal(got.messageId, want.messageId);
        assert.deepEqual(got.to, want.to);
        for (const h of ['from', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'feedback-id', 'precedence', 'auto-submitted']) assert.equal(headerOf(got, h), headerOf(want, h), h);
        assert.equal(mail.to, personalMail(send, to, queueId, secret, publicUrl, from, personal, track).to, 'the envelope');
        // The reader's own links are in it, and (tracking on) the counted ones are signed for this row.
        assert.ok(got.text!.includes(`/newsletter/unsubscribe/${to.subscriberId}.${send.listId}.`));
        if (personal) assert.ok(got.text!.includes('Квартиры в Академгородке «до 5 млн»'));
        assert.equal(got.html && /\/newsletter\/c\/1\d{3}\.42\./.test(got.html), track);
        assert.equal(got.html && got.html.includes(`/newsletter/o/${queueId}.42.`), track);
      }
    });
  }

  test('two mails of one send share nothing of their own', async () => {
    const compiled = await compileSend(send, { secret, publicUrl, from, track: true });
    const a = (await simpleParser(compiled.mailFor({ subscriberId: 1, email: 'a@example.ru' }, 1, own).raw)).html as string;
    const b = (await simpleParser(compiled.mailFor({ subscriberId: 2, email: 'b@example.ru' }, 2).raw)).html as string;
    assert.ok(a.includes('/newsletter/unsubscribe/1.7.') && !a.includes('/newsletter/unsubscribe/2.7.'));
    assert.ok(b.includes('/newsletter/unsubscribe/2.7.') && !b.includes('/newsletter/unsubscribe/1.7.'));
    assert.ok(!b.includes('Академгородке'), 'no personal part for the second');
  });
});
