// The newsletter over HTTP on a real portal, with a real SMTP server (smtp-server on
// 127.0.0.1) taking the mails, parsed with mailparser: double opt-in, the digest's
// parts, headers, links and images, one-click unsubscribe, bounces and complaints,
// the daily cap, a sender that dies mid-send, the consent ledger, and hostile input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Parser } from 'htmlparser2';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.js';
import { ManualClock } from '../../platform/clock.js';
import { createMailer, type Mail } from '../../platform/mail.js';
import { createSender } from './sending.js';
import { manageToken } from './tokens.js';
import type { NewsletterList } from './service.js';

const BOUNCE_TOKEN = 'bounce-token-for-tests-0123456789';
let portal: Portal;
let clock: ManualClock;
let smtp: SmtpSink;
let ip = 10;
let n = 0;

before(async () => {
  smtp = await startSmtpSink();
  clock = new ManualClock(new Date());
  portal = await startPortal({ clock, config: { trustProxy: '127.0.0.1', smtpUrl: smtp.url, newsletterBounceToken: BOUNCE_TOKEN } });
  // The tests drive the sender themselves (and start a second, dying one): the
  // periodic ticks stop, as two senders never run at once in a real portal.
  await portal.app.jobs.stop();
});
after(async () => {
  await portal.close();
  await smtp.close();
});

const nl = () => portal.app.newsletter;
const db = () => portal.database.db;
const fresh = () => portal.client({ 'x-forwarded-for': `198.51.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`, origin: portal.url });
const address = (tag = 'r') => `${tag}${++n}-${Date.now().toString(36)}@example.ru`;
const parse = (raw: Buffer) => simpleParser(raw);
const header = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name.toLowerCase())?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');

async function list(over: Partial<Parameters<Portal['app']['newsletter']['service']['createList']>[0]> = {}): Promise<NewsletterList> {
  return nl().service.createList({ slug: `t-${++n}-${Date.now().toString(36)}`, name: `Тестовая рассылка ${n}`, description: 'Для проверки', kind: 'daily', sendTime: '07:00', weekday: null, sectionIds: [], maxItems: 5, minNewItems: 0, active: true, position: 50, ...over });
}
/** Confirmed subscribers of a list, without the mails (the opt-in is tested on its own). */
async function subscribers(l: NewsletterList, count: number, tag = 's'): Promise<{ id: number; email: string }[]> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const email = address(tag);
    const id = await nl().service.ensureSubscriber(email);
    await nl().service.choose(id, [l.id], 'test-ip', 'test');
    out.push({ id, email });
  }
  return out;
}
async function confirmationLink(email: string): Promise<string> {
  await smtp.until(() => smtp.to(email).length > 0);
  const mail = await parse(smtp.to(email).at(-1)!.raw);
  const link = /https?:\/\/\S+\/newsletter\/confirm\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
  assert.ok(link, 'the confirmation mail has the link');
  return link.replace(/^https?:\/\/[^/]+/, '');
}
const subscribe = (c: ReturnType<typeof fresh>, email: string, listId: number | string, form = 'home') => c.request('POST', '/newsletter/subscribe', { form: { email, list: String(listId), form } });

