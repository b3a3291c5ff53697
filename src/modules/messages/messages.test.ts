// Messages on a real portal: starting and reusing a conversation, a storefront's
// member answering (and named), who may not see a thread, unread counts and read
// marks, blocks, reports, the «Вы уверены?» flow, unmatch and a party gone, the
// flood limits, bad input, the account's export and deletion, and the event stream
// (one instance; two sharing Redis when the run has DATABASE_URL and REDIS_URL).
import http from 'node:http';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal, type Portal } from '../../../test/support/portal.js';
import type { Client } from '../../../test/support/client.js';
import { DomainError } from '../../platform/errors.js';
import type { DomainEvents } from '../../platform/events.js';
import { DEFAULT_SETTINGS } from '../moderation/index.js';
import { MESSAGE_SETTINGS } from './settings.js';
import { seedConversations } from '../../../demo/messages.js';

// A test-only policy on a kind nobody else writes messages about, so the test does
// not depend on classifieds or dating being installed: subjects 1–999 exist, 13 is
// closed to messages by its owner.
const KIND = 'forum_topic';
const SHORT_KIND = 'live_entry';

let portal: Portal;
let ip = 1;
interface Account {
  id: number;
  name: string;
  client: Client;
  email: string;
}

async function account(name: string): Promise<Account> {
  const email = `reader-${Math.random().toString(36).slice(2, 10)}@example.ru`;
  const user = await portal.app.accounts.createUser({ email, password: 'пароль-читателя-1', displayName: name, role: 'reader' });
  const client = portal.client({ 'x-forwarded-for': `10.50.${Math.floor(ip / 250)}.${ip++ % 250}` });
  await client.signIn(email, 'пароль-читателя-1');
  return { id: user.id, name, client, email };
}

const sentEvents: DomainEvents['message.sent'][] = [];

let alice: Account;
let bob: Account;
let owner: Account;
let member: Account;
let stranger: Account;
let otherShopMember: Account;
let shopId: number;

before(async () => {
  portal = await startPortal({ config: { trustProxy: '127.0.0.1' } });
  portal.app.messages.policies.add({
    kind: KIND,
    async check({ subjectId }) {
      if (subjectId === 13) throw new DomainError('message.no_policy', {}, 403);
    },
    async describe(ids) {
      return new Map(ids.filter((id) => id < 1000).map((id) => [id, { title: `Тема №${id}`, url: `/forum/t/${id}` }]));
    },
  });
  portal.app.messages.policies.add({ kind: SHORT_KIND, maxLength: 1000, async check() {} });
  portal.app.events.on('message.sent', (e) => {
    sentEvents.push(e);
  });
  [alice, bob, owner, member, stranger, otherShopMember] = await Promise.all(['Алиса', 'Борис', 'Ольга', 'Михаил', 'Сергей', 'Пётр'].map(account));
  const shop = await portal.app.organisations.create({ slug: `shop-${Date.now()}`, name: 'Цветы на Ленина', ownerId: owner.id });
  shopId = shop.id;
  await portal.app.organisations.setRole(shopId, member.id, 'member');
  const other = await portal.app.organisations.create({ slug: `other-${Date.now()}`, name: 'Другой магазин', ownerId: otherShopMember.id });
  assert.ok(other.id);
});
after(() => portal?.close());

async function start(from: Account, to: string, text: string, id = 1, extra: Record<string, string> = {}) {
  return from.client.submit('/me/messages/start', { kind: KIND, id: String(id), to, text, ...extra });
}
const idOf = (location: string | null) => Number(/\/me\/messages\/(\d+)/.exec(location ?? '')![1]);