describe('subscribing', () => {
  test('the home and article pages carry the subscribe form with the seeded lists', async () => {
    const c = fresh();
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /action="\/newsletter\/subscribe"/);
    assert.match(home.text, /Утренний дайджест/);
    assert.match(home.text, /Срочные новости/);
    const card = (await portal.app.content.latest({ limit: 1 }))[0]!;
    const article = await c.get(card.url);
    assert.match(article.text, /action="\/newsletter\/subscribe"/);
    const page = await c.get('/newsletter');
    assert.equal(page.status, 200);
    assert.match(page.text, /Главное за неделю/);
  });

  test('double opt-in: the confirmation mail arrives over SMTP, nothing is confirmed before the click, the link confirms once', async () => {
    const l = await list();
    const email = address('optin');
    const res = await subscribe(fresh(), email, l.id);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.text, /Проверьте почту/);
    const before = await db().selectFrom('newsletter_subscriptions as s').innerJoin('newsletter_subscribers as u', 'u.id', 's.subscriber_id').select('s.status').where('u.email', '=', email).executeTakeFirstOrThrow();
    assert.equal(before.status, 'pending');
    const link = await confirmationLink(email);
    const confirm = await fresh().get(link);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Подписка подтверждена/);
    const after = await db().selectFrom('newsletter_subscriptions as s').innerJoin('newsletter_subscribers as u', 'u.id', 's.subscriber_id').select('s.status').where('u.email', '=', email).executeTakeFirstOrThrow();
    assert.equal(after.status, 'confirmed');
    const twice = await fresh().get(link);
    assert.equal(twice.status, 410);
    assert.match(twice.text, /уже использована/);
    // The ledger: the request with its form, text version and keyed IP hash, then the confirmation.
    const ledger = await nl().service.exportFor(email);
    assert.deepEqual(ledger.consents.map((c) => c.action), ['requested', 'confirmed']);
    assert.equal(ledger.consents[0]!.form, 'home');
    assert.ok(ledger.consents[0]!.textVersion);
    assert.match(ledger.consents[0]!.ipHash ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.ok(!JSON.stringify(ledger).includes('198.51.'), 'no IP in the ledger');
  });

  test('an expired link, an unknown one and a made-up one are refused', async () => {
    const l = await list();
    const email = address('expire');
    assert.equal((await subscribe(fresh(), email, l.id)).status, 200);
    const link = await confirmationLink(email);
    clock.advance(49 * 3600_000);
    try {
      const late = await fresh().get(link);
      assert.equal(late.status, 410);
      assert.match(late.text, /истёк/);
    } finally {
      clock.advance(-49 * 3600_000);
    }
    assert.equal((await fresh().get('/newsletter/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
    assert.equal((await fresh().get('/newsletter/confirm/..%2F..')).status, 400);
  });

  test('bad input: invalid addresses, no list, an unknown list, no same-origin proof', async () => {
    const l = await list();
    const sentBefore = smtp.messages.length;
    for (const bad of ['', 'не-адрес', 'a@b', 'user@@example.ru', 'us er@example.ru', 'user@example..ru', `${'x'.repeat(250)}@example.ru`, '<script>@example.ru']) {
      const res = await subscribe(fresh(), bad, l.id);
      assert.equal(res.status, 400, `${bad}: ${res.status}`);
      assert.match(res.text, /Проверьте адрес почты/);
      assert.ok(!res.text.includes('<script>@'), 'the address is escaped');
    }
    const none = await fresh().request('POST', '/newsletter/subscribe', { form: { email: address() } });
    assert.equal(none.status, 400);
    const unknown = await subscribe(fresh(), address(), 999999);
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /Такой рассылки нет/);
    const inactive = await list({ active: false });
    assert.equal((await subscribe(fresh(), address(), inactive.id)).status, 404);
    const noOrigin = await portal.client({ 'x-forwarded-for': '203.0.113.77' }).request('POST', '/newsletter/subscribe', { form: { email: address(), list: String(l.id) } });
    assert.equal(noOrigin.status, 403);
    assert.equal(smtp.messages.length, sentBefore, 'nothing was sent');
  });

  test('1,000 subscribes of one address from many IPs: one confirmation mail; one IP is stopped after 10', async () => {
    const l = await list();
    const email = address('flood');
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => subscribe(fresh(), email, l.id)));
      statuses.push(...batch.map((r) => r.status));
    }
    assert.equal(statuses.filter((s) => s === 200).length, 1, 'one accepted');
    assert.equal(statuses.filter((s) => s === 429).length, 999, 'the rest refused clearly');
    await smtp.until(() => smtp.to(email).length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.to(email).length, 1, 'one confirmation mail');
    // One IP, many addresses: the per-IP limit.
    const c = portal.client({ 'x-forwarded-for': '203.0.113.200', origin: portal.url });
    const one = [];
    for (let i = 0; i < 12; i++) one.push((await subscribe(c, address('ip'), l.id)).status);
    assert.deepEqual(one.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.equal(one.at(-1), 429);
    // An hour later the same address may ask again.
    clock.advance(61 * 60_000);
    try {
      assert.equal((await subscribe(fresh(), email, l.id)).status, 200);
      await smtp.until(() => smtp.to(email).length >= 2);
    } finally {
      clock.advance(-61 * 60_000);
    }
  });

  test('the profile: a confirmed account switches lists on and off without a mail', async () => {
    const l = await list();
    const email = address('acc');
    await portal.app.accounts.createUser({ email, password: 'пароль-подписчика', displayName: 'Подписчик', role: 'reader', confirmed: true } as never);
    const c = fresh();
    await c.signIn(email, 'пароль-подписчика');
    const profile = await c.get('/account');
    assert.match(profile.text, /id="newsletter"/);
    const res = await c.submit('/newsletter/profile', { list: String(l.id) });
    assert.equal(res.status, 303);
    const sub = (await nl().service.subscriberByEmail(email))!;
    assert.equal((await nl().service.subscriptions(sub.id)).find((s) => s.list.id === l.id)?.status, 'confirmed');
    assert.equal(smtp.to(email).length, 0);
    assert.deepEqual((await nl().service.exportFor(email)).consents.map((x) => [x.action, x.form]), [['requested', 'profile'], ['confirmed', 'profile']]);
  });
});