test('start and reuse: one conversation per subject and pair; the thread shows the subject and the text, never as HTML', async () => {
  const first = await start(alice, `u:${bob.id}`, 'Здравствуйте!\nЕщё актуально? <b>жирный</b>', 1);
  assert.equal(first.status, 303, first.text.slice(0, 300));
  const id = idOf(first.location);
  const again = await alice.client.api('POST', '/api/messages/start', { kind: KIND, id: 1, to: `u:${bob.id}`, text: 'Ещё раз здравствуйте' });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json().conversationId, id);
  assert.equal(again.json().created, false);
  // Bob answering about the same subject lands in the same conversation too.
  const back = await bob.client.api('POST', '/api/messages/start', { kind: KIND, id: 1, to: `u:${alice.id}`, text: 'Да, актуально' });
  assert.equal(back.json().conversationId, id);
  // Another subject: another conversation.
  const other = await alice.client.api('POST', '/api/messages/start', { kind: KIND, id: 2, to: `u:${bob.id}`, text: 'А это?' });
  assert.equal(other.status, 201);
  assert.notEqual(other.json().conversationId, id);

  const page = await bob.client.get(`/me/messages/${id}`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'private, no-store');
  assert.match(page.text, /Тема №1/);
  assert.match(page.text, /Здравствуйте!\nЕщё актуально\? &lt;b>жирный&lt;\/b>/);
  assert.doesNotMatch(page.text, /<b>жирный/);
  const first_ = sentEvents.find((e) => e.conversationId === id && e.first);
  assert.ok(first_, 'message.sent, first');
  assert.deepEqual(first_.subject, { kind: KIND, id: 1 });
  assert.equal(first_.answersAfterMs, null);
  const answer = sentEvents.find((e) => e.conversationId === id && e.senderId === bob.id);
  assert.ok(answer && typeof answer.answersAfterMs === 'number' && answer.answersAfterMs >= 0, 'an answer carries the first-response time');
  assert.deepEqual(await portal.app.messages.between({ kind: 'user', id: bob.id }, { kind: 'user', id: alice.id }, KIND), [id, other.json().conversationId].sort((a, b) => a - b));
});

test('a storefront: any member answers, the thread names them beside the storefront; other organisations and strangers get 404', async () => {
  const res = await start(alice, `o:${shopId}`, 'Сколько стоят розы?', 3);
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const id = idOf(res.location);
  const inbox = await member.client.get('/me/messages');
  assert.equal(inbox.status, 200);
  assert.match(inbox.text, /для «Цветы на Ленина»/);
  assert.match(inbox.text, /Сколько стоят розы\?/);
  const filtered = await member.client.api('GET', `/api/messages/inbox?party=o:${shopId}`);
  assert.deepEqual(
    filtered.json().items.map((i: { id: number }) => i.id),
    [id],
  );
  assert.equal((await member.client.get(`/me/messages?party=o:${otherShopMember.id}9`)).status, 403);

  const answer = await member.client.submit(`/me/messages/${id}`, { text: 'Розы по 150 рублей', as: `o:${shopId}` });
  assert.equal(answer.status, 303, answer.text.slice(0, 300));
  const thread = (await alice.client.get(`/me/messages/${id}`)).text;
  assert.match(thread, /Цветы на Ленина<\/span><span class="message__member"> · Михаил/);
  const json = await alice.client.api('GET', `/api/messages/${id}`);
  const last = json.json().messages.at(-1);
  assert.equal(last.senderName, 'Цветы на Ленина');
  assert.equal(last.memberName, 'Михаил');
  // The island writes a new message's moment as the page writes the others (not the browser's own format).
  assert.ok(thread.includes(`<time dateTime="${last.at}">${last.when}</time>`) || thread.includes(`<time datetime="${last.at}">${last.when}</time>`), last.when);
  // The owner answers too (every role may).
  assert.equal((await owner.client.api('POST', `/api/messages/${id}`, { text: 'И тюльпаны есть' })).status, 201);

  for (const who of [otherShopMember, stranger]) {
    assert.equal((await who.client.get(`/me/messages/${id}`)).status, 404);
    assert.equal((await who.client.api('GET', `/api/messages/${id}`)).status, 404);
    const write = await who.client.api('POST', `/api/messages/${id}`, { text: 'Влезаю' });
    assert.equal(write.status, 404);
    assert.match(write.json().error.message, /Разговор не найден/);
  }
  // Writing for a storefront one is not a member of.
  const forged = await stranger.client.api('POST', '/api/messages/start', { kind: KIND, id: 3, to: `u:${alice.id}`, as: `o:${shopId}`, text: 'Я из магазина' });
  assert.equal(forged.status, 403);
  assert.equal((await portal.client().get(`/me/messages/${id}`)).status, 303, 'signed out: to the sign-in page');
  // A signed-out reader's «Написать» (from a cached ad page): to the sign-in page, and back to the form about the same subject.
  const anon = await portal.client().request('POST', '/me/messages/start', { form: { kind: KIND, id: '3', to: `o:${shopId}`, text: 'Здравствуйте' }, headers: { origin: portal.url } });
  assert.equal(anon.status, 303);
  assert.equal(anon.location, `/login?next=${encodeURIComponent(`/me/messages/start?kind=${KIND}&id=3&to=o%3A${shopId}`)}`);
});

test('unread counts (per conversation, in total, the badge, the reader state) and read marks («Прочитано»)', async () => {
  const carol = await account('Карина');
  const dan = await account('Денис');
  const res = await carol.client.api('POST', '/api/messages/start', { kind: KIND, id: 4, to: `u:${dan.id}`, text: 'Первое' });
  const id = res.json().conversationId as number;
  await carol.client.api('POST', `/api/messages/${id}`, { text: 'Второе' });
  assert.equal((await dan.client.api('GET', '/api/messages/unread')).json().unread, 2);
  assert.equal((await dan.client.get('/api/me')).json().user.unread, 2, 'the account corner’s badge counts them, once');
  const state = await dan.client.get('/api/reader-state');
  assert.deepEqual(state.json().messages, { unread: 2 });
  const inbox = await dan.client.api('GET', '/api/messages/inbox');
  assert.equal(inbox.json().unread, 2);
  assert.equal(inbox.json().items[0].unread, 2);
  // Carol sees no «Прочитано» yet; Dan opens the thread; now she does.
  assert.doesNotMatch((await carol.client.get(`/me/messages/${id}`)).text, /class="message__read"/);
  const danNotice = () => portal.database.db.selectFrom('notifications').select(['mail_due_at', 'read_at']).where('user_id', '=', dan.id).where('kind', '=', 'message').executeTakeFirstOrThrow();
  assert.ok((await danNotice()).mail_due_at, 'a mail waits for its window');
  await dan.client.get(`/me/messages/${id}`);
  assert.equal((await dan.client.api('GET', '/api/messages/unread')).json().unread, 0);
  // Read on the site, the message needs no mail ten minutes later.
  assert.equal((await danNotice()).mail_due_at, null);
  const seen = await carol.client.get(`/me/messages/${id}`);
  assert.match(seen.text, /<p class="message__read">Прочитано<\/p>/);
  const j = (await carol.client.api('GET', `/api/messages/${id}`)).json();
  assert.ok(j.messages.every((m: { read: boolean }) => m.read));
  // The notification kind: mail by default (the site has the inbox and the badge), a reader may change it.
  const prefs = await dan.client.api('GET', '/api/me/notifications/preferences');
  assert.deepEqual(
    prefs.json().preferences.find((p: { kind: string }) => p.kind === 'message'),
    { kind: 'message', site: false, mail: true },
  );
});

test('block: the blocked side can neither start nor send; the blocker unblocks from the thread or the inbox', async () => {
  const eve = await account('Ева');
  const fred = await account('Фёдор');
  const id = (await eve.client.api('POST', '/api/messages/start', { kind: KIND, id: 5, to: `u:${fred.id}`, text: 'Привет' })).json().conversationId as number;
  assert.equal((await fred.client.submit(`/me/messages/${id}/block`, {})).status, 303);
  const refused = await eve.client.api('POST', `/api/messages/${id}`, { text: 'Ну ответь' });
  assert.equal(refused.status, 403);
  assert.match(refused.json().error.message, /ограничил переписку/);
  const again = await eve.client.api('POST', '/api/messages/start', { kind: KIND, id: 6, to: `u:${fred.id}`, text: 'Другая тема' });
  assert.equal(again.status, 403);
  assert.match((await eve.client.get(`/me/messages/${id}`)).text, /Собеседник ограничил переписку с вами/);
  const fredInbox = await fred.client.get('/me/messages');
  assert.match(fredInbox.text, /Заблокированные/);
  assert.match(fredInbox.text, /Ева/);
  assert.equal((await fred.client.submit('/me/messages/unblock', { blocker: `u:${fred.id}`, blocked: `u:${eve.id}` })).status, 303);
  assert.equal((await eve.client.api('POST', `/api/messages/${id}`, { text: 'Спасибо' })).status, 201);
  // Blocking again from the thread and lifting it there.
  await fred.client.api('POST', `/api/messages/${id}/block`, { blocked: true });
  assert.equal((await eve.client.api('POST', `/api/messages/${id}`, { text: 'Опять' })).status, 403);
  await fred.client.submit(`/me/messages/${id}/unblock`, {});
  assert.equal((await eve.client.api('POST', `/api/messages/${id}`, { text: 'Снова' })).status, 201);
});