describe('sending', () => {
  test('the digest arrives with both parts, the list headers, working links and images; one-click POST unsubscribes', async () => {
    const l = await list({ name: 'Утро проверки', maxItems: 6 });
    const subs = await subscribers(l, 12, 'digest');
    const send = await nl().issues.sendDigest(l, null);
    assert.ok(send && !send.skipped);
    assert.equal(send.recipients, 12);
    // The app's own job (every 5 s) may have sent some already: what counts is what arrived.
    await nl().sender.run();
    await smtp.until(() => subs.every((s) => smtp.to(s.email).length === 1));
    const raw = smtp.to(subs[0]!.email)[0]!.raw;
    const mail = await parse(raw);
    assert.ok(mail.text && mail.text.length > 50, 'a text part');
    assert.ok(typeof mail.html === 'string' && mail.html.includes('<table'), 'an HTML part');
    assert.match(String(mail.headers.get('content-type') && (mail.headers.get('content-type') as { value: string }).value), /multipart\/alternative/);
    assert.match(header(mail, 'List-Id') ?? '', /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <t-\d+-[a-z0-9]+\.127\.0\.0\.1>$/);
    const phrase = /^=\?UTF-8\?B\?([^?]+)\?=/.exec(header(mail, 'List-Id')!)![1]!;
    assert.equal(Buffer.from(phrase, 'base64').toString('utf8'), 'Утро проверки');
    const unsub = header(mail, 'List-Unsubscribe') ?? '';
    assert.match(unsub, /<mailto:[^>]+\?subject=unsubscribe%20[^>]+>, <http:\/\/127\.0\.0\.1:\d+\/newsletter\/unsubscribe\/[^>]+>/);
    assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.match(header(mail, 'Feedback-ID') ?? '', new RegExp(`^${send.id}:${l.id}:newsletter:`));
    assert.match(mail.messageId ?? '', /^<nl-\d+\.\d+@127\.0\.0\.1>$/);
    // Every link and image of the HTML answers.
    const hrefs = new Set<string>();
    const srcs = new Set<string>();
    const parser = new Parser({ onopentag(name, attrs) {
      if (name === 'a' && attrs.href) hrefs.add(attrs.href);
      if (name === 'img' && attrs.src) srcs.add(attrs.src);
    } });
    parser.write(mail.html as string);
    parser.end();
    assert.ok(hrefs.size >= 4);
    for (const href of [...hrefs].filter((h) => !h.includes('/newsletter/unsubscribe/'))) {
      assert.ok(href.startsWith(portal.url), `absolute link: ${href}`);
      const r = await fresh().get(href.slice(portal.url.length));
      assert.equal(r.status, 200, href);
    }
    for (const src of srcs) {
      assert.ok(src.startsWith(portal.url), src);
      const r = await fetch(src);
      assert.equal(r.status, 200, src);
      assert.match(r.headers.get('content-type') ?? '', /^image\//);
    }
    // The text part has the same articles and the personal links.
    assert.match(mail.text!, /\/newsletter\/unsubscribe\/\d+\.\d+\./);
    // One-click: a POST with the right body, no cookies, no origin, no CSRF token.
    const url = /<(http[^>]+)>/.exec(unsub)![1]!;
    const path = url.slice(portal.url.length);
    const anon = portal.client({ 'x-forwarded-for': '203.0.113.9' });
    assert.equal((await anon.request('POST', path, { form: { 'List-Unsubscribe': 'Nope' } })).status, 400);
    assert.equal((await anon.request('POST', path, { raw: '' , headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 400);
    assert.equal((await anon.request('POST', path.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')), { form: { 'List-Unsubscribe': 'One-Click' } })).status, 403, 'a forged token');
    assert.equal((await anon.request('POST', path.replace(/\/\d+\./, '/999999.'), { form: { 'List-Unsubscribe': 'One-Click' } })).status, 403, 'another subscriber with the same signature');
    const one = await anon.request('POST', path, { form: { 'List-Unsubscribe': 'One-Click' } });
    assert.equal(one.status, 200);
    assert.deepEqual(one.json(), { unsubscribed: true });
    assert.equal((await nl().service.subscriptions(subs[0]!.id)).find((s) => s.list.id === l.id)?.status, 'unsubscribed');
    // Multipart, as RFC 8058 prefers.
    const second = await parse(smtp.to(subs[1]!.email)[0]!.raw);
    const url2 = /<(http[^>]+)>/.exec(header(second, 'List-Unsubscribe')!)![1]!;
    const fd = new FormData();
    fd.set('List-Unsubscribe', 'One-Click');
    const multi = await fetch(url2, { method: 'POST', body: fd });
    assert.equal(multi.status, 200);
    assert.equal((await nl().service.subscriptions(subs[1]!.id)).find((s) => s.list.id === l.id)?.status, 'unsubscribed');
    // The body's link: the result, and the other lists to choose.
    const third = await parse(smtp.to(subs[2]!.email)[0]!.raw);
    const bodyLink = /\/newsletter\/unsubscribe\/[0-9.A-Za-z_-]+/.exec(third.text!)![0];
    const page = await fresh().get(bodyLink);
    assert.equal(page.status, 200);
    assert.match(page.text, /больше не будет приходить/);
    assert.match(page.text, /Срочные новости/);
    assert.equal((await fresh().get(bodyLink)).status, 200, 'a second click says it is done already');
    assert.equal((await fresh().get('/newsletter/unsubscribe/1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 403);
    // The next issue goes to the others only; the same issue is not made twice.
    assert.equal(await nl().issues.sendDigest(l, null), null);
    const ledger = await nl().service.exportFor(subs[0]!.email);
    assert.deepEqual(ledger.consents.map((c) => [c.action, c.form]).at(-1), ['unsubscribed', 'one-click']);
  });

  test('a reader with an account gets the forum topics they follow in the same digest; a reader without one does not', async () => {
    const l = await list({ name: 'Личное проверки' });
    const email = address('forum');
    const user = await portal.app.accounts.createUser({ email, password: 'пароль-читателя-форума', displayName: 'Читатель форума', role: 'reader' });
    const own = await nl().service.ensureSubscriber(email);
    await nl().service.choose(own, [l.id], 'test-ip', 'test');
    const [stranger] = await subscribers(l, 1, 'plain');
    // A demo topic the reader follows, nothing of it read yet.
    const tree = await portal.app.forums.boards.tree();
    const boards = tree.flatMap((c) => [c, ...c.children]);
    let topic: { id: number; title: string; postCount: number } | undefined;
    for (const b of boards) topic ??= (await portal.app.forums.reading.boardTopics(b.id, 1)).topics.find((t) => t.status === 'visible' && t.postCount > 0);
    assert.ok(topic, 'the demo forum has a topic');
    await portal.app.forums.reading.setLevel(user.id, topic.id, 3);
    const send = await nl().issues.sendDigest(l, null);
    assert.ok(send && !send.skipped);
    await nl().sender.run();
    await smtp.until(() => smtp.to(email).length === 1 && smtp.to(stranger!.email).length === 1);
    const mine = await parse(smtp.to(email)[0]!.raw);
    assert.match(mine.html as string, /На форуме, в ваших темах/);
    assert.ok((mine.html as string).includes(topic.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;')) || (mine.html as string).includes(topic.title), 'the topic is named');
    assert.match(mine.text!, /На форуме, в ваших темах/);
    assert.match(mine.text!, /\d+ (новое сообщение|новых сообщения|новых сообщений)/);
    const link = /href="(http[^"]+\/forum\/[^"]+)"/.exec(mine.html as string)![1]!;
    assert.equal((await fresh().get(link.slice(portal.url.length))).status, 200, link);
    const theirs = await parse(smtp.to(stranger!.email)[0]!.raw);
    assert.doesNotMatch(theirs.html as string, /На форуме|%%PERSONAL/);
    assert.doesNotMatch(theirs.text!, /На форуме|%%PERSONAL/);
  });

  test('a reader with a saved search gets its new ads in the digest and no separate alert mail; a reader without one gets none of it', async () => {
    const l = await list({ name: 'Объявления проверки' });
    const account = async (tag: string) => {
      const email = address(tag);
      const user = await portal.app.accounts.createUser({ email, password: 'пароль-читателя-объявлений', displayName: `Читатель ${tag}`, role: 'reader' });
      await nl().service.choose(await nl().service.ensureSubscriber(email), [l.id], 'test-ip', 'test');
      return { email, id: user.id };
    };
    const searcher = await account('ads');
    const other = await account('noads');
    clock.advance(60_000);
    await portal.app.classifieds.readers.saveSearch(searcher.id, '/ads/cars/', 'Машины до миллиона');
    clock.advance(60_000);
    // A seller posts a car: the alert job tells the searcher on the site, the mail waits a day.
    const seller = portal.client({ 'x-forwarded-for': '198.51.99.7', origin: portal.url });
    const sellerEmail = address('seller');
    await portal.app.accounts.createUser({ email: sellerEmail, password: 'пароль-продавца-машин', displayName: 'Продавец', role: 'reader' });
    await seller.signIn(sellerEmail, 'пароль-продавца-машин');
    const cars = (await portal.app.classifieds.catalogue()).bySlug.get('cars')!;
    const posted = await seller.api('POST', '/api/ads', { categoryId: cars.id, title: 'Продаю Тойоту для проверки рассылки', description: 'Хорошее состояние, один владелец, обслуживание у дилера, зимняя резина.', price: 900_000, phone: '8 912 345-67-89', fields: { make: 'toyota', model: 'Corolla', year: 2015, mileage: 120_000, transmission: 'automatic' } });
    assert.equal(posted.status, 201, posted.text);
    assert.equal(posted.json().status, 'active');
    assert.equal(await portal.app.jobs.run('classifieds.alerts'), true);
    assert.equal(await portal.app.notifications.unreadCount(searcher.id), 1, 'the alert is on the site');
    const send = await nl().issues.sendDigest(l, null);
    assert.ok(send && !send.skipped);
    await nl().sender.run();
    await smtp.until(() => smtp.to(searcher.email).length === 1 && smtp.to(other.email).length === 1);
    const mine = await parse(smtp.to(searcher.email)[0]!.raw);
    assert.match(mine.html as string, /Объявления по вашим поискам/);
    assert.match(mine.html as string, /Машины до миллиона/);
    assert.match(mine.text!, /Машины до миллиона \(1 новое объявление\): http:\/\/127\.0\.0\.1:\d+\/ads\/cars\//);
    const link = /href="(http[^"]+\/ads\/cars\/)"/.exec(mine.html as string)![1]!;
    assert.equal((await fresh().get(link.slice(portal.url.length))).status, 200, link);
    const theirs = await parse(smtp.to(other.email)[0]!.raw);
    assert.doesNotMatch(theirs.html as string, /Объявления по вашим поискам|%%PERSONAL/);
    assert.doesNotMatch(theirs.text!, /Объявления по вашим поискам|%%PERSONAL/);
    // A day later the notifications' mail job runs: the digest carried the alert, so no mail of its own.
    clock.advance(25 * 3600_000);
    await portal.app.notifications.sendDueMail();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.to(searcher.email).length, 1, 'no separate alert mail');
    assert.equal(await portal.app.notifications.unreadCount(searcher.id), 1, 'still unread on the site');
    // Nor is the same ad told again by the next run of the alert job.
    await portal.app.jobs.run('classifieds.alerts');
    assert.equal(await portal.app.notifications.unreadCount(searcher.id), 1);
  });

  test('a day with fewer new items than the minimum sends nothing', async () => {
    const l = await list({ minNewItems: 100 });
    await subscribers(l, 2, 'quiet');
    const before = smtp.messages.length;
    const send = await nl().issues.sendDigest(l, null);
    assert.ok(send?.skipped);
    assert.equal(send.recipients, 0);
    await nl().sender.run();
    assert.equal(smtp.messages.length, before);
    const row = await db().selectFrom('newsletter_sends').select('status').where('id', '=', send.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'skipped');
  });

  test('a hard bounce fed back suppresses the next send; a complaint too; soft bounces are counted', async () => {
    const l = await list();
    const subs = await subscribers(l, 4, 'bounce');
    const send = await nl().issues.sendDigest(l, null);
    await nl().sender.run();
    await smtp.until(() => subs.every((s) => smtp.to(s.email).length === 1));
    const original = (email: string) => smtp.to(email)[0]!.raw.toString('utf8');
    const dsn = (email: string, status: string, action: string) =>
      [
        'From: MAILER-DAEMON@mx.example.ru',
        `To: noreply@127.0.0.1`,
        'Subject: Undelivered Mail Returned to Sender',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The mail could not be delivered.',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.ru',
        '',
        `Final-Recipient: rfc822; ${email}`,
        `Action: ${action}`,
        `Status: ${status}`,
        'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
        '',
        '--b1',
        'Content-Type: text/rfc822-headers',
        '',
        original(email).split('\r\n\r\n')[0],
        '',
        '--b1--',
        '',
      ].join('\r\n');
    const post = (body: string, token = BOUNCE_TOKEN) => fetch(`${portal.url}/api/newsletter/reports`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` }, body });
    assert.equal((await post(dsn(subs[0]!.email, '5.1.1', 'failed'), 'wrong-token-wrong-token')).status, 403);
    const hard = await post(dsn(subs[0]!.email, '5.1.1', 'failed'));
    assert.equal(hard.status, 200);
    assert.deepEqual(await hard.json(), { kind: 'hard_bounce', suppressed: true });
    const soft = await post(dsn(subs[1]!.email, '4.2.2', 'delayed'));
    assert.deepEqual(await soft.json(), { kind: 'soft_bounce', suppressed: false });
    const arf = [
      'From: fbl@mail.example.ru',
      'Subject: Complaint',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain',
      '',
      'A complaint about a message.',
      '--b2',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'User-Agent: FBL/1.0',
      'Version: 1',
      '',
      '--b2',
      'Content-Type: message/rfc822',
      '',
      original(subs[2]!.email),
      '--b2--',
      '',
    ].join('\r\n');
    const complaint = await post(arf);
    assert.deepEqual(await complaint.json(), { kind: 'complaint', suppressed: true });
    assert.equal((await post('just some text')).status, 422);
    assert.equal((await post('')).status, 422);
    // The next send skips the suppressed addresses before queueing.
    const b = await list({ kind: 'breaking' });
    for (const s of subs) await nl().service.choose(s.id, [l.id, b.id], null, 'test');
    const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
    const next = await nl().issues.sendBreaking(b, article.id, null);
    assert.equal(next.recipients, 2);
    await nl().sender.run();
    await smtp.until(() => smtp.to(subs[1]!.email).length === 2 && smtp.to(subs[3]!.email).length === 2);
    assert.equal(smtp.to(subs[0]!.email).length, 1);
    assert.equal(smtp.to(subs[2]!.email).length, 1);
    const stats = (await nl().stats.sends(50)).find((s) => s.id === send!.id)!;
    assert.deepEqual([stats.hardBounces, stats.softBounces, stats.complaints], [1, 1, 1]);
    // The breaking article goes once per list.
    const again = await portal.client().get('/'); // keep the portal busy a moment
    assert.equal(again.status, 200);
    await assert.rejects(nl().issues.sendBreaking(b, article.id, null), /already_sent/);
  });

  test('the daily cap per address holds across lists', async () => {
    const email = address('cap');
    const id = await nl().service.ensureSubscriber(email);
    const lists = [];
    for (let i = 0; i < 7; i++) lists.push(await list({ kind: 'breaking' }));
    await nl().service.choose(id, lists.map((l) => l.id), null, 'test');
    const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
    for (const l of lists) await nl().issues.sendBreaking(l, article.id, null);
    await nl().sender.run();
    await smtp.until(() => smtp.to(email).length >= portal.app.config.newsletterDailyCap);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.to(email).length, portal.app.config.newsletterDailyCap);
    const capped = await db().selectFrom('newsletter_queue').select('id').where('subscriber_id', '=', id).where('status', '=', 'capped').execute();
    assert.equal(capped.length, 7 - portal.app.config.newsletterDailyCap);
  });

  test('few statements per mail: a chunk is marked sent with the next one handing, and what the digests carried is told once a batch', async () => {
    const l = await list();
    const subs = await subscribers(l, 30, 'batch');
    const send = (await nl().issues.sendDigest(l, null))!;
    assert.equal(send.recipients, 30);
    // The sender's queue updates, seen through its `set` calls (the claims, the marks).
    const sets: unknown[] = [];
    const own = <T extends object>(target: T, k: string | symbol) => {
      const v = Reflect.get(target, k) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    };
    const watched = new Proxy(db(), {
      get: (t, k) =>
        k === 'updateTable'
          ? (...a: Parameters<typeof t.updateTable>) => {
              const q = t.updateTable(...a);
              return new Proxy(q, { get: (_, m) => (m === 'set' ? (v: { status?: unknown }) => (sets.push(v.status), (own(q, 'set') as (x: unknown) => unknown)(v)) : own(q, m)) });
            }
          : own(t, k),
    });
    const real = createMailer({ smtpUrl: smtp.url, outboxDir: '/nonexistent', from: portal.app.mailer.from, log: portal.app.log });
    let mails = 0;
    const counting = { from: real.from, close: () => real.close(), send: async (mail: Mail) => (mails++, real.send(mail)) };
    const told: number[][] = [];
    const sender = createSender({
      db: watched, clock, mailer: counting, secret: portal.app.secret, publicUrl: () => portal.url, dailyCap: 5, log: portal.app.log, batch: 9, concurrency: 3,
      // Every third reader has a part that carries an alert.
      personalFor: async (readers) => new Map(readers.filter((_, i) => i % 3 === 0).map((r, i) => [r.email, { html: '', text: '', carries: { userId: i + 1, ads: [], at: clock.now() } }])),
      carried: async (parts) => void told.push(parts.map((p) => p.carries!.userId)),
    });
    await sender.run();
    real.close();
    const claims = sets.filter((s) => s === 'claimed').length;
    const marks = sets.filter((s) => s === 'handing' || s === 'sent' || typeof s === 'object').length;
    assert.ok(mails > 0, 'the test’s sender sent');
    // 9 a batch, 3 a chunk: one mark per chunk and one at each batch's end (it was two
    // per chunk: 20 for 30 mails). The app's own send job may take some rows meanwhile
    // and leave a batch short, so a batch may end in a short chunk: up to two more
    // marks a claim, still under the old count.
    assert.ok(marks <= Math.ceil(mails / 3) + 2 * claims, `${marks} marks for ${mails} mails in ${claims} claims`);
    assert.ok(told.length <= claims && told.flat().length > 0, `carried told ${told.length} times in ${claims} claims`);
    const rows = await db().selectFrom('newsletter_queue').select(['subscriber_id', 'status']).where('send_id', '=', send.id).execute();
    assert.deepEqual(rows.map((r) => r.status), rows.map(() => 'sent'));
    for (const s of subs) assert.equal(smtp.to(s.email).length, 1, `${s.email} once`);
  });

  test('a sender that dies between claiming and sending: the restarted one sends each remaining mail once, none twice', async () => {
    const l = await list();
    const subs = await subscribers(l, 40, 'crash');
    const send = (await nl().issues.sendDigest(l, null))!;
    assert.equal(send.recipients, 40);
    // The dying sender: its own SMTP pool; after 12 mails it hangs for good — the
    // last one delivered but never recorded, as when the process is killed right
    // after the server took it. Its run is abandoned, never awaited.
    const real = createMailer({ smtpUrl: smtp.url, outboxDir: '/nonexistent', from: portal.app.mailer.from, log: portal.app.log });
    let calls = 0;
    const dying = { from: real.from, close: () => real.close(), send: async (mail: Mail) => {
      calls++;
      if (calls <= 12) return real.send(mail);
      if (calls === 13) await real.send(mail);
      return new Promise<void>(() => {});
    } };
    const crashed = createSender({ db: db(), clock, mailer: dying, secret: portal.app.secret, publicUrl: () => portal.url, dailyCap: 5, log: portal.app.log, batch: 20, concurrency: 5 });
    void crashed.run();
    const to = (s: { email: string }) => smtp.to(s.email).length;
    await smtp.until(() => subs.reduce((a, s) => a + to(s), 0) >= 13);
    const states = await db().selectFrom('newsletter_queue').select(['status']).where('send_id', '=', send.id).execute();
    // (The app's own periodic job may already have restarted the work: then they are uncertain and sent.)
    assert.ok(states.some((s) => s.status === 'handing' || s.status === 'uncertain'), 'mails on their way');
    assert.ok(states.some((s) => s.status !== 'sent'), 'mails left');
    // The restart: the app's own sender.
    await nl().sender.run();
    await new Promise((r) => setTimeout(r, 300));
    const rows = await db().selectFrom('newsletter_queue').select(['subscriber_id', 'status']).where('send_id', '=', send.id).execute();
    const status = new Map(rows.map((r) => [r.subscriber_id, r.status]));
    for (const s of subs) {
      assert.ok(to(s) <= 1, `${s.email} got ${to(s)} mails`);
      if (status.get(s.id) === 'sent') assert.equal(to(s), 1, `${s.email} sent once`);
    }
    const uncertain = rows.filter((r) => r.status === 'uncertain').length;
    assert.ok(uncertain >= 1 && uncertain <= 5, `uncertain: ${uncertain}`);
    assert.equal(rows.filter((r) => r.status === 'sent').length + uncertain, 40);
    // Of the in-flight (uncertain) ones, those the dying sender delivered got it once, the others not at all.
    const delivered = subs.reduce((a, s) => a + to(s), 0);
    assert.ok(delivered >= 40 - uncertain && delivered <= 40, `delivered: ${delivered}`);
    real.close();
  });
});

describe('the ledger and the back office', () => {
  test('export per address, and erasure keeping only the withdrawal', async () => {
    const l = await list();
    const email = address('erase');
    const id = await nl().service.ensureSubscriber(email);
    await nl().service.choose(id, [l.id], 'iphash', 'manage');
    await nl().service.unsubscribe(id, l.id, 'one-click', null);
    assert.equal((await nl().service.exportFor(email)).consents.length, 3);
    assert.equal(await nl().service.erase(email, 'admin'), true);
    const after = await nl().service.exportFor(email);
    assert.equal(after.subscriber, null);
    assert.deepEqual(after.consents.map((c) => c.action), ['erased']);
    const left = await db().selectFrom('newsletter_consents').selectAll().where('email_hash', '=', nl().service.hashOf(email)).execute();
    assert.equal(left.length, 1);
    assert.equal(left[0]!.email, null);
  });

  test('an editor previews, test-sends, sends a breaking article and reads the statistics', async () => {
    const email = `ed-${Date.now()}@example.ru`;
    await portal.app.accounts.createUser({ email, password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
    const c = fresh();
    await c.signIn(email, 'пароль-редактора');
    const admin = await c.get('/admin/newsletter');
    assert.equal(admin.status, 200);
    assert.match(admin.text, /Утренний дайджест/);
    const created = await c.submit('/admin/newsletter/lists', { name: 'Вечерний выпуск', slug: `evening-${n++}`, kind: 'daily', sendTime: '19:00', maxItems: '5', minNewItems: '0', active: '1' });
    assert.equal(created.status, 303);
    const id = Number(/lists\/(\d+)/.exec(created.location!)![1]);
    const bad = await c.submit('/admin/newsletter/lists', { name: 'x', slug: 'Плохой адрес', kind: 'daily', sendTime: '19:00', maxItems: '5', minNewItems: '0' });
    assert.equal(bad.status, 400);
    const preview = await c.get(`/admin/newsletter/lists/${id}/preview`);
    assert.equal(preview.status, 200);
    assert.match(preview.text, /Вечерний выпуск/);
    assert.match(preview.headers.get('content-security-policy') ?? '', /style-src 'unsafe-inline'/);
    const text = await c.get(`/admin/newsletter/lists/${id}/preview?part=text`);
    assert.match(text.headers.get('content-type') ?? '', /text\/plain/);
    const tested = await c.submit(`/admin/newsletter/lists/${id}/test`, { email: 'tester@example.ru' });
    assert.equal(tested.status, 303);
    await smtp.until(() => smtp.to('tester@example.ru').length === 1);
    const testMail = await parse(smtp.to('tester@example.ru')[0]!.raw);
    assert.match(testMail.subject ?? '', /^\[TEST\]/);
    const breaking = (await nl().service.lists()).find((l) => l.kind === 'breaking' && l.name === 'Срочные новости')!;
    const subs = await subscribers(breaking, 3, 'brk');
    const article = (await portal.app.content.latest({ limit: 1 }))[0]!;
    const sent = await c.submit('/admin/newsletter/breaking', { listId: String(breaking.id), articleId: String(article.id) });
    assert.equal(sent.status, 303);
    await nl().sender.run();
    await smtp.until(() => subs.every((s) => smtp.to(s.email).length === 1));
    const mail = await parse(smtp.to(subs[0]!.email)[0]!.raw);
    assert.match(mail.subject ?? '', /^Срочно: /);
    assert.equal((await c.submit('/admin/newsletter/breaking', { listId: String(breaking.id), articleId: String(article.id) })).status, 409);
    const stats = await c.get('/admin/newsletter/stats');
    assert.equal(stats.status, 200);
    assert.match(stats.text, /Срочные новости/);
    // Days as a Russian reader writes them, not as the database does.
    assert.match(stats.text, /<td>\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4}/);
    assert.doesNotMatch(stats.text, /<td>\d{4}-\d{2}-\d{2}<\/td>/);
    const lookup = await c.get(`/admin/newsletter/subscribers?email=${encodeURIComponent(subs[0]!.email)}`);
    assert.match(lookup.text, /Журнал согласий/);
    const exported = await c.get(`/admin/newsletter/subscribers/export?email=${encodeURIComponent(subs[0]!.email)}`);
    assert.equal(exported.json().email, subs[0]!.email);
    // A reader may not.
    const reader = fresh();
    const re = address('rd');
    await portal.app.accounts.createUser({ email: re, password: 'пароль-читателя', displayName: 'Читатель', role: 'reader' });
    await reader.signIn(re, 'пароль-читателя');
    assert.equal((await reader.get('/admin/newsletter')).status, 403);
  });
});

describe('the daily cap, addresses, tracking', () => {
  async function editor() {
    const email = address('editor');
    await portal.app.accounts.createUser({ email, password: 'пароль-редактора', displayName: 'Редактор', role: 'editor' });
    const c = fresh();
    await c.signIn(email, 'пароль-редактора');
    return c;
  }

  test('confirmation and test mails count in the daily cap per address', async () => {
    const l = await list({ name: 'Лимит проверки' });
    const email = address('capped');
    assert.equal((await subscribe(fresh(), email, l.id)).status, 200);
    assert.equal((await fresh().get(await confirmationLink(email))).status, 200);
    const c = await editor();
    const cap = portal.app.config.newsletterDailyCap;
    for (let i = 1; i < cap; i++) assert.equal((await c.submit(`/admin/newsletter/lists/${l.id}/test`, { email })).status, 303);
    await smtp.until(() => smtp.to(email).length === cap);
    const over = await c.submit(`/admin/newsletter/lists/${l.id}/test`, { email });
    assert.equal(over.status, 429);
    assert.match(over.text, /сколько можно за сутки/);
    // The digest of the day is over the cap too: recorded, not sent.
    const send = (await nl().issues.sendDigest(l, null))!;
    await nl().sender.run();
    const sub = (await nl().service.subscriberByEmail(email))!;
    const row = await db().selectFrom('newsletter_queue').select('status').where('send_id', '=', send.id).where('subscriber_id', '=', sub.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'capped');
    assert.equal(smtp.to(email).length, cap);
  });

  test('an address with a Cyrillic domain is accepted, stored once in Unicode, and mailed', async () => {
    const l = await list({ name: 'Кириллица проверки' });
    const local = `почта${++n}`;
    const res = await subscribe(fresh(), `${local.toUpperCase()}@Пример.РФ`, l.id);
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, new RegExp(`${local}@пример\\.рф`));
    // The sink offers SMTPUTF8, so nodemailer gives it the address as written (a server without it gets the punycode domain).
    await smtp.until(() => smtp.messages.some((m) => m.rcpt.includes(`${local}@пример.рф`) || m.rcpt.includes(`${local}@xn--e1afmkfd.xn--p1ai`)));
    // The same address in punycode is the same subscriber (and its hour is not over).
    assert.equal((await subscribe(fresh(), `${local}@xn--e1afmkfd.xn--p1ai`, l.id)).status, 429);
    const rows = await db().selectFrom('newsletter_subscribers').select('email').where('email', 'like', `${local}@%`).execute();
    assert.deepEqual(rows.map((r) => r.email), [`${local}@пример.рф`]);
    const lookup = await (await editor()).get(`/admin/newsletter/subscribers?email=${encodeURIComponent(`${local}@xn--e1afmkfd.xn--p1ai`)}`);
    assert.match(lookup.text, new RegExp(`${local}@пример\\.рф`));
    for (const bad of ['почта@пример', 'почта@@пример.рф', 'поч та@пример.рф', 'почта@-пример.рф']) assert.equal((await subscribe(fresh(), bad, l.id)).status, 400, bad);
  });

  test('tracking is off by default: no image, plain links; on: an image and signed links counted per send, no open redirect', async () => {
    const c = await editor();
    const off = await list({ name: 'Без счётчиков' });
    const [plain] = await subscribers(off, 1, 'untracked');
    await nl().issues.sendDigest(off, null);
    await nl().sender.run();
    await smtp.until(() => smtp.to(plain!.email).length === 1);
    const offMail = await parse(smtp.to(plain!.email)[0]!.raw);
    assert.doesNotMatch(offMail.html as string, /\/newsletter\/(o|c)\//);
    assert.doesNotMatch((await c.get('/admin/newsletter/stats')).text, /<th>Открытия<\/th>/);
    // The back office turns it on.
    const settings = await c.get('/admin/newsletter/settings');
    assert.equal(settings.status, 200);
    assert.match(settings.text, /Считать открытия и переходы/);
    assert.equal((await c.submit('/admin/newsletter/settings', { tracking: '1', recheckDays: '14' })).status, 303);
    try {
      const on = await list({ name: 'Со счётчиками' });
      const readers = await subscribers(on, 2, 'tracked');
      const send = (await nl().issues.sendDigest(on, null))!;
      await nl().sender.run();
      await smtp.until(() => readers.every((r) => smtp.to(r.email).length === 1));
      const html = (await parse(smtp.to(readers[0]!.email)[0]!.raw)).html as string;
      const pixel = /src="(http[^"]+\/newsletter\/o\/[^"]+\.gif)"/.exec(html)![1]!;
      const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      const tracked = links.filter((h) => h.includes('/newsletter/c/'));
      assert.ok(tracked.length >= 2, 'the articles go through the portal');
      assert.ok(links.some((h) => h.includes('/newsletter/unsubscribe/')), 'unsubscribe stays direct');
      const img = await fetch(pixel);
      assert.equal(img.status, 200);
      assert.equal(img.headers.get('content-type'), 'image/gif');
      await fetch(pixel);
      const go = await fresh().get(tracked[0]!.slice(portal.url.length));
      assert.equal(go.status, 302);
      const target = decodeURIComponent(/[?&]u=([^&]+)/.exec(tracked[0]!)![1]!);
      assert.equal(go.location, target);
      assert.ok(target.startsWith(portal.url));
      // Another target under the same token, or an altered token: refused.
      const evil = tracked[0]!.replace(/u=[^&]+/, `u=${encodeURIComponent('https://evil.example/')}`);
      assert.equal((await fresh().get(evil.slice(portal.url.length))).status, 403);
      assert.equal((await fresh().get(pixel.slice(portal.url.length).replace(/\.(\w)/, '.9$1'))).status, 403);
      const s = (await nl().stats.sends(50)).find((x) => x.id === send.id)!;
      assert.equal(s.opens, 2, 'two opens of one reader count twice: per send');
      assert.equal(s.clicks, 1);
      const events = await db().selectFrom('newsletter_events').select('subscriber_id').where('send_id', '=', send.id).execute();
      assert.ok(events.every((e) => e.subscriber_id === null), 'no reader named');
      const stats = await c.get('/admin/newsletter/stats');
      assert.match(stats.text, /<th>Открытия<\/th>/);
      assert.match(stats.text, /<th>Переходы<\/th>/);
    } finally {
      assert.equal((await c.submit('/admin/newsletter/settings', { recheckDays: '14' })).status, 303);
    }
    // Off again: links made while it was on still lead on, nothing is counted.
    assert.equal((await nl().stats.sends(50)).find((x) => x.listName === 'Без счётчиков')!.opens, 0);
  });
});

describe('180 days without activity', () => {
  test('one «Оставаться подписанным?» mail, then a pause without a click; «Да, оставить» keeps or resumes', async () => {
    const l = await list({ name: 'Долгая проверка' });
    const [idle, visitor, answerer] = await subscribers(l, 3, 'idle');
    clock.advance(181 * 86_400_000);
    // A visit through a mail's link keeps an address active.
    assert.equal((await fresh().get(`/newsletter/manage/${manageToken(portal.app.secret, visitor!.id)}`)).status, 200);
    assert.equal(await portal.app.jobs.run('newsletter.inactive'), true);
    await smtp.until(() => smtp.to(idle!.email).length === 1 && smtp.to(answerer!.email).length === 1);
    assert.equal(smtp.to(visitor!.email).length, 0, 'the visitor is not asked');
    const asked = await parse(smtp.to(idle!.email)[0]!.raw);
    assert.match(asked.subject ?? '', /Оставаться подписанным/);
    assert.match(asked.html as string, /Да, оставить/);
    assert.match(asked.text!, /Долгая проверка/);
    const stay = /https?:\/\/\S+\/newsletter\/stay\/[0-9A-Za-z._-]+/.exec(asked.text!)![0].slice(portal.url.length);
    // Asked once only.
    await portal.app.jobs.run('newsletter.inactive');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.to(idle!.email).length, 1);
    // The answerer clicks in time.
    const theirs = await parse(smtp.to(answerer!.email)[0]!.raw);
    const theirStay = /https?:\/\/\S+\/newsletter\/stay\/[0-9A-Za-z._-]+/.exec(theirs.text!)![0].slice(portal.url.length);
    clock.advance(3 * 86_400_000);
    const kept = await fresh().get(theirStay);
    assert.equal(kept.status, 200);
    assert.match(kept.text, /Рассылки продолжат приходить/);
    assert.equal((await fresh().get(theirStay.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))).status, 403);
    // The setting's days (14) pass without the idle one's click: paused, not deleted.
    clock.advance(12 * 86_400_000);
    await portal.app.jobs.run('newsletter.inactive');
    const status = async (id: number) => (await nl().service.subscriptions(id)).find((s) => s.list.id === l.id)?.status;
    assert.equal(await status(idle!.id), 'paused');
    assert.equal(await status(answerer!.id), 'confirmed');
    assert.equal(await status(visitor!.id), 'confirmed');
    const ledger = await nl().service.exportFor(idle!.email);
    assert.deepEqual(ledger.consents.map((c) => [c.action, c.form]).at(-1), ['paused', 'inactive']);
    const send = (await nl().issues.sendDigest(l, null))!;
    assert.equal(send.recipients, 2, 'a paused address gets no digest');
    // The same link resumes.
    const back = await fresh().get(stay);
    assert.equal(back.status, 200);
    assert.match(back.text, /Долгая проверка/);
    assert.equal(await status(idle!.id), 'confirmed');
    assert.deepEqual((await nl().service.exportFor(idle!.email)).consents.map((c) => [c.action, c.form]).at(-1), ['resumed', 'stay-link']);
  });
});