test('the moderation pipeline: a stop word asks «Вы уверены?» (409); confirmed, it goes flagged and the receiver can report it in one click', async () => {
  await portal.app.moderation.saveSettings({ stopWords: ['негодяй'], settings: DEFAULT_SETTINGS }, null);
  try {
    const gleb = await account('Глеб');
    const hanna = await account('Ганна');
    const id = (await gleb.client.api('POST', '/api/messages/start', { kind: KIND, id: 7, to: `u:${hanna.id}`, text: 'Добрый день' })).json().conversationId as number;
    const held = await gleb.client.api('POST', `/api/messages/${id}`, { text: 'Вы негодяй!' });
    assert.equal(held.status, 409);
    assert.equal(held.json().error.code, 'message.confirm');
    assert.match(held.json().error.message, /Вы уверены\?/);
    // The form re-shows the text and a «send anyway» button.
    const form = await gleb.client.submit(`/me/messages/${id}`, { text: 'Вы негодяй!' });
    assert.equal(form.status, 409);
    assert.match(form.text, /Всё равно отправить/);
    assert.match(form.text, /name="confirmed" value="true"/);
    const sent = await gleb.client.submit(`/me/messages/${id}`, { text: 'Вы негодяй!', confirmed: 'true' });
    assert.equal(sent.status, 303);
    const page = await hanna.client.get(`/me/messages/${id}`);
    assert.match(page.text, /может быть оскорбительным/);
    const messageId = Number(/#m-(\d+)/.exec(sent.location!)![1]);
    const report = await hanna.client.submit('/me/messages/report', { message: String(messageId), reason: 'abuse' });
    assert.equal(report.status, 303);
    assert.match((await hanna.client.get(report.location!)).text, /Жалоба отправлена/);
    const queue = await portal.app.moderation.queue('message');
    const item = queue.find((q) => q.id === messageId);
    assert.ok(item, 'in the moderators’ queue');
    assert.equal(item.body, 'Вы негодяй!');
    assert.equal(item.reports.length, 1);
    // The public registry knows no message: nobody comments on one, reacts to one, or
    // reports one through the generic route unless they are a party of its conversation.
    assert.equal(await portal.app.subjects.describe({ kind: 'message', id: messageId }), null);
    const info = await portal.app.subjects.reportable({ kind: 'message', id: messageId }, hanna.id);
    assert.equal(info?.authorId, gleb.id);
    assert.doesNotMatch(JSON.stringify(info), /негодяй/);
    assert.equal((await stranger.client.api('POST', '/api/reports', { kind: 'message', id: messageId, reason: 'spam' })).status, 404);
    assert.equal((await stranger.client.api('PUT', `/api/subjects/message/${messageId}/reaction`, { kind: 'LIKE' })).status, 404);
    assert.equal((await hanna.client.api('POST', '/api/reports', { kind: 'message', id: messageId, reason: 'spam' })).status, 201);
    // One's own message, and a stranger, cannot report.
    assert.equal((await gleb.client.api('POST', '/api/messages/report', { message: messageId })).status, 400);
    assert.equal((await stranger.client.api('POST', '/api/messages/report', { message: messageId })).status, 404);
    // A moderator deletes it: its text goes.
    const mod = await portal.app.accounts.createUser({ email: `mod-${Date.now()}@example.ru`, password: 'пароль-модератора', displayName: 'Модератор', role: 'moderator' });
    await portal.app.moderation.decide('message', messageId, 'delete', { id: mod.id, email: 'm@example.ru', displayName: 'Модератор', role: 'moderator' });
    const after_ = await hanna.client.get(`/me/messages/${id}`);
    assert.doesNotMatch(after_.text, /негодяй/);
    assert.match(after_.text, /Сообщение удалено/);
  } finally {
    await portal.app.moderation.saveSettings({ stopWords: [], settings: DEFAULT_SETTINGS }, null);
  }
});

test('unmatch removes the conversation for both; a party gone shows «Профиль удалён» and stops the writing', async () => {
  const ira = await account('Ирина');
  const jan = await account('Ян');
  const id = (await ira.client.api('POST', '/api/messages/start', { kind: SHORT_KIND, id: 1, to: `u:${jan.id}`, text: 'Привет!' })).json().conversationId as number;
  await portal.app.messages.remove(id);
  for (const who of [ira, jan]) {
    assert.equal((await who.client.get(`/me/messages/${id}`)).status, 404);
    assert.equal((await who.client.api('GET', '/api/messages/inbox')).json().items.length, 0);
  }
  // Starting again (a rematch) opens a new conversation; the removed one stays gone.
  const again = await ira.client.api('POST', '/api/messages/start', { kind: SHORT_KIND, id: 1, to: `u:${jan.id}`, text: 'Снова' });
  assert.equal(again.status, 201);
  assert.notEqual(again.json().conversationId, id);
  assert.equal((await jan.client.get(`/me/messages/${id}`)).status, 404);
  assert.deepEqual(await portal.app.messages.between({ kind: 'user', id: ira.id }, { kind: 'user', id: jan.id }, SHORT_KIND), [again.json().conversationId]);

  const id2 = (await ira.client.api('POST', '/api/messages/start', { kind: SHORT_KIND, id: 2, to: `u:${jan.id}`, text: 'Как дела?' })).json().conversationId as number;
  await portal.app.messages.partyGone({ kind: 'user', id: jan.id }, { kind: SHORT_KIND, id: 2 });
  const page = await ira.client.get(`/me/messages/${id2}`);
  assert.match(page.text, /Профиль удалён/);
  assert.doesNotMatch(page.text, /<textarea/);
  const refused = await ira.client.api('POST', `/api/messages/${id2}`, { text: 'Ау?' });
  assert.equal(refused.status, 409);
  assert.match(refused.json().error.message, /профиль удалён/);
});

test('bad input: empty, too long (the policy’s limit), unknown kind or subject, oneself, a bad party → 4xx in Russian', async () => {
  const c = alice.client;
  const cases: [Record<string, unknown>, number, RegExp][] = [
    [{ kind: KIND, id: 8, to: `u:${bob.id}`, text: '   \n ' }, 400, /Напишите сообщение/],
    [{ kind: SHORT_KIND, id: 8, to: `u:${bob.id}`, text: 'я'.repeat(1001) }, 400, /длиннее 1000 знаков/],
    [{ kind: 'article', id: 8, to: `u:${bob.id}`, text: 'Привет' }, 400, /нельзя написать/],
    [{ kind: 'nonsense', id: 8, to: `u:${bob.id}`, text: 'Привет' }, 400, /нельзя написать/],
    [{ kind: KIND, id: 5000, to: `u:${bob.id}`, text: 'Привет' }, 404, /не найдены/],
    [{ kind: KIND, id: 13, to: `u:${bob.id}`, text: 'Привет' }, 403, /нельзя написать/],
    [{ kind: KIND, id: 8, to: `u:${alice.id}`, text: 'Привет' }, 400, /самому себе/],
    [{ kind: KIND, id: 8, to: 'x:1', text: 'Привет' }, 400, /получатель/],
    [{ kind: KIND, id: 8, to: 'u:2000000000', text: 'Привет' }, 404, /Получатель не найден/],
  ];
  for (const [body, status, words] of cases) {
    const res = await c.api('POST', '/api/messages/start', body);
    assert.equal(res.status, status, `${JSON.stringify(body).slice(0, 80)}: ${res.text.slice(0, 200)}`);
    assert.match(res.json().error.message, words);
  }
  // The 2,000 default for a kind without its own limit.
  const long = await c.api('POST', '/api/messages/start', { kind: KIND, id: 8, to: `u:${bob.id}`, text: 'я'.repeat(2001) });
  assert.equal(long.status, 400);
  // The no-JS form shows the error on the form, the text kept.
  const form = await start(alice, `u:${bob.id}`, '', 8);
  assert.equal(form.status, 400);
  assert.match(form.text, /Напишите сообщение/);
  // The «Написать» page shows the subject and a textarea.
  const page = await c.get(`/me/messages/start?kind=${KIND}&id=8&to=u:${bob.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Тема №8/);
  assert.match(page.text, /Кому: Борис/);
  assert.match(page.text, /<textarea/);
  assert.equal((await c.get(`/me/messages/start?kind=article&id=8&to=u:${bob.id}`)).status, 400);
});

test('flood limits: new conversations per account per day (a setting) → 429 in Russian', async () => {
  const kim = await account('Ким');
  await portal.app.settings.set(MESSAGE_SETTINGS.conversationsPerDay, 1);
  try {
    assert.equal((await kim.client.api('POST', '/api/messages/start', { kind: KIND, id: 20, to: `u:${bob.id}`, text: 'Раз' })).status, 201);
    const second = await kim.client.api('POST', '/api/messages/start', { kind: KIND, id: 21, to: `u:${bob.id}`, text: 'Два' });
    assert.equal(second.status, 429);
    assert.match(second.json().error.message, /Слишком много новых разговоров/);
  } finally {
    await portal.app.settings.set(MESSAGE_SETTINGS.conversationsPerDay, 30);
  }
});

test('the account: its own conversations in the data export; deleted, its texts go and the other side sees «Профиль удалён»', async () => {
  const lev = await account('Лев');
  const id = (await lev.client.api('POST', '/api/messages/start', { kind: KIND, id: 30, to: `u:${bob.id}`, text: 'Секретный текст Льва' })).json().conversationId as number;
  const exported = (await portal.app.accounts.exportData(lev.id)) as unknown as { messages: { id: number; messages: { text: string; mine: boolean }[] }[] };
  const conv = exported.messages.find((c) => c.id === id);
  assert.ok(conv);
  assert.deepEqual(conv.messages, [{ ...conv.messages[0], text: 'Секретный текст Льва', mine: true }]);
  await portal.app.accounts.deleteAccount(lev.id, 'пароль-читателя-1');
  const page = await bob.client.get(`/me/messages/${id}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Секретный текст/);
  assert.match(page.text, /Профиль удалён/);
});

/** An SSE client over the account's cookies: counts the ticks. */
function openStream(base: string, client: Client) {
  let ticks = 0;
  let status = 0;
  const waiters: (() => void)[] = [];
  let req!: http.ClientRequest;
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const ready = new Promise<void>((resolve) => {
    req = http.get(`${base}/me/messages/stream`, { headers: { accept: 'text/event-stream', cookie } }, (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        ticks += (chunk.match(/^data: /gm) ?? []).length;
        for (const w of waiters.splice(0)) w();
        resolve();
      });
      if (status !== 200) resolve();
    });
    req.on('error', () => resolve());
  });
  return {
    ready,
    get status() {
      return status;
    },
    get ticks() {
      return ticks;
    },
    async until(n: number, ms = 2000) {
      const end = Date.now() + ms;
      while (ticks < n && Date.now() < end) await new Promise<void>((r) => (waiters.push(r), setTimeout(r, 50)));
      return ticks >= n;
    },
    close: () => req.destroy(),
  };
}

test('the event stream ticks within a fraction of a second after a send; the JSON then gives what is new', async () => {
  const id = (await alice.client.api('POST', '/api/messages/start', { kind: KIND, id: 40, to: `u:${bob.id}`, text: 'Для потока' })).json().conversationId as number;
  const last = (await bob.client.api('GET', `/api/messages/${id}`)).json().messages.at(-1).id as number;
  const s = openStream(portal.url, bob.client);
  await s.ready;
  assert.equal(s.status, 200);
  const before_ = s.ticks;
  const started = Date.now();
  await alice.client.api('POST', `/api/messages/${id}`, { text: 'Живое сообщение' });
  assert.ok(await s.until(before_ + 1), 'a tick');
  assert.ok(Date.now() - started < 1000);
  const fresh = (await bob.client.api('GET', `/api/messages/${id}?after=${last}`)).json();
  assert.deepEqual(
    fresh.messages.map((m: { text: string }) => m.text),
    ['Живое сообщение'],
  );
  s.close();
  // Signed out: no stream.
  assert.equal((await fetch(`${portal.url}/me/messages/stream`, { headers: { accept: 'text/event-stream' }, redirect: 'manual' })).status, 303);
});

test('two instances sharing Redis: a message sent on A ticks the stream open on B', { skip: !process.env.DATABASE_URL || !process.env.REDIS_URL ? 'needs DATABASE_URL and REDIS_URL' : false }, async () => {
  const b = await startPortal({ shareWith: portal, config: { trustProxy: '127.0.0.1' } });
  try {
    const id = (await alice.client.api('POST', '/api/messages/start', { kind: KIND, id: 41, to: `u:${bob.id}`, text: 'Между экземплярами' })).json().conversationId as number;
    const s = openStream(b.url, bob.client);
    await s.ready;
    assert.equal(s.status, 200);
    const before_ = s.ticks;
    const started = Date.now();
    await alice.client.api('POST', `/api/messages/${id}`, { text: 'С экземпляра А' });
    assert.ok(await s.until(before_ + 1), 'B ticks');
    assert.ok(Date.now() - started < 1500);
    s.close();
  } finally {
    await b.close();
  }
});

test('retention: with messages.retentionDays set, the job deletes older messages and conversations; 0 keeps them', async () => {
  const id = (await alice.client.api('POST', '/api/messages/start', { kind: KIND, id: 50, to: `u:${bob.id}`, text: 'Старое сообщение' })).json().conversationId as number;
  const db = portal.app.database.db;
  const old = new Date(Date.now() - 3 * 86_400_000);
  await db.updateTable('messages').set({ created_at: old }).where('conversation_id', '=', id).execute();
  await db.updateTable('message_conversations').set({ last_message_at: old }).where('id', '=', id).execute();
  await portal.app.jobs.run('messages.retention');
  assert.equal((await bob.client.get(`/me/messages/${id}`)).status, 200, '0: kept');
  await portal.app.settings.set(MESSAGE_SETTINGS.retentionDays, 2);
  try {
    await portal.app.jobs.run('messages.retention');
    assert.equal((await bob.client.get(`/me/messages/${id}`)).status, 404);
  } finally {
    await portal.app.settings.set(MESSAGE_SETTINGS.retentionDays, 0);
  }
});

test('the demo helper writes conversations for other modules’ seeds, a storefront’s member answering', async () => {
  const [id] = await seedConversations(portal.app, [
    {
      subject: { kind: KIND, id: 60 },
      from: { kind: 'user', id: alice.id },
      to: { kind: 'organisation', id: shopId },
      messages: [
        { side: 'from', actorId: alice.id, text: 'Доставляете в Заречный?' },
        { side: 'to', actorId: member.id, text: 'Да, по вторникам.' },
      ],
    },
  ]);
  const t = (await alice.client.api('GET', `/api/messages/${id}`)).json();
  assert.deepEqual(
    t.messages.map((m: { text: string; memberName: string | null }) => [m.text, m.memberName]),
    [
      ['Доставляете в Заречный?', null],
      ['Да, по вторникам.', 'Михаил'],
    ],
  );
  assert.equal(await portal.app.settings.get(MESSAGE_SETTINGS.conversationsPerDay), 30, 'the limits put back');
});

test('paging: a long thread links its earlier messages; a long inbox its earlier conversations', async () => {
  const olga = await account('Оля');
  const pavel = await account('Павел');
  const texts = Array.from({ length: 55 }, (_, i) => `Реплика ${i + 1}`);
  const [id] = await seedConversations(portal.app, [
    { subject: { kind: KIND, id: 70 }, from: { kind: 'user', id: olga.id }, to: { kind: 'user', id: pavel.id }, messages: texts.map((text, i) => ({ side: i % 2 ? 'to' : 'from', actorId: i % 2 ? pavel.id : olga.id, text })) },
  ]);
  const page = await pavel.client.get(`/me/messages/${id}`);
  assert.match(page.text, /Реплика 55</);
  assert.doesNotMatch(page.text, /Реплика 5</);
  const link = /href="([^"]+before=\d+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(link, 'a link to the earlier messages');
  const earlier = await pavel.client.get(link);
  assert.match(earlier.text, /Реплика 1</);
  assert.match(earlier.text, /Реплика 5</);
  assert.doesNotMatch(earlier.text, /Реплика 55</);
  assert.doesNotMatch(earlier.text, /data-island="messages-thread"/, 'history gets no live updates');

  await seedConversations(
    portal.app,
    Array.from({ length: 32 }, (_, i) => ({ subject: { kind: KIND, id: 100 + i }, from: { kind: 'user' as const, id: olga.id }, to: { kind: 'user' as const, id: pavel.id }, messages: [{ side: 'from' as const, actorId: olga.id, text: `Разговор ${i + 1}` }] })),
  );
  const inbox = await pavel.client.get('/me/messages');
  assert.equal((inbox.text.match(/class="messages-conversation[ "]/g) ?? []).length, 30);
  const more = /href="(\/me\/messages\?before=[^"]+)"/.exec(inbox.text)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(more, 'a link to the earlier conversations');
  const next = await pavel.client.get(more);
  assert.equal((next.text.match(/class="messages-conversation[ "]/g) ?? []).length, 3);
  assert.match(next.text, /Реплика 55|Разговор 1</);
});
